/// A fitted daily forecasting model: point forecasts and the growth of the forecast variance with
/// the horizon, so that intervals are `mean ± z·sigma·√varianceFactor(h)`.
package protocol ForecastModel: Sendable {
    /// RMS of the in-sample one-step-ahead errors.
    var sigma: Double { get }
    /// Forecasts for 1...h steps after the last observation.
    func forecast(_ h: Int) -> [Double]
    /// Var(error at step h) / sigma² (1 at h = 1).
    func varianceFactor(_ h: Int) -> Double
}

/// Grids searched (in this order, first minimum wins) when smoothing parameters are fitted
/// by least squares of the one-step errors.
enum SmoothingGrid {
    static let alpha = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9]
    static let beta = [0.01, 0.05, 0.1, 0.2, 0.3]
    static let gamma = [0.05, 0.1, 0.2, 0.3, 0.5]
}
