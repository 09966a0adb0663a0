import Foundation
import HomeBaseCore

/// Past forecast errors by step, for empirical prediction intervals. Each step's errors are
/// divided by that step's mean absolute error, the quotients of all steps are pooled (the shape
/// of the tails is learnt from every error, the width from the step's own), and the interval of
/// a step-h forecast is the forecast + MAE(h) × quantiles of the pool. A step with fewer than
/// `minimumPerStep` errors takes the MAE of the largest step that has them, × √(h / that step).
struct ErrorPool: Sendable {
    /// Errors (actual − forecast) by step − 1, with the history length at which each became known
    /// (in increasing order, as origins are added in order).
    private var errors: [[(knownAt: Int, error: Double)]]
    /// Fewest pooled errors an interval is built from.
    let minimum: Int
    static let minimumPerStep = 10

    init(steps: Int, minimum: Int) {
        errors = [[(knownAt: Int, error: Double)]](repeating: [], count: max(steps, 0))
        self.minimum = max(1, minimum)
    }

    /// Records the error of a step-`step` forecast made from the first `origin` days.
    mutating func add(step: Int, origin: Int, error: Double) {
        errors[step - 1].append((origin + step, error))
    }

    /// The pooled quantiles and per-step scales from the errors known with `knownBy` days of
    /// history (all when nil); nil when fewer than `minimum` errors are usable.
    func snapshot(knownBy: Int? = nil) -> Snapshot? {
        let limit = knownBy ?? Int.max
        var pool: [Double] = []
        var scales = [Double?](repeating: nil, count: errors.count)
        for s in errors.indices {
            let known = errors[s].prefix { $0.knownAt <= limit }
            guard known.count >= Self.minimumPerStep else { continue }
            let mae = known.reduce(0) { $0 + abs($1.error) } / Double(known.count)
            guard mae > 0 else { continue }
            scales[s] = mae
            pool += known.map { $0.error / mae }
        }
        guard pool.count >= minimum else { return nil }
        let n = Double(pool.count)
        // Finite-sample widening: the p-quantile is read at 0.5 + (p − 0.5)(n + 1)/n.
        let levels = [0.10, 0.90, 0.025, 0.975].map { min(1, max(0, 0.5 + ($0 - 0.5) * (n + 1) / n)) }
        // Only the tails are read (each level at ⌊h⌋ and ⌊h⌋ + 1, h = (n − 1)·level): they are
        // ordered as a sort would, the middle is not (this ran for every origin of every backtest).
        let positions = levels.map { Int((Double(pool.count - 1) * $0).rounded(.down)) }
        Percentile.sortTails(&pool, low: max(positions[0], positions[2]) + 1, high: min(positions[1], positions[3]))
        let quantiles = levels.map { Percentile.of(sorted: pool, $0) ?? 0 }
        return Snapshot(quantiles: quantiles, scales: scales)
    }

    /// Standardised quantiles (10 %, 90 %, 2.5 %, 97.5 %) and the MAE of each step.
    struct Snapshot {
        let quantiles: [Double]
        let scales: [Double?]

        /// (lo80, hi80, lo95, hi95) offsets for a step-`step` forecast; nil when no step up to it has a scale.
        func offsets(step: Int) -> (lo80: Double, hi80: Double, lo95: Double, hi95: Double)? {
            let scale: Double
            if step <= scales.count, let own = scales[step - 1] {
                scale = own
            } else if let largest = scales.indices.last(where: { scales[$0] != nil && $0 < step - 1 }), let base = scales[largest] {
                scale = base * (Double(step) / Double(largest + 1)).squareRoot()
            } else {
                return nil
            }
            return (scale * quantiles[0], scale * quantiles[1], scale * quantiles[2], scale * quantiles[3])
        }
    }
}
