import Foundation

/// Fixed-point number text without exponents (Double.description uses them), with optional grouping.
package enum ReportNumberFormat {
    /// `value` with exactly `places` decimals, "-" for negatives, "NaN"/"Infinity" for non-finite values.
    package static func fixed(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-Infinity" : "Infinity") }
        let text = String(format: "%.\(max(0, min(places, 12)))f", value)
        // "-0.00" reads as a sign error in a report; a rounded zero has no sign.
        if text.hasPrefix("-"), !text.contains(where: { $0 >= "1" && $0 <= "9" }) { return String(text.dropFirst()) }
        return text
    }

    /// `fixed` with thousands separators in the integer part: 1234567.5 → "1,234,567.50".
    package static func display(_ value: Double, places: Int) -> String {
        let text = fixed(value, places: places)
        guard value.isFinite else { return text }
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", maxSplits: 1)
        let integer = grouped(String(parts[0]))
        let result = parts.count == 2 ? integer + "." + parts[1] : integer
        return negative ? "-" + result : result
    }

    /// Digits grouped by three: "1234567" → "1,234,567" (keeps a leading "-").
    package static func grouped(_ digits: String) -> String {
        let negative = digits.hasPrefix("-")
        let body = Array(negative ? digits.dropFirst() : Substring(digits))
        var out = ""
        for (index, char) in body.enumerated() {
            if index > 0 && (body.count - index) % 3 == 0 { out.append(",") }
            out.append(char)
        }
        return negative ? "-" + out : out
    }

    /// Trailing zeros of a fixed-point text dropped down to `minPlaces` decimals: "0.003900" → "0.0039", "4.500000" → "4.50".
    package static func trimmed(_ text: String, minPlaces: Int) -> String {
        guard let dot = text.firstIndex(of: "."), text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "," }) else { return text }
        var out = text
        while out.last == "0", out.distance(from: dot, to: out.endIndex) - 1 > minPlaces { out.removeLast() }
        if text.hasPrefix("-"), !out.contains(where: { $0 >= "1" && $0 <= "9" }) { out.removeFirst() }
        return out
    }
}
