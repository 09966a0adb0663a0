/// One field of RFC 4180 CSV, with the OWASP guard against spreadsheet formulas: the one quoting
/// rule of every CSV Home Base writes (reports, `query --format csv`, `parquet cat`).
package enum CSVField {
    /// Text that a spreadsheet would run as a formula gets a leading `'`, unless it is a plain number.
    package static func protect(_ text: String) -> String {
        guard let first = text.utf8.first else { return text }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D, 0x0A: break
        default: return text
        }
        guard !isNumericLiteral(text) else { return text }
        return "'" + text
    }

    /// Always quoted, quotes doubled.
    package static func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// Quoted only when it holds a comma, quote or line break.
    package static func minimal(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? quoted(text) : text
    }

    /// A text value for a data CSV: formula-guarded, then quoted only when needed.
    package static func text(_ text: String) -> String { minimal(protect(text)) }

    /// `^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$`, written out by hand.
    package static func isNumericLiteral(_ text: String) -> Bool {
        var chars = Array(text.utf8)[...]
        if let first = chars.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { chars = chars.dropFirst() }
        func digits() -> Int {
            var n = 0
            while let c = chars.first, c >= 48, c <= 57 {
                chars = chars.dropFirst()
                n += 1
            }
            return n
        }
        var mantissa = digits()
        if chars.first == UInt8(ascii: ".") {
            chars = chars.dropFirst()
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if let e = chars.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            chars = chars.dropFirst()
            if let s = chars.first, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { chars = chars.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return chars.isEmpty
    }
}
