import HomeBaseCore
import SQLiteStore
import Lake
import Parquet
/// Lenient readers for the cell values of invoice exports, which are written by spreadsheets and
/// pandas as often as by the providers (`3608.0`, `False`, `2026-03-31 02:00`, times without a zone).
package enum InvoiceValue {
    /// A token or request count: `1234`, `1234.0`, `1.2e3`; empty → nil; fractional or bad → throws.
    static func count(_ text: String, column: String) throws(InvoiceRowError) -> Int64? {
        let trimmed = text.trimmedSpaces
        if trimmed.isEmpty { return nil }
        let parsed: Int64
        if let value = Int64(trimmed) {
            parsed = value
        } else {
            guard let money = Money(trimmed), money.scale == 0, let value = Int64(exactly: money.units) else {
                throw InvoiceRowError("\(column) is not a whole number: '\(text)'")
            }
            parsed = value
        }
        // Far above any real day of usage, and far enough below Int64.max that the sums,
        // differences and ms→µs products taken from counts cannot overflow.
        guard parsed >= -maxCount && parsed <= maxCount else { throw InvoiceRowError("\(column) \(text) is outside -\(maxCount)...\(maxCount)") }
        return parsed
    }

    /// The largest count (tokens, requests, milliseconds) or quantity an export row may hold:
    /// 10^12, a trillion tokens on one line. Reconciliation sums these per day in Int64, which
    /// cannot overflow before a day has millions of lines.
    package static let maxCount: Int64 = 1_000_000_000_000

    /// A `ConsumedQuantity` as a double, refused outside ±``maxCount`` (1e30 trapped reconcile).
    static func quantity(_ value: Money, column: String) throws(InvoiceRowError) -> Double {
        let double = value.doubleValue
        guard double.isFinite, double >= -Double(maxCount), double <= Double(maxCount) else {
            throw InvoiceRowError("\(column) \(value) is outside -\(maxCount)...\(maxCount)")
        }
        return double
    }

    /// An exact amount; empty → nil; bad → throws.
    /// `lakeDecimal`: an amount of money, which the lake keeps as DECIMAL(38,18) (quantities
    /// read through here have their own range check).
    static func money(_ text: String, column: String, lakeDecimal: Bool = true) throws(InvoiceRowError) -> Money? {
        let trimmed = text.trimmedSpaces
        if trimmed.isEmpty { return nil }
        guard let value = Money(trimmed) else { throw InvoiceRowError("\(column) is not a decimal amount: '\(text)'") }
        // The lake keeps money as DECIMAL(38,18): 20 integer digits.
        guard !lakeDecimal || Decimal128.unscaled(text: value.description, scale: 18) != nil else {
            throw InvoiceRowError("\(column) is beyond the 20 integer digits the lake keeps: '\(text)'")
        }
        return value
    }

    /// A JSON number or a number written as a string (OpenAI sends both), exactly.
    static func money(_ value: JSONValue?, field: String, lakeDecimal: Bool = true) throws(InvoiceRowError) -> Money? {
        switch value {
        case .none, .null?: return nil
        case .number(let text)?, .string(let text)?: return try money(text, column: field, lakeDecimal: lakeDecimal)
        default: throw InvoiceRowError("\(field) is not a number")
        }
    }

    static func count(_ value: JSONValue?, field: String) throws(InvoiceRowError) -> Int64? {
        switch value {
        case .none, .null?: return nil
        case .number(let text)?, .string(let text)?: return try count(text, column: field)
        default: throw InvoiceRowError("\(field) is not a number")
        }
    }

    /// Epoch µs of `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.fff]]`, with `T` or a space, with `Z`, an
    /// offset, or no zone (then UTC: every export read here states UTC), or of unix seconds.
    static func time(_ text: String, column: String) throws(InvoiceRowError) -> Int64 {
        let trimmed = text.trimmedSpaces
        if !trimmed.isEmpty, trimmed.allSatisfy(\.isNumber), let seconds = Int64(trimmed) { return try micros(seconds: seconds, column, text) }
        var normal = trimmed
        if normal.count == 10 { normal += "T00:00:00" } else if normal.count == 16 { normal += ":00" }
        // A zone is a trailing Z or a sign after the date part (bytes, not Foundation: this runs per row).
        let zoned =
            normal.utf8.last == UInt8(ascii: "Z")
            || normal.utf8.dropFirst(11).contains { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }
        if !zoned { normal += "Z" }
        guard let micros = ISO8601Time.micros(normal) else {
            throw InvoiceRowError("\(column) is not a date or time: '\(text)'")
        }
        if let problem = CallRange.timeProblem(micros, field: "\(column) '\(text)'") { throw InvoiceRowError(problem) }
        return micros
    }

    /// Unix seconds → µs, refused (never wrapped or trapped on) outside the years the lake's dates hold.
    static func micros(seconds: Int64, _ field: String, _ text: String) throws(InvoiceRowError) -> Int64 {
        let (micros, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
        if overflow {
            throw InvoiceRowError("\(field) \(text) is not unix seconds in years 0001-9999 (too large); fix the export or re-download it")
        }
        if let problem = CallRange.timeProblem(micros, field: "\(field) \(text)") { throw InvoiceRowError(problem) }
        return micros
    }

    /// Epoch µs of a JSON unix-seconds number or an RFC 3339 string.
    static func time(_ value: JSONValue?, field: String) throws(InvoiceRowError) -> Int64 {
        switch value {
        case .number(let text)?:
            guard let seconds = Int64(text) ?? Double(text).flatMap({ Int64(exactly: $0.rounded()) }) else {
                throw InvoiceRowError("\(field) is not unix seconds: \(text)")
            }
            return try micros(seconds: seconds, field, text)
        case .string(let text)?: return try time(text, column: field)
        default: throw InvoiceRowError("\(field) is missing")
        }
    }

    /// A JSON string field, nil when absent, null or empty.
    static func string(_ value: JSONValue?) -> String? {
        guard case .string(let text)? = value, !text.isEmpty else { return nil }
        return text
    }
}

extension String {
    var trimmedSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return String(s)
    }

    /// `nil` when empty after trimming.
    var nonBlank: String? { let t = trimmedSpaces; return t.isEmpty ? nil : t }
}
