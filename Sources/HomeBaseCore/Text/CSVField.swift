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

    /// Always quoted, quotes doubled (byte by byte: a quote followed by a combining mark is one
    /// Character, which a search for "\"" passes over).
    package static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = [0x22]
        bytes.reserveCapacity(text.utf8.count + 2)
        for byte in text.utf8 {
            bytes.append(byte)
            if byte == 0x22 { bytes.append(0x22) }
        }
        bytes.append(0x22)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Quoted only when it holds a comma, quote or line break. Looked for byte by byte: as
    /// Characters, "\r\n" is one grapheme equal to neither "\r" nor "\n", so a field holding a
    /// CRLF went out unquoted and split its row in two (and a comma followed by a combining mark
    /// is no "," either).
    package static func minimal(_ text: String) -> String {
        text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) ? quoted(text) : text
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
