import HomeBaseCore
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

    private func protect(_ text: String) -> String { neutraliseFormulas ? CSVField.protect(text) : text }

    private func quoted(_ text: String) -> String { CSVField.quoted(text) }

    /// `^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$` (see `CSVField`).
    package static func isNumericLiteral(_ text: String) -> Bool { CSVField.isNumericLiteral(text) }
}
