/// A daily forecast and the backtest that chose its method.
package struct DailyForecast: Sendable, Equatable, Codable {
    package var method: DailyForecastMethod
    package var historyDays: Int
    package var filledDays: Int
    package var backtest: BacktestResult?
    package var days: [Day] = []

    enum CodingKeys: String, CodingKey {
        case method, backtest, days
        case historyDays = "history_days", filledDays = "filled_days"
    }

    package init(method: DailyForecastMethod, historyDays: Int, filledDays: Int, backtest: BacktestResult?) {
        self.method = method
        self.historyDays = historyDays
        self.filledDays = filledDays
        self.backtest = backtest
    }

    /// One forecast day: the point forecast and its intervals (nil when the backtest had too few errors).
    package struct Day: Sendable, Equatable, Codable {
        package var date: String
        package var mean: Double
        package var lo80: Double?
        package var hi80: Double?
        package var lo95: Double?
        package var hi95: Double?

        package init(date: String, mean: Double) {
            self.date = date
            self.mean = mean
        }
    }

    /// `date,forecast,lo80,hi80,lo95,hi95` lines with a header (empty cells for missing intervals).
    package var csv: String {
        var text = "date,forecast,lo80,hi80,lo95,hi95\n"
        for d in days {
            text += [d.date, "\(d.mean)"].joined(separator: ",")
            for v in [d.lo80, d.hi80, d.lo95, d.hi95] { text += "," + (v.map { "\($0)" } ?? "") }
            text += "\n"
        }
        return text
    }
}
