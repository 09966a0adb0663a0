import HomeBaseCore
import Lake
/// The rows read plus everything derived once from them: the local range, `now`, which rows are
/// in the range, and the names of interned ids. Shared read-only by every section's computation.
package struct AnalysisContext: Sendable {
    package let table: CallTable
    let calendar: LocalCalendar
    let options: AnalysisOptions
    let snapshot: Int64?
    let partsRead: Int
    /// First and last local day of the range; `dayCount` is 0 when there is nothing to analyse.
    let fromDay: Int64
    let toDay: Int64
    let dayCount: Int
    /// The reference instant and whether it came from the option, the data or the clock.
    let now: Int64
    let nowSource: String
    /// Row is within the requested local days.
    let inRange: [Bool]
    /// Rows with a known latency, ascending by latency (see `LatencyGroups`).
    let latencyOrder: [Int32]
    /// Cache-read savings in USD per cache-read token, by provider id × model count + model id.
    let savingsPerToken: [Double]

    init(
        table: CallTable, calendar: LocalCalendar, options: AnalysisOptions, fromDay: Int64?, toDay: Int64?,
        snapshot: Int64?, partsRead: Int, priceBook: PriceBook?
    ) {
        self.table = table
        self.calendar = calendar
        self.options = options
        self.snapshot = snapshot
        self.partsRead = partsRead
        var latest: Int64?
        var firstDay: Int64?, lastDay: Int64?
        for i in 0..<table.count {
            let day = Int64(table.day[i])
            if let toDay, day > toDay { continue }
            if latest == nil || table.ts[i] > latest! { latest = table.ts[i] }
            if let fromDay, day < fromDay { continue }
            firstDay = min(firstDay ?? day, day)
            lastDay = max(lastDay ?? day, day)
        }
        if let given = options.now {
            now = given
            nowSource = "option"
        } else if let latest {
            now = latest
            nowSource = "data"
        } else {
            now = options.generatedAt
            nowSource = "clock"
        }
        // No call and only a last day (nightly on a lake with host samples only): an empty range,
        // not every day since 1970.
        let from = fromDay ?? firstDay ?? toDay.map { $0 + 1 } ?? 0
        let to = toDay ?? lastDay ?? -1
        self.fromDay = from
        self.toDay = to
        dayCount = to >= from ? Int(to - from + 1) : 0
        latencyOrder = LatencyGroups.sortedRows(table.latency)
        inRange = table.day.map { Int64($0) >= from && Int64($0) <= to }
        let modelCount = table.models.count
        var savings = [Double](repeating: 0, count: table.providers.count * modelCount)
        if let priceBook {
            for p in 0..<table.providers.count {
                for m in 0..<modelCount {
                    if let price = priceBook.price(provider: table.providers.names[p], model: table.models.names[m]),
                        let cacheRead = price.cacheRead, price.input > cacheRead
                    {
                        savings[p * modelCount + m] = (price.input - cacheRead) / 1_000_000
                    }
                }
            }
        }
        savingsPerToken = savings
    }

    /// `YYYY-MM-DD` of a local day number.
    func label(day: Int64) -> String { UTCDate.dateString(days: day) }

    var dayLabels: [String] { (0..<dayCount).map { label(day: fromDay + Int64($0)) } }

    /// Index of a row's day in the range (valid only for rows in range).
    func dayIndex(_ row: Int) -> Int { Int(Int64(table.day[row]) - fromDay) }

    /// Local day of `now`.
    var nowDay: Int64 { calendar.day(ofMicros: now) }
    /// The last local day that is over at `now`: the day before `now`'s, or `now`'s own day when
    /// `now` is its last microsecond (a report "as of the end of" its period).
    var lastCompleteDay: Int64 { calendar.day(ofMicros: now + 1) - 1 }

    /// Seconds of the range (the sum of its local days' true lengths).
    var rangeSeconds: Double {
        (0..<dayCount).reduce(0.0) { $0 + Double(calendar.secondsInDay(fromDay + Int64($1))) }
    }

    func cacheSavings(_ row: Int) -> Double {
        let index = Int(table.provider[row]) * table.models.count + Int(table.model[row])
        return Double(table.cacheReadTokens[row]) * savingsPerToken[index]
    }
}
