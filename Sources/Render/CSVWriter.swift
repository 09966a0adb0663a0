/// RFC 4180 CSV of one table: UTF-8, CRLF, a header row, ISO dates, text quoted, numbers bare.
/// Text that a spreadsheet would run as a formula gets a leading `'` (OWASP), unless it is a plain number.
package struct CSVWriter: Sendable {
    /// Prefix formula-looking text with `'` (on by default; turn off for pure data pipelines).
    package var neutraliseFormulas = true
    /// Start with a UTF-8 byte-order mark (what Excel on Windows needs to read UTF-8).
    package var byteOrderMark = false
    package var zone: ReportZone = .utc

    package init(neutraliseFormulas: Bool = true, byteOrderMark: Bool = false, zone: ReportZone = .utc) {
        self.neutraliseFormulas = neutraliseFormulas
        self.byteOrderMark = byteOrderMark
        self.zone = zone
    }

    package func write(_ table: ReportTable) throws(RenderError) -> [UInt8] {
        try table.validate()
        var text = ""
        text += table.columns.map { quoted(protect($0.header)) }.joined(separator: ",") + "\r\n"
        for row in table.rows {
            text += row.map(field).joined(separator: ",") + "\r\n"
        }
        return (byteOrderMark ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)
    }

    /// A file name for a table: lower-case ASCII letters, digits and "-", never empty.
    package static func fileName(for table: ReportTable, index: Int) -> String {
        var slug = ""
        for scalar in table.title.lowercased().unicodeScalars {
            if (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") {
                slug.unicodeScalars.append(scalar)
            } else if !slug.hasSuffix("-") && !slug.isEmpty {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        let prefix = (index + 1 < 10 ? "0" : "") + String(index + 1)
        return prefix + "-" + (slug.isEmpty ? "table" : String(slug.prefix(48))) + ".csv"
    }

    private func field(_ cell: ReportCell) -> String {
        switch cell {
        case .empty: return ""
        case let .text(text): return quoted(protect(text))
        default:
            let machine = cell.machineText(zone: zone) ?? ""
            // NaN and infinities are not numbers a spreadsheet reads: write them as (quoted) text.
            return machine.first.map { $0.isNumber || $0 == "-" } == true ? machine : quoted(machine)
        }
    }

    private func protect(_ text: String) -> String {
        guard neutraliseFormulas, let first = text.unicodeScalars.first else { return text }
        let triggers: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r", "\n"]
        guard triggers.contains(first), !Self.isNumericLiteral(text) else { return text }
        return "'" + text
    }

    private func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// `^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$`, written out by hand.
    package static func isNumericLiteral(_ text: String) -> Bool {
        var chars = Array(text.utf8)[...]
        if let first = chars.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { chars = chars.dropFirst() }
        func digits() -> Int {
            var n = 0
            while let c = chars.first, c >= 48, c <= 57 { chars = chars.dropFirst(); n += 1 }
            return n
        }
        var mantissa = digits()
        if chars.first == UInt8(ascii: ".") { chars = chars.dropFirst(); mantissa += digits() }
        guard mantissa > 0 else { return false }
        if let e = chars.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            chars = chars.dropFirst()
            if let s = chars.first, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { chars = chars.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return chars.isEmpty
    }
}
