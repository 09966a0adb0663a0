import HomeBaseCore
/// A growable byte buffer with the few formatters the generator needs (integers, exact
/// decimals, ISO-8601 times, hex ids, JSON-escaped text), so no line goes through `String`.
struct ByteSink {
    var bytes: [UInt8] = []

    init(capacity: Int = 1 << 16) { bytes.reserveCapacity(capacity) }

    var count: Int { bytes.count }

    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    @inline(__always) mutating func byte(_ b: UInt8) { bytes.append(b) }

    /// Appends ASCII/UTF-8 text that needs no escaping (keys, fixed JSON fragments).
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ chunk: [UInt8]) { bytes.append(contentsOf: chunk) }

    mutating func raw(_ chunk: ArraySlice<UInt8>) { bytes.append(contentsOf: chunk) }

    /// Appends an arbitrary string, JSON-escaped (slow path, for names and precomputation).
    mutating func escaped(_ text: String) { bytes.append(contentsOf: ByteSink.jsonEscape(text)) }

    mutating func int(_ value: Int64) {
        if value < 0 { byte(UInt8(ascii: "-")); uint(UInt64(-value)) } else { uint(UInt64(value)) }
    }

    mutating func int(_ value: Int) { int(Int64(value)) }

    mutating func uint(_ value: UInt64) {
        var count = 1
        var probe = value
        while probe >= 10 { probe /= 10; count += 1 }
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: count))
        bytes.withUnsafeMutableBufferPointer { buffer in
            var v = value
            var index = start + count - 1
            repeat {
                buffer[index] = UInt8(truncatingIfNeeded: 48 &+ v % 10)
                v /= 10
                index -= 1
            } while v > 0
        }
    }

    /// Writes `units × 10^-scale` the way JavaScript's `Number#toString` would: plain decimal,
    /// or exponent notation (`1.34775e-9`) below 1e-6; trailing zeros dropped.
    mutating func decimal(_ units: Int64, scale: Int) {
        if units == 0 { byte(48); return }
        if units < 0 { byte(UInt8(ascii: "-")) }
        var digits: [UInt8] = []
        var v = units.magnitude
        while v > 0 { digits.append(UInt8(48 + v % 10)); v /= 10 }
        digits.reverse()  // most significant first
        // value = 0.digits × 10^(digits.count - scale); decimal exponent of the leading digit:
        let leadExponent = digits.count - scale - 1
        var last = digits.count - 1
        while last > 0 && digits[last] == 48 { last -= 1 }
        let significant = digits[0...last]
        if leadExponent < -6 {
            byte(significant[0])
            if significant.count > 1 { byte(UInt8(ascii: ".")); bytes.append(contentsOf: significant.dropFirst()) }
            raw("e-")
            uint(UInt64(-leadExponent))
            return
        }
        if leadExponent < 0 {
            raw("0.")
            for _ in 0..<(-leadExponent - 1) { byte(48) }
            bytes.append(contentsOf: significant)
            return
        }
        let integerDigits = leadExponent + 1
        if significant.count <= integerDigits {
            bytes.append(contentsOf: significant)
            for _ in 0..<(integerDigits - significant.count) { byte(48) }
        } else {
            bytes.append(contentsOf: significant[0..<integerDigits])
            byte(UInt8(ascii: "."))
            bytes.append(contentsOf: significant[integerDigits...])
        }
    }

    /// `2026-03-04T09:12:07.418Z` from epoch milliseconds (what `Date#toISOString` writes).
    mutating func isoUTC(_ millis: Int64) { iso(millis, offsetMinutes: nil) }

    /// ISO-8601 local time with offset (`2026-05-20T10:11:02.508+02:00`), or UTC `Z` when nil.
    mutating func iso(_ millis: Int64, offsetMinutes: Int?) {
        let local = millis + Int64(offsetMinutes ?? 0) * 60_000
        let (days, msOfDay) = local.floorDivided(by: 86_400_000)
        let (y, m, d) = UTCDate.civil(days: days)
        pad(Int(y), 4); byte(45); pad(Int(m), 2); byte(45); pad(Int(d), 2); byte(84)
        let seconds = msOfDay / 1000
        pad(Int(seconds / 3600), 2); byte(58); pad(Int(seconds / 60 % 60), 2); byte(58); pad(Int(seconds % 60), 2)
        byte(46); pad(Int(msOfDay % 1000), 3)
        if let offsetMinutes {
            byte(offsetMinutes < 0 ? 45 : 43)
            pad(abs(offsetMinutes) / 60, 2); byte(58); pad(abs(offsetMinutes) % 60, 2)
        } else {
            byte(90)
        }
    }

    /// `2026-03-02` from days since 1970-01-01.
    mutating func date(_ days: Int64) {
        let (y, m, d) = UTCDate.civil(days: days)
        pad(Int(y), 4); byte(45); pad(Int(m), 2); byte(45); pad(Int(d), 2)
    }

    mutating func pad(_ value: Int, _ width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 { byte(UInt8(48 + (v / divisor) % 10)); v %= divisor; divisor /= 10 }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `count` lowercase hex digits of `value` (most significant first).
    mutating func hex(_ value: UInt64, digits count: Int) {
        var shift = (count - 1) * 4
        while shift >= 0 { byte(ByteSink.hexDigits[Int((value >> UInt64(shift)) & 0xF)]); shift -= 4 }
    }

    /// A version-4 UUID string from two random words.
    mutating func uuid(_ high: UInt64, _ low: UInt64) {
        let h = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let l = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        hex(h >> 32, digits: 8); byte(45); hex(h >> 16, digits: 4); byte(45); hex(h, digits: 4); byte(45)
        hex(l >> 48, digits: 4); byte(45); hex(l, digits: 12)
    }

    /// JSON string-body escaping (no surrounding quotes), as `JSON.stringify` does it.
    static func jsonEscape(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 8)
        JSONQuote.escape(text, into: &out)
        return out
    }
}

extension Int64 {
    /// Floor division with a non-negative remainder (dates before 1970 stay correct).
    package func floorDivided(by divisor: Int64) -> (Int64, Int64) {
        var q = self / divisor, r = self % divisor
        if r < 0 { q -= 1; r += divisor }
        return (q, r)
    }
}
