/// Fast UTC calendar conversions for epoch microseconds (no Foundation, no time zones).
package enum UTCDate {
    /// Days since 1970-01-01 → (year, month, day), Howard Hinnant's civil_from_days.
    package static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// (year, month, day) → days since 1970-01-01.
    package static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
    package static func weekday(days: Int64) -> Int {
        let shifted = days + 3
        return Int(((shifted % 7) + 7) % 7)
    }

    package static func dayNumber(micros: Int64) -> Int64 {
        let perDay: Int64 = 86_400_000_000
        return micros >= 0 ? micros / perDay : (micros - perDay + 1) / perDay
    }

    /// `YYYY-MM-DD` of the UTC day holding `micros`.
    package static func dateString(micros: Int64) -> String { dateString(days: dayNumber(micros: micros)) }

    package static func dateString(days: Int64) -> String {
        let (y, m, d) = civil(days: days)
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    /// `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    package static func isoString(micros: Int64) -> String {
        let days = dayNumber(micros: micros)
        let rest = micros - days * 86_400_000_000
        let seconds = rest / 1_000_000
        return dateString(days: days) + "T" + pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":"
            + pad(seconds % 60, 2) + "." + pad(rest % 1_000_000, 6) + "Z"
    }

    /// Parses `YYYY-MM-DD` into a day number, or nil.
    package static func parseDate(_ text: String) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2, let y = Int64(parts[0]), let m = Int64(parts[1]),
            let d = Int64(parts[2]),
            (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        let days = days(year: y, month: m, day: d)
        return civil(days: days) == (y, m, d) ? days : nil
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
