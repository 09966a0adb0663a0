/// DECIMAL values as Parquet keeps them in a FIXED_LEN_BYTE_ARRAY: the unscaled integer in
/// big-endian two's complement, `width` bytes (16 for precision 38), times 10^-scale.
package enum Decimal128 {
    /// The fewest bytes whose signed range holds every `precision`-digit number (16 for 38).
    package static func width(precision: Int32) -> Int {
        var limit: Int128 = 1
        for _ in 0..<Swift.min(Int(precision), 38) { limit *= 10 }
        var bytes = 1
        while bytes < 16 && (Int128(1) << (8 * bytes - 1)) < limit { bytes += 1 }
        return bytes
    }

    /// `unscaled` as `width` big-endian bytes.
    package static func bytes(_ unscaled: Int128, width: Int = 16) -> [UInt8] {
        let bits = UInt128(bitPattern: unscaled)
        return (0..<width).map { UInt8(truncatingIfNeeded: bits >> (8 * (width - 1 - $0))) }
    }

    /// The unscaled integer of a stored value (sign-extended from its first byte).
    package static func unscaled(_ bytes: some Collection<UInt8>) -> Int128 {
        var value: Int128 = bytes.first.map { $0 & 0x80 != 0 ? -1 : 0 } ?? 0
        for byte in bytes { value = (value << 8) | Int128(byte) }
        return value
    }

    /// A column of stored decimals as their exact text (an empty value, behind a null, gives "0").
    package static func textColumn(_ values: ByteArrayColumn, scale: Int32) -> ByteArrayColumn {
        var texts = ByteArrayColumn()
        for i in 0..<values.count { texts.append(text(values.value(at: i), scale: scale)) }
        return texts
    }

    /// The order DECIMAL columns sort in (signed), for min/max statistics.
    static func compare(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Int {
        let x = unscaled(a), y = unscaled(b)
        return x < y ? -1 : x > y ? 1 : 0
    }

    /// The exact value as text: `-12.5`, `0.0123`, `7` (no exponent, no trailing fractional zeros).
    package static func text(_ bytes: some Collection<UInt8>, scale: Int32) -> String {
        text(unscaled: unscaled(bytes), scale: Int(scale))
    }

    /// The unscaled integer of plain decimal text (`-12.5`, `.5`, `3.`) at `scale`, digits beyond
    /// the scale rounded half to even; nil for anything else or beyond 38 digits.
    package static func unscaled(text: some StringProtocol, scale: Int) -> Int128? {
        var bytes = Substring(text).utf8[...]
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var value: Int128 = 0
        var digits = 0, fraction = -1, dropped: [UInt8] = []
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard fraction < 0 else { return nil }
                fraction = 0
                continue
            }
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            digits += 1
            if fraction >= scale {
                dropped.append(byte - 0x30)
                continue
            }
            if fraction >= 0 { fraction += 1 }
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (plus, o2) = times.addingReportingOverflow(Int128(byte - 0x30))
            guard !o1 && !o2 else { return nil }
            value = plus
        }
        guard digits > 0 else { return nil }
        for _ in Swift.max(fraction, 0)..<scale {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            value = times
        }
        // Half to even on the digits past the scale.
        if let first = dropped.first, first > 5 || (first == 5 && (dropped.dropFirst().contains { $0 > 0 } || value % 2 == 1)) {
            value += 1
        }
        guard value < maxUnscaled else { return nil }
        return negative ? -value : value
    }

    /// 10^38: the first unscaled value DECIMAL(38, s) cannot hold.
    static let maxUnscaled: Int128 = {
        var limit: Int128 = 1
        for _ in 0..<38 { limit *= 10 }
        return limit
    }()

    package static func text(unscaled: Int128, scale: Int) -> String {
        var units = unscaled, scale = scale
        while scale > 0 && units % 10 == 0 { units /= 10; scale -= 1 }
        let negative = units < 0
        var digits = String(units.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return (negative ? "-" : "") + digits
    }
}
