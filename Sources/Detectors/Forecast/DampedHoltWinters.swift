/// Additive Holt–Winters with a damped trend and a 7-day season, ETS(A,Ad,A) in error-correction
/// form: with e = y − (ℓ + φb + s), ℓ ← ℓ + φb + αe, b ← φb + αβe, s ← s + γ(1 − α)e.
/// Started from the first two weeks: ℓ = mean(week 1), b = (mean(week 2) − mean(week 1)) / 7,
/// s = week 1 − ℓ; the recursions run from day 7.
package struct DampedHoltWinters: Sendable {
    package struct Parameters: Sendable, Equatable, Codable {
        package var alpha: Double
        package var beta: Double
        package var gamma: Double
        package var phi: Double
    }

    package static let period = 7
    static let alphas = [0.05, 0.1, 0.2, 0.3, 0.5, 0.8]
    static let betas = [0.01, 0.05, 0.15]
    static let gammas = [0.01, 0.05, 0.15, 0.3]
    static let phis = [0.8, 0.9, 0.98]

    package let parameters: Parameters
    private(set) var level = 0.0
    private(set) var trend = 0.0
    /// Seasonal terms indexed by day index mod 7.
    private(set) var season: [Double] = []
    private(set) var count = 0
    /// Sum of squared one-step errors from day 7 on.
    package private(set) var sse = 0.0

    /// Runs the recursions over `y` with fixed parameters; nil with fewer than 14 values.
    package init?(_ y: [Double], _ parameters: Parameters) {
        let m = Self.period
        guard y.count >= 2 * m else { return nil }
        self.parameters = parameters
        let (a, b, g, phi) = (parameters.alpha, parameters.beta, parameters.gamma, parameters.phi)
        var first = 0.0, second = 0.0
        for i in 0..<m {
            first += y[i]
            second += y[m + i]
        }
        first /= Double(m)
        second /= Double(m)
        var l = first, t = (second - first) / Double(m)
        var s = (0..<m).map { y[$0] - first }
        var sse = 0.0
        for i in m..<y.count {
            let k = i % m
            let e = y[i] - (l + phi * t + s[k])
            sse += e * e
            l = l + phi * t + a * e
            t = phi * t + a * b * e
            s[k] += g * (1 - a) * e
        }
        level = l
        trend = t
        season = s
        count = y.count
        self.sse = sse
    }

    /// The grid point with the least one-step squared error (first minimum wins).
    package static func fit(_ y: [Double]) -> DampedHoltWinters? {
        var best: DampedHoltWinters?
        for a in alphas {
            for b in betas {
                for g in gammas {
                    for phi in phis {
                        guard let model = DampedHoltWinters(y, Parameters(alpha: a, beta: b, gamma: g, phi: phi)) else { return nil }
                        if best.map({ model.sse < $0.sse }) ?? true { best = model }
                    }
                }
            }
        }
        return best
    }

    /// ℓ + (φ + … + φʰ)b + s for days n+1…n+h.
    package func forecast(_ h: Int) -> [Double] {
        var result: [Double] = []
        result.reserveCapacity(max(h, 0))
        var damp = 0.0, power = 1.0
        for step in 0..<max(h, 0) {
            power *= parameters.phi
            damp += power
            result.append(level + damp * trend + season[(count + step) % Self.period])
        }
        return result
    }
}
