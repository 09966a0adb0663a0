/// Parses ISO-8601 date-times as OpenClaw writes them (`2026-03-04T09:12:07.418Z`,
/// `2026-03-17T22:56:05.836+08:00`) into epoch microseconds, without Foundation formatters.
package enum ISO8601Time {
    /// `YYYY-MM-DD[T ]HH:MM:SS[.fraction](Z|±HH:MM|±HHMM)`; `nil` if malformed or zone-less
    /// (a local time without an offset cannot be placed on the UTC axis).
    package static func micros<Bytes: RandomAccessCollection>(_ text: Bytes) -> Int64? where Bytes.Element == UInt8, Bytes.Index == Int {
        var i = text.startIndex
        let end = text.endIndex
        func digits(_ n: Int) -> Int64? {
            guard i + n <= end else { return nil }
            var v: Int64 = 0
            for k in 0..<n {
                let d = text[i + k] &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                v = v * 10 + Int64(d)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < end, text[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(UInt8(ascii: "-")), let month = digits(2), expect(UInt8(ascii: "-")),
            let day = digits(2)
        else { return nil }
        guard i < end, text[i] == UInt8(ascii: "T") || text[i] == UInt8(ascii: "t") || text[i] == 0x20 else { return nil }
        i += 1
        guard let hour = digits(2), expect(UInt8(ascii: ":")), let minute = digits(2), expect(UInt8(ascii: ":")),
            let second = digits(2)
        else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var fractionMicros: Int64 = 0
        if i < end, text[i] == UInt8(ascii: ".") || text[i] == UInt8(ascii: ",") {
            i += 1
            var scale: Int64 = 100_000
            var count = 0
            while i < end, text[i] &- UInt8(ascii: "0") < 10 {
                fractionMicros += Int64(text[i] &- UInt8(ascii: "0")) * scale
                scale /= 10
                i += 1
                count += 1
            }
            guard count > 0 else { return nil }
        }
        guard i < end else { return nil }
        var offsetSeconds: Int64 = 0
        let z = text[i]
        if z == UInt8(ascii: "Z") || z == UInt8(ascii: "z") {
            i += 1
        } else if z == UInt8(ascii: "+") || z == UInt8(ascii: "-") {
            i += 1
            guard let oh = digits(2) else { return nil }
            _ = expect(UInt8(ascii: ":"))
            guard let om = digits(2), oh < 24, om < 60 else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (z == UInt8(ascii: "-") ? -1 : 1)
        } else {
            return nil
        }
        guard i == end else { return nil }
        let days = UTCDate.days(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return seconds * 1_000_000 + fractionMicros
    }

    /// Convenience for strings.
    package static func micros(_ text: String) -> Int64? {
        micros(Array(text.utf8))
    }
}
