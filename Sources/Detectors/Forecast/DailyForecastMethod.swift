/// The candidate daily forecasting methods, simplest first (the order breaks ties in the backtest).
package enum DailyForecastMethod: String, Sendable, Codable, CaseIterable, Comparable {
    /// Tomorrow and every later day equal today.
    case naive
    /// Each day equals the same weekday of the last week.
    case seasonalNaive = "seasonal_naive"
    /// Robust weekly profile (phase medians over the last 8 weeks) plus a damped Theil–Sen drift.
    case robustSeasonal = "robust_seasonal_drift"
    /// Additive Holt–Winters with a damped trend (ETS(A,Ad,A)), parameters by least squares on a grid.
    case dampedHoltWinters = "damped_holt_winters"

    /// Fewest days of history the method needs (the season is 7 days).
    package var minimumHistory: Int {
        switch self {
        case .naive: 1
        case .seasonalNaive: 7
        case .robustSeasonal, .dampedHoltWinters: 14
        }
    }

    /// Point forecasts for days n+1…n+horizon from history `y` (n = y.count ≥ minimumHistory).
    /// `parameters` reuses Holt–Winters smoothing parameters instead of searching the grid.
    package func forecast(_ y: [Double], horizon: Int, parameters: DampedHoltWinters.Parameters? = nil) -> [Double] {
        let n = y.count
        guard n >= minimumHistory, horizon > 0 else { return [] }
        switch self {
        case .naive:
            return [Double](repeating: y[n - 1], count: horizon)
        case .seasonalNaive:
            return (0..<horizon).map { y[n - 7 + $0 % 7] }
        case .robustSeasonal:
            return RobustSeasonalDrift(y).forecast(horizon)
        case .dampedHoltWinters:
            let model = parameters.flatMap { DampedHoltWinters(y, $0) } ?? DampedHoltWinters.fit(y)
            return model?.forecast(horizon) ?? []
        }
    }

    package static func < (a: DailyForecastMethod, b: DailyForecastMethod) -> Bool {
        (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
    }
}
