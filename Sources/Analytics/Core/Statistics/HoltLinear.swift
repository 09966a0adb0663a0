/// Holt's linear trend (double exponential smoothing):
/// ℓₜ = α·yₜ + (1 − α)(ℓₜ₋₁ + bₜ₋₁), bₜ = β·(ℓₜ − ℓₜ₋₁) + (1 − β)·bₜ₋₁, ŷ(n+h) = ℓₙ + h·bₙ,
/// started at ℓ₀ = y₀, b₀ = y₁ − y₀.
package struct HoltLinear: ForecastModel {
    package let alpha: Double
    package let beta: Double
    package private(set) var level = 0.0
    package private(set) var trend = 0.0
    package private(set) var sse = 0.0
    package private(set) var errorCount = 0

    /// Runs the recursions over `y` (at least two values) with fixed parameters.
    package init?(_ y: [Double], alpha: Double, beta: Double) {
        guard y.count >= 2 else { return nil }
        self.alpha = alpha
        self.beta = beta
        level = y[0]
        trend = y[1] - y[0]
        for t in 1..<y.count {
            let error = y[t] - (level + trend)
            sse += error * error
            errorCount += 1
            let newLevel = alpha * y[t] + (1 - alpha) * (level + trend)
            trend = beta * (newLevel - level) + (1 - beta) * trend
            level = newLevel
        }
    }

    /// The parameters of the grid with the least one-step squared error (needs three values).
    package static func fit(_ y: [Double]) -> HoltLinear? {
        guard y.count >= 3 else { return nil }
        var best: HoltLinear?
        for a in SmoothingGrid.alpha {
            for b in SmoothingGrid.beta {
                guard let model = HoltLinear(y, alpha: a, beta: b) else { continue }
                if best == nil || model.sse < best!.sse { best = model }
            }
        }
        return best
    }

    package var sigma: Double { errorCount > 0 ? (sse / Double(errorCount)).squareRoot() : 0 }

    package func forecast(_ h: Int) -> [Double] {
        (0..<max(h, 0)).map { level + Double($0 + 1) * trend }
    }

    /// ETS(A,A,N) form: 1 + Σⱼ₌₁..ₕ₋₁ cⱼ², cⱼ = α(1 + jβ).
    package func varianceFactor(_ h: Int) -> Double {
        var factor = 1.0
        if h > 1 { for j in 1..<h { let c = alpha * (1 + Double(j) * beta); factor += c * c } }
        return factor
    }
}
