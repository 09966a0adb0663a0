import Foundation
import Detectors

/// Forecasts already fitted in this process, by their exact history. A nightly's analysis and
/// the analyses of its reports fit the same 56 days up to the same last day, so the reports take
/// them from here instead of backtesting every method again (most of a forecast's time). The
/// key is the whole input (first day, every value's bits, horizon): a different history is a
/// different entry, never a stale answer.
package final class ForecastMemo: @unchecked Sendable {
    /// What fitting a history gives.
    struct Entry: Sendable {
        var forecast: DailyForecast
        /// The damped Holt-Winters parameters, when that method was chosen.
        var parameters: DampedHoltWinters.Parameters?
    }

    private let lock = NSLock()
    private var entries: [[UInt64]: Entry] = [:]

    package init() {}

    /// The entry for `series` and `horizon`, made with `make` the first time.
    func entry(_ series: DailySeries, horizon: Int, make: () -> Entry) -> Entry {
        let key = [UInt64(bitPattern: series.startDay), UInt64(series.filledDays), UInt64(horizon)] + series.values.map(\.bitPattern)
        lock.lock()
        let known = entries[key]
        lock.unlock()
        if let known { return known }
        let made = make()
        lock.lock()
        entries[key] = made
        lock.unlock()
        return made
    }

    /// Histories fitted so far.
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }
}
