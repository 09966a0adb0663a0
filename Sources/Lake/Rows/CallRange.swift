import HomeBaseCore
/// The ranges a call's numbers must fall in to enter the lake. A value outside is a bad line,
/// quarantined with a reason naming the field: never clamped, wrapped or stored as 0 (issue 26).
package enum CallRange {
    /// Tokens of one kind in one call: at most 10^9 either way. The largest context windows are
    /// ~10^7 tokens, so nothing real comes near; negative counts are real (a real sample logs
    /// `input: -495`, a cache-accounting correction) and kept as logged. A sum of n such values is
    /// at most n·10^9 in size, so Int64 sums over any table that fits in memory (fewer than
    /// 9·10^9 rows) cannot overflow.
    package static let maxTokens: Int64 = 1_000_000_000

    /// First µs of 0001-01-01 and last µs of 9999-12-31 UTC: the days a `date=YYYY-MM-DD`
    /// partition can name (four-digit years, so partition names sort as the dates they are).
    package static let minMicros: Int64 = UTCDate.days(year: 1, month: 1, day: 1) * 86_400_000_000
    package static let maxMicros: Int64 = UTCDate.days(year: 10_000, month: 1, day: 1) * 86_400_000_000 - 1

    /// Why `micros` (read from `field`) cannot be stored, or nil when it can.
    package static func timeProblem(_ micros: Int64, field: String) -> String? {
        guard micros < minMicros || micros > maxMicros else { return nil }
        let year = UTCDate.civil(days: UTCDate.dayNumber(micros: micros)).year
        return "\(field) is in year \(year), outside 0001-9999 (the years the lake's dates hold); fix the timestamp in the source line"
    }

    /// Why a token count cannot be stored, or nil. `raw` is the value as written in the line.
    /// `raw` and `field` are only built for a problem: they are asked on every token count read.
    package static func tokenProblem(_ value: Int64?, raw: @autoclosure () -> String, field: @autoclosure () -> String) -> String? {
        if let value, value >= -maxTokens && value <= maxTokens { return nil }
        return "\(field()) = \(raw()) is not a token count in -\(maxTokens)...\(maxTokens); fix or remove the line"
    }

    /// Why a logged cost cannot be stored, or nil: non-finite money (1e400 reads as +inf) never enters the lake.
    package static func costProblem(_ value: Double?, raw: @autoclosure () -> String, field: @autoclosure () -> String) -> String? {
        guard let value else { return "\(field()) = \(raw()) is not a number; fix or remove the line" }
        return value.isFinite ? nil : "\(field()) = \(raw()) is not a finite amount; fix or remove the line"
    }
}
