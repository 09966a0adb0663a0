/// Seasonal naive: tomorrow is the same weekday last week, ŷ(n+h) = y(n − m + ((h − 1) mod m)).
/// The baseline every other model's backtest error is measured against.
package struct SeasonalNaive: ForecastModel {
    package let period: Int
    package let sigma: Double
    private let lastSeason: [Double]

    /// Needs at least `period` values; nil otherwise.
    package init?(_ y: [Double], period: Int) {
        guard period >= 1, y.count >= period else { return nil }
        self.period = period
        lastSeason = Array(y.suffix(period))
        var sse = 0.0, count = 0
        for t in period..<y.count {
            let e = y[t] - y[t - period]
            sse += e * e
            count += 1
        }
        sigma = count > 0 ? (sse / Double(count)).squareRoot() : 0
    }

    package func forecast(_ h: Int) -> [Double] {
        (0..<max(h, 0)).map { lastSeason[$0 % period] }
    }

    /// Each whole season further out adds one more one-step variance: ⌊(h − 1)/m⌋ + 1.
    package func varianceFactor(_ h: Int) -> Double { Double((h - 1) / period + 1) }
}
