import Foundation

extension Forecaster {
    /// Reads a daily `timestamp,value` CSV and forecasts the `horizon` days after its last day
    /// (for `homebase forecast --series FILE --horizon N`).
    /// - Throws: `SeriesError` for an unreadable file, a bad line or two values on one day.
    package func forecast(file path: String, horizon: Int) throws(SeriesError) -> DailyForecast {
        forecast(try DailySeries.read(path: path), horizon: horizon)
    }
}

extension BacktestResult {
    /// A plain-text table of every method's figures, the chosen one marked (for `--backtest`).
    package var table: String {
        func number(_ v: Double?, _ scale: Double = 1, _ digits: Int = 3) -> String {
            v.map { String(format: "%.\(digits)f", $0 * scale) } ?? "-"
        }
        var lines = [
            "backtest: \(historyDays) days, \(origins) origins from day \(firstOrigin), steps 1-\(horizon); chosen \(chosen.rawValue)",
            "method                 MASE(snaive) MASE(naive)  sMAPE%  cover80% cover95%  pairs"
        ]
        for m in methods {
            let name = (m.method == chosen ? "* " : "  ") + m.method.rawValue
            lines.append(
                name.padding(toLength: 23, withPad: " ", startingAt: 0)
                    + number(m.maseSeasonalNaive).leftPadded(12) + number(m.maseNaive).leftPadded(12)
                    + number(m.smape, 1, 2).leftPadded(8) + number(m.coverage80, 100, 1).leftPadded(9)
                    + number(m.coverage95, 100, 1).leftPadded(9) + String(m.pairs).leftPadded(7))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
