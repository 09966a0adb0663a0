/// The candidate daily forecasting models, simplest first (the order breaks ties in the backtest).
package enum ForecastMethod: String, Sendable, Codable, CaseIterable, Comparable {
    case seasonalNaive = "seasonal_naive"
    case holt
    case holtWinters = "holt_winters"

    /// Fewest history values the method needs to be fitted (for `period`-day seasons).
    package func minimumHistory(period: Int) -> Int {
        switch self {
        case .seasonalNaive: period
        case .holt: 3
        case .holtWinters: 2 * period
        }
    }

    /// Fits the method to `y` (parameters by least squares over the grid); nil if too short.
    package func fit(_ y: [Double], period: Int) -> (any ForecastModel)? {
        switch self {
        case .seasonalNaive: SeasonalNaive(y, period: period)
        case .holt: HoltLinear.fit(y)
        case .holtWinters: HoltWinters.fit(y, period: period)
        }
    }

    package static func < (a: ForecastMethod, b: ForecastMethod) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
