import Foundation

/// Past forecast errors by step, for empirical prediction intervals: the interval of a step-h
/// forecast is the forecast plus quantiles of earlier step-h errors, pooled with neighbouring
/// steps (h±1, h±2, …) until there are `minimum` of them. Errors of steps below h are widened
/// by √(h/step) when no error of step h or above exists yet.
struct ErrorPool: Sendable {
    /// Errors (actual − forecast) by step − 1, with the history length at which each became known.
    private var errors: [[(knownAt: Int, error: Double)]]
    let minimum: Int

    init(steps: Int, minimum: Int) {
        errors = [[(knownAt: Int, error: Double)]](repeating: [], count: max(steps, 0))
        self.minimum = max(1, minimum)
    }

    /// Records the error of a step-`step` forecast made from the first `origin` days.
    mutating func add(step: Int, origin: Int, error: Double) {
        errors[step - 1].append((origin + step, error))
    }

    /// (lo80, hi80, lo95, hi95) offsets for a step-`step` forecast using the errors known with
    /// `knownBy` days of history (all when nil); nil when fewer than `minimum` exist.
    func offsets(step: Int, knownBy: Int? = nil) -> (lo80: Double, hi80: Double, lo95: Double, hi95: Double)? {
        guard !errors.isEmpty else { return nil }
        let limit = knownBy ?? Int.max
        func known(_ s: Int) -> [Double] { errors[s - 1].prefix { $0.knownAt <= limit }.map(\.error) }
        let target = min(step, errors.count)
        let higherExists = (target...errors.count).contains { !known($0).isEmpty }
        var pool: [Double] = []
        func take(_ s: Int) {
            let widen = !higherExists && s < step ? (Double(step) / Double(s)).squareRoot() : 1
            pool += known(s).map { $0 * widen }
        }
        take(target)
        var w = 1
        while pool.count < minimum, target - w >= 1 || target + w <= errors.count {
            if target - w >= 1 { take(target - w) }
            if target + w <= errors.count { take(target + w) }
            w += 1
        }
        guard pool.count >= minimum else { return nil }
        pool.sort()
        let n = Double(pool.count)
        // Finite-sample widening: the p-quantile is read at 0.5 + (p − 0.5)(n + 1)/n.
        func q(_ p: Double) -> Double {
            RobustStatistics.quantile(sorted: pool, min(1, max(0, 0.5 + (p - 0.5) * (n + 1) / n))) ?? 0
        }
        return (q(0.10), q(0.90), q(0.025), q(0.975))
    }
}
