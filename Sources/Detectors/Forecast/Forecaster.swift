/// Daily forecasts with 80 % and 95 % intervals: every candidate method is backtested over
/// rolling origins on the series, the one with the lowest MASE against seasonal naive forecasts
/// from the end of the history, and its intervals are the forecast plus quantiles of its own
/// backtest errors at that step (see `ErrorPool`), so they are as wide as the method has been wrong.
package struct Forecaster: Sendable {
    package struct Configuration: Sendable, Equatable, Codable {
        /// Origins in the backtest (the last ones of the history).
        package var maxOrigins = 60
        /// Most recent days used (older days are dropped: they cost time and describe an older normal).
        package var maxHistory = 730
        /// Fewest past errors an interval is built from.
        package var minimumPool = 20
        /// Clip at 0 (nil: when the history has no negative value, as for costs and counts).
        package var nonNegative: Bool?
        package var methods = DailyForecastMethod.allCases

        package init() {}
    }

    package let configuration: Configuration

    package init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Forecasts the `horizon` days after the series' last day; the backtest checks steps 1…horizon.
    /// Intervals are nil when the backtest had too few errors for them.
    package func forecast(_ series: DailySeries, horizon: Int) -> DailyForecast {
        let c = configuration
        let dropped = max(0, series.values.count - c.maxHistory)
        let y = Array(series.values.dropFirst(dropped))
        var backtestConfiguration = Backtest.Configuration(horizon: max(1, horizon))
        backtestConfiguration.maxOrigins = c.maxOrigins
        backtestConfiguration.minimumPool = c.minimumPool
        backtestConfiguration.nonNegative = c.nonNegative
        backtestConfiguration.methods = c.methods
        let backtest = Backtest(y, configuration: backtestConfiguration)
        let method = backtest?.result.chosen ?? .naive
        let clip = c.nonNegative ?? y.allSatisfy { $0 >= 0 }
        let means = method.forecast(y, horizon: max(0, horizon)).map { clip ? max(0, $0) : $0 }
        let snapshot = backtest?.pools[method]?.snapshot()
        var result = DailyForecast(method: method, historyDays: y.count, filledDays: series.filledDays, backtest: backtest?.result)
        for (j, mean) in means.enumerated() {
            var day = DailyForecast.Day(date: series.date(dropped + y.count + j), mean: mean)
            if let o = snapshot?.offsets(step: j + 1) {
                day.lo80 = mean + o.lo80
                day.hi80 = mean + o.hi80
                day.lo95 = mean + o.lo95
                day.hi95 = mean + o.hi95
                if clip {
                    (day.lo80, day.hi80, day.lo95, day.hi95) = (
                        max(0, mean + o.lo80), max(0, mean + o.hi80), max(0, mean + o.lo95), max(0, mean + o.hi95)
                    )
                }
            }
            result.days.append(day)
        }
        return result
    }
}
