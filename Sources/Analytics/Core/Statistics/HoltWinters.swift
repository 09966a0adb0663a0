/// Additive Holt–Winters with a season of `period` days (7 for weekly):
/// ℓₜ = α(yₜ − sₜ₋ₘ) + (1 − α)(ℓₜ₋₁ + bₜ₋₁), bₜ = β(ℓₜ − ℓₜ₋₁) + (1 − β)bₜ₋₁,
/// sₜ = γ(yₜ − ℓₜ) + (1 − γ)sₜ₋ₘ, ŷ(n+h) = ℓₙ + h·bₙ + sₙ₋ₘ₊₁₊((h−1) mod m).
/// Started from the first two seasons: ℓ = mean(season 1), b = (mean(season 2) − mean(season 1))/m,
/// sᵢ = yᵢ − ℓ for i < m; the recursions then run from t = m.
package struct HoltWinters: ForecastModel {
    package let alpha: Double
    package let beta: Double
    package let gamma: Double
    package let period: Int
    package private(set) var level = 0.0
    package private(set) var trend = 0.0
    /// The last `period` seasonal terms, oldest first.
    package private(set) var season: [Double] = []
    package private(set) var sse = 0.0
    package private(set) var errorCount = 0

    /// Runs the recursions with fixed parameters; needs two full seasons.
    package init?(_ y: [Double], period: Int, alpha: Double, beta: Double, gamma: Double) {
        guard period >= 2, y.count >= 2 * period else { return nil }
        self.alpha = alpha
        self.beta = beta
        self.gamma = gamma
        self.period = period
        let m = Double(period)
        let first = y[0..<period].reduce(0, +) / m
        let second = y[period..<(2 * period)].reduce(0, +) / m
        level = first
        trend = (second - first) / m
        var s = (0..<period).map { y[$0] - first }
        for t in period..<y.count {
            let old = s[t % period]
            let error = y[t] - (level + trend + old)
            sse += error * error
            errorCount += 1
            let newLevel = alpha * (y[t] - old) + (1 - alpha) * (level + trend)
            trend = beta * (newLevel - level) + (1 - beta) * trend
            level = newLevel
            s[t % period] = gamma * (y[t] - newLevel) + (1 - gamma) * old
        }
        let start = y.count % period
        season = (0..<period).map { s[(start + $0) % period] }
    }

    /// The parameters of the grid with the least one-step squared error.
    package static func fit(_ y: [Double], period: Int) -> HoltWinters? {
        var best: HoltWinters?
        for a in SmoothingGrid.alpha {
            for b in SmoothingGrid.beta {
                for g in SmoothingGrid.gamma {
                    guard let model = HoltWinters(y, period: period, alpha: a, beta: b, gamma: g) else { return nil }
                    if best == nil || model.sse < best!.sse { best = model }
                }
            }
        }
        return best
    }

    package var sigma: Double { errorCount > 0 ? (sse / Double(errorCount)).squareRoot() : 0 }

    package func forecast(_ h: Int) -> [Double] {
        (0..<max(h, 0)).map { level + Double($0 + 1) * trend + season[$0 % period] }
    }

    /// ETS(A,A,A) form: 1 + Σⱼ₌₁..ₕ₋₁ cⱼ², cⱼ = α(1 + jβ) + γ(1 − α)·[j mod m = 0].
    package func varianceFactor(_ h: Int) -> Double {
        var factor = 1.0
        if h > 1 {
            for j in 1..<h {
                let c = alpha * (1 + Double(j) * beta) + (j % period == 0 ? gamma * (1 - alpha) : 0)
                factor += c * c
            }
        }
        return factor
    }
}
