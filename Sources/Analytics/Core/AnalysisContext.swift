import HomeBaseCore
import Lake

/// What every section's computation reads, shared read-only: the local range, `now`, the names
/// behind interned ids and the sums of the pass over the rows (`AnalysisPass`).
package struct AnalysisContext: Sendable {
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
    let names: CallTable.Names
    private(set) var pass: AnalysisPass

    /// Frees the per-call cost and latency pairs once the correlation is computed (the largest
    /// thing the pass holds), before recommendations and reconciliation read the lake again.
    mutating func dropCorrelationInputs() { pass.dropCorrelationInputs() }

    /// Leading parts whose sums came from the previous run's saved state (`AnalysisCheckpoint`).
    let resumedParts: Int

    init(plan: AnalysisPlan, options: AnalysisOptions, names: CallTable.Names, pass: AnalysisPass, resumedParts: Int = 0) {
        self.resumedParts = resumedParts
        calendar = plan.calendar
        self.options = options
        snapshot = plan.scan.snapshot
        partsRead = plan.scan.parts.count
        fromDay = plan.fromDay
        toDay = plan.toDay
        dayCount = plan.dayCount
        now = plan.now
        nowSource = plan.nowSource
        self.names = names
        self.pass = pass
    }

    /// `YYYY-MM-DD` of a local day number.
    func label(day: Int64) -> String { UTCDate.dateString(days: day) }

    var dayLabels: [String] { (0..<dayCount).map { label(day: fromDay + Int64($0)) } }

    /// Local day of `now`.
    var nowDay: Int64 { calendar.day(ofMicros: now) }
    /// The last local day that is over at `now`: the day before `now`'s, or `now`'s own day when
    /// `now` is its last microsecond (a report "as of the end of" its period).
    var lastCompleteDay: Int64 { calendar.day(ofMicros: now + 1) - 1 }

    /// Seconds of the range (the sum of its local days' true lengths).
    var rangeSeconds: Double {
        (0..<dayCount).reduce(0.0) { $0 + Double(calendar.secondsInDay(fromDay + Int64($1))) }
    }
}
