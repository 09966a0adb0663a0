import HomeBaseCore

/// Parses the timestamps a series file may hold into UTC epoch microseconds, without Foundation:
/// `YYYY-MM-DD` (midnight UTC), `YYYY-MM-DD HH:MM[:SS[.f…]]` (UTC) and ISO-8601
/// `YYYY-MM-DDTHH:MM[:SS[.f…]]` with `Z`, `±HH:MM`, `±HHMM`, `±HH` or no zone (read as UTC).
package enum Timestamp {
    /// The instant, or the reason the text is not a timestamp.
    package static func parse(_ bytes: ArraySlice<UInt8>) -> Result<Int64, Failure> {
        var cursor = Cursor(bytes: bytes)
        guard let year = cursor.digits(4), cursor.take(UInt8(ascii: "-")),
            let month = cursor.digits(2), cursor.take(UInt8(ascii: "-")), let day = cursor.digits(2)
        else {
            return .failure(Failure("expected a date YYYY-MM-DD at the start"))
        }
        guard (1...12).contains(month), (1...31).contains(day) else { return .failure(Failure("month or day out of range")) }
        let days = UTCDate.days(year: year, month: month, day: day)
        guard UTCDate.civil(days: days) == (year, month, day) else { return .failure(Failure("no such day")) }
        var micros = days * 86_400_000_000
        if cursor.atEnd { return .success(micros) }
        guard let separator = cursor.next(), separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ") else {
            return .failure(Failure("expected 'T' or a space between date and time"))
        }
        guard let hour = cursor.digits(2), cursor.take(UInt8(ascii: ":")), let minute = cursor.digits(2) else {
            return .failure(Failure("expected a time HH:MM[:SS]"))
        }
        var second: Int64 = 0, fraction: Int64 = 0
        if cursor.take(UInt8(ascii: ":")) {
            guard let s = cursor.digits(2) else { return .failure(Failure("expected seconds SS")) }
            second = s
            if cursor.take(UInt8(ascii: ".")) || cursor.take(UInt8(ascii: ",")) {
                var scale: Int64 = 100_000, count = 0
                while let d = cursor.digit() {
                    fraction += d * scale
                    scale /= 10
                    count += 1
                }
                guard count > 0 else { return .failure(Failure("expected digits after the decimal point")) }
            }
        }
        guard hour <= 23, minute <= 59, second <= 59 else { return .failure(Failure("time out of range")) }
        micros += ((hour * 60 + minute) * 60 + second) * 1_000_000 + fraction
        if cursor.atEnd { return .success(micros) }
        guard let zone = cursor.next() else { return .success(micros) }
        switch zone {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            break
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard let offsetHours = cursor.digits(2) else { return .failure(Failure("expected a zone offset ±HH:MM")) }
            var offsetMinutes: Int64 = 0
            let colon = cursor.take(UInt8(ascii: ":"))
            if let m = cursor.digits(2) { offsetMinutes = m } else if colon { return .failure(Failure("expected minutes in the zone offset")) }
            guard offsetHours <= 23, offsetMinutes <= 59 else { return .failure(Failure("zone offset out of range")) }
            let offset = (offsetHours * 60 + offsetMinutes) * 60_000_000
            micros += zone == UInt8(ascii: "+") ? -offset : offset
        default:
            return .failure(Failure("unexpected text after the time; expected Z or an offset such as +02:00"))
        }
        guard cursor.atEnd else { return .failure(Failure("unexpected text after the zone")) }
        return .success(micros)
    }

    /// Parses text (a convenience for callers and tests).
    package static func parse(_ text: String) -> Result<Int64, Failure> { parse(ArraySlice(text.utf8)) }

    /// Why a timestamp did not parse.
    package struct Failure: Error, Equatable, Sendable {
        package var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// A byte cursor over one field.
    private struct Cursor {
        let bytes: ArraySlice<UInt8>
        var index: Int

        init(bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
            index = bytes.startIndex
        }

        var atEnd: Bool { index == bytes.endIndex }

        mutating func next() -> UInt8? {
            guard index < bytes.endIndex else { return nil }
            defer { index += 1 }
            return bytes[index]
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.endIndex, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func digit() -> Int64? {
            guard index < bytes.endIndex, bytes[index] >= 48, bytes[index] <= 57 else { return nil }
            defer { index += 1 }
            return Int64(bytes[index] - 48)
        }

        mutating func digits(_ count: Int) -> Int64? {
            var value: Int64 = 0
            for _ in 0..<count {
                guard let d = digit() else { return nil }
                value = value * 10 + d
            }
            return value
        }
    }
}
