import HomeBaseCore
/// The analysed period (UTC dates, inclusive) and the factor that scales its sums to 30 days.
package struct RecommendationPeriod: Sendable, Equatable {
    package var from: String
    package var to: String
    package var firstDay: Int64
    package var lastDay: Int64

    /// - Throws: ``RecommendationError`` when a date is not `YYYY-MM-DD` or `to` precedes `from`.
    package init(from: String, to: String) throws {
        guard let first = UTCDate.parseDate(from) else { throw RecommendationError("--from expects YYYY-MM-DD, got '\(from)'") }
        guard let last = UTCDate.parseDate(to) else { throw RecommendationError("--to expects YYYY-MM-DD, got '\(to)'") }
        guard first <= last else { throw RecommendationError("the period ends (\(to)) before it starts (\(from))") }
        self.from = from
        self.to = to
        firstDay = first
        lastDay = last
    }

    package var days: Int { Int(lastDay - firstDay + 1) }
    /// Period sums × this = the same rate over 30 days.
    package var monthScale: Double { 30 / Double(days) }

    /// The assumption line every period-scaled recommendation carries.
    var scalingNote: String {
        "Scaled from the \(days)-day period \(from)…\(to) to 30 days (× \(RecommendationText.number(monthScale, digits: 3))), assuming the same rate of calls."
    }
}

/// A recommendation run that cannot proceed; says what to fix.
package struct RecommendationError: Error, CustomStringConvertible, Sendable {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
