import HomeBaseCore
import Render
/// The local days a report covers and the equally long days before them (for "vs previous").
/// Daily: one day; weekly: 7 days ending at `to`; monthly: the last full calendar month ending
/// on or before `to`; explicit `from`…`to`: those days. `to` defaults to yesterday (the last full day).
package struct ReportTimeFrame: Sendable, Equatable {
    package var current: ReportPeriod
    package var previousFirstDay: Int64
    package var previousLastDay: Int64
    /// For directory names: "2026-05-17", "2026-05-11_2026-05-17", "2026-04".
    package var slug: String

    package static func resolve(period: ReportDefinition.Period, from: Int64?, to: Int64?, today: Int64) throws(RenderError) -> ReportTimeFrame {
        let end = to ?? today - 1
        if let from {
            guard from <= end else { throw RenderError("--from \(UTCDate.dateString(days: from)) is after --to \(UTCDate.dateString(days: end))") }
            let length = end - from + 1
            return ReportTimeFrame(
                current: ReportPeriod(firstDay: from, lastDay: end, label: "\(length) days"),
                previousFirstDay: from - length, previousLastDay: from - 1, slug: slug(from, end))
        }
        switch period {
        case .daily:
            return ReportTimeFrame(
                current: ReportPeriod(firstDay: end, lastDay: end, label: "daily"),
                previousFirstDay: end - 1, previousLastDay: end - 1, slug: UTCDate.dateString(days: end))
        case .weekly:
            return ReportTimeFrame(
                current: ReportPeriod(firstDay: end - 6, lastDay: end, label: "weekly"),
                previousFirstDay: end - 13, previousLastDay: end - 7, slug: slug(end - 6, end))
        case .monthly:
            // The month of `end` counts only when `end` is its last day.
            var (y, m, _) = UTCDate.civil(days: end + 1)
            (y, m) = m == 1 ? (y - 1, 12) : (y, m - 1)
            let first = UTCDate.days(year: y, month: m, day: 1)
            let last = UTCDate.days(year: m == 12 ? y + 1 : y, month: m == 12 ? 1 : m + 1, day: 1) - 1
            let (py, pm) = m == 1 ? (y - 1, Int64(12)) : (y, m - 1)
            return ReportTimeFrame(
                current: ReportPeriod(firstDay: first, lastDay: last, label: "monthly"),
                previousFirstDay: UTCDate.days(year: py, month: pm, day: 1), previousLastDay: first - 1,
                slug: String(UTCDate.dateString(days: first).prefix(7)))
        }
    }

    private static func slug(_ first: Int64, _ last: Int64) -> String {
        UTCDate.dateString(days: first) + "_" + UTCDate.dateString(days: last)
    }
}
