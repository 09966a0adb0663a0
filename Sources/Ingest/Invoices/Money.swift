/// An exact decimal amount, `units × 10^-scale`, for money read from invoices: no binary
/// floating point between the source text and the totals, so sums match the bill to the cent.
/// Digits beyond 30 decimal places (e.g. OpenAI's `0E-6176`) are rounded half-even.
package struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    package private(set) var units: Int128
    package private(set) var scale: Int

    package static let maxScale = 30
    package static let zero = Money(units: 0, scale: 0)

    /// `units × 10^-scale`, normalised (no trailing fractional zeros).
    package init(units: Int128, scale: Int) {
        var units = units, scale = scale
        while scale > 0 && units % 10 == 0 { units /= 10; scale -= 1 }
        self.units = units == 0 ? 0 : units
        self.scale = units == 0 ? 0 : scale
    }

    /// Parses `-12.345`, `+0.5`, `.5`, `3.`, `1.34775e-9`, `0E-6176`; nil for anything else
    /// (empty, `NaN`, thousands separators) or a value too large for 38 digits.
    package init?(_ text: some StringProtocol) {
        var bytes = Array(text.utf8)[...]
        while let first = bytes.first, first == 0x20 { bytes = bytes.dropFirst() }
        while let last = bytes.last, last == 0x20 { bytes = bytes.dropLast() }
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var digits: [UInt8] = []
        var exponent = 0
        var sawDigit = false, sawPoint = false
        while let c = bytes.first {
            if c >= 0x30 && c <= 0x39 {
                sawDigit = true
                if !(digits.isEmpty && c == 0x30) { digits.append(c - 0x30) }
                if sawPoint { exponent -= 1 }
            } else if c == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else {
                break
            }
            bytes = bytes.dropFirst()
        }
        guard sawDigit else { return nil }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            guard let value = Int(String(decoding: bytes, as: UTF8.self)), value > -100_000 && value < 100_000 else { return nil }
            exponent += value
            bytes = []
        }
        guard bytes.isEmpty else { return nil }
        while let last = digits.last, last == 0 { digits.removeLast(); exponent += 1 }
        if digits.isEmpty { self = .zero; return }
        // Round half-even when there are more digits than the scale or an Int128 can hold.
        let excess = max(-exponent - Money.maxScale, digits.count - 37, 0)
        if excess > 0 {
            guard excess <= digits.count else { self = .zero; return }
            let kept = Array(digits[..<(digits.count - excess)])
            let dropped = digits[(digits.count - excess)...]
            digits = kept
            exponent += excess
            let first = dropped.first ?? 0
            let restNonZero = dropped.dropFirst().contains { $0 != 0 }
            let lastKeptOdd = (kept.last ?? 0) % 2 == 1
            if first > 5 || (first == 5 && (restNonZero || lastKeptOdd)) {
                var i = digits.count - 1
                while i >= 0 && digits[i] == 9 { digits[i] = 0; i -= 1 }
                if i >= 0 { digits[i] += 1 } else { digits.insert(1, at: 0) }
            }
            if digits.isEmpty { self = .zero; return }
        }
        var units: Int128 = 0
        for d in digits { units = units * 10 + Int128(d) }
        while exponent > 0 {
            let (product, overflow) = units.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            units = product
            exponent -= 1
        }
        self.init(units: negative ? -units : units, scale: -exponent)
    }

    /// The same amount with the decimal point moved `places` to the left (cents → dollars is 2).
    package func shifted(left places: Int) -> Money {
        if scale + places <= Money.maxScale { return Money(units: units, scale: scale + places) }
        return Money(description.isEmpty ? "0" : "\(description)e-\(places)") ?? .zero
    }

    package static func + (a: Money, b: Money) -> Money {
        let scale = max(a.scale, b.scale)
        guard let x = a.units(at: scale), let y = b.units(at: scale) else {
            return Money(String(a.doubleValue + b.doubleValue)) ?? .zero  // beyond 38 digits: not money any more
        }
        let (sum, overflow) = x.addingReportingOverflow(y)
        return overflow ? (Money(String(a.doubleValue + b.doubleValue)) ?? .zero) : Money(units: sum, scale: scale)
    }

    package static func += (a: inout Money, b: Money) { a = a + b }
    package static prefix func - (a: Money) -> Money { Money(units: -a.units, scale: a.scale) }
    package static func - (a: Money, b: Money) -> Money { a + (-b) }

    package static func < (a: Money, b: Money) -> Bool {
        let scale = max(a.scale, b.scale)
        if let x = a.units(at: scale), let y = b.units(at: scale) { return x < y }
        return a.doubleValue < b.doubleValue
    }

    private func units(at target: Int) -> Int128? {
        var value = units
        for _ in 0..<(target - scale) {
            let (product, overflow) = value.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            value = product
        }
        return value
    }

    package var isZero: Bool { units == 0 }

    /// Rounded half-even to `places` decimals (e.g. 2 for cents).
    package func rounded(places: Int) -> Money {
        guard scale > places else { return self }
        var divisor: Int128 = 1
        for _ in 0..<(scale - places) { divisor *= 10 }
        var (quotient, remainder) = units.quotientAndRemainder(dividingBy: divisor)
        let twice = 2 * (remainder < 0 ? -remainder : remainder)
        if twice > divisor || (twice == divisor && quotient % 2 != 0) { quotient += units < 0 ? -1 : 1 }
        return Money(units: quotient, scale: places)
    }

    /// Plain decimal text, never exponent notation: `-0.0012`, `15`, `0`.
    package var description: String {
        let negative = units < 0
        var digits = String(negative ? -units : units)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return (negative ? "-" : "") + digits
    }

    /// The nearest double, for convenience columns and percentages (never for totals).
    package var doubleValue: Double { Double(description) ?? 0 }

    package init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Money(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a decimal: \(text)"))
        }
        self = value
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
