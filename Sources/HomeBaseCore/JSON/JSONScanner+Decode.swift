/// Decoding of recorded spans: strings (all escapes, surrogate pairs, lone surrogates → U+FFFD),
/// integers and doubles, and byte-wise comparison of string spans against literals.
extension JSONScanner {
    /// Whether `span` is a string span whose decoded value equals `literal` (compared as bytes).
    @inline(__always)
    package func stringEquals(_ span: JSONSpan, _ literal: StaticString) -> Bool {
        stringEquals(span, bytes: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// The same against a string's UTF-8 (a value seen before, such as a manifest's archive name).
    package func stringEquals(_ span: JSONSpan, _ text: String) -> Bool {
        var text = text
        return text.withUTF8 { stringEquals(span, bytes: $0) }
    }

    @inline(__always)
    private func stringEquals(_ span: JSONSpan, bytes expected: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !span.isAbsent, byte(at: span.start) == UInt8(ascii: "\"") else { return false }
        if span.escaped { return decodeStringBytes(span).elementsEqual(expected) }
        let count = expected.count
        guard span.end - span.start - 2 == count else { return false }
        var i = 0
        while i < count {
            if byte(at: span.start + 1 + i) != expected[i] { return false }
            i += 1
        }
        return true
    }

    /// Whether `span` is a string span (not null, number, …).
    package func isString(_ span: JSONSpan) -> Bool {
        !span.isAbsent && byte(at: span.start) == UInt8(ascii: "\"")
    }

    /// The decoded text of a string span, or `nil` if the span is absent or not a string.
    package func string(_ span: JSONSpan) -> String? {
        guard isString(span) else { return nil }
        if !span.escaped {
            let raw = UnsafeRawBufferPointer(rebasing: bytes[(span.start + 1)..<(span.end - 1)])
            return String(decoding: raw, as: UTF8.self)
        }
        return String(decoding: decodeStringBytes(span), as: UTF8.self)
    }

    /// The UTF-8 bytes of a (validated) string span with escapes resolved.
    package func decodeStringBytes(_ span: JSONSpan) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(span.end - span.start)
        var i = span.start + 1
        let stop = span.end - 1
        while i < stop {
            // The run up to the next backslash in one copy (a manifest's paths escape every '/').
            var run = i
            while run < stop && byte(at: run) != UInt8(ascii: "\\") { run += 1 }
            if run > i {
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<run]))
                i = run
                continue
            }
            let e = byte(at: i + 1)
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var unit = hex4(at: i)
                i += 4
                if unit >= 0xD800 && unit <= 0xDBFF {
                    // A high surrogate: combine with a following low surrogate escape, else U+FFFD.
                    if i + 6 <= stop && byte(at: i) == UInt8(ascii: "\\") && byte(at: i + 1) == UInt8(ascii: "u") {
                        let low = hex4(at: i + 2)
                        if low >= 0xDC00 && low <= 0xDFFF {
                            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        } else {
                            unit = 0xFFFD
                        }
                    } else {
                        unit = 0xFFFD
                    }
                } else if unit >= 0xDC00 && unit <= 0xDFFF {
                    unit = 0xFFFD
                }
                Self.appendUTF8(unit, to: &out)
            default: out.append(e)  // " \ /
            }
        }
        return out
    }

    @inline(__always) private func hex4(at index: Int) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 { value = value << 4 | (Self.hexValue(byte(at: index + k)) ?? 0) }
        return value
    }

    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    /// Whether a number span is written as an integer (no fraction, no exponent).
    package func isIntegerLiteral(_ span: JSONSpan) -> Bool {
        guard isNumber(span) else { return false }
        for i in span.start..<span.end {
            let c = byte(at: i)
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") { return false }
        }
        return true
    }

    /// Whether `span` is a number span.
    package func isNumber(_ span: JSONSpan) -> Bool {
        guard !span.isAbsent else { return false }
        let c = byte(at: span.start)
        return c == UInt8(ascii: "-") || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
    }

    /// A number span as `Int64`: exact for integer literals in range; integral doubles are
    /// accepted (`12.0`, `1e3`); `nil` for non-numbers, fractions and out-of-range values.
    package func int64(_ span: JSONSpan) -> Int64? {
        guard isNumber(span) else { return nil }
        var i = span.start
        let negative = byte(at: i) == UInt8(ascii: "-")
        if negative { i += 1 }
        var value: Int64 = 0
        while i < span.end {
            let d = byte(at: i) &- UInt8(ascii: "0")
            guard d < 10 else { break }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(d))
            if o1 || o2 { return integralDouble(span) }
            value = a
            i += 1
        }
        if i == span.end { return negative ? -value : value }
        return integralDouble(span)
    }

    private func integralDouble(_ span: JSONSpan) -> Int64? {
        guard let d = double(span), d.rounded() == d, abs(d) < 9.2e18 else { return nil }
        return Int64(d)
    }

    /// A number span as `Double` (correctly rounded, exponents allowed), or `nil` for non-numbers.
    package func double(_ span: JSONSpan) -> Double? {
        guard isNumber(span) else { return nil }
        let raw = UnsafeRawBufferPointer(rebasing: bytes[span.start..<span.end])
        return Double(String(decoding: raw, as: UTF8.self))
    }

    /// The raw bytes of a span as text (for numbers kept verbatim).
    package func rawText(_ span: JSONSpan) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[span.start..<span.end]), as: UTF8.self)
    }
}
