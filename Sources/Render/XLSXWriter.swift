import HomeBaseCore
/// An Office Open XML workbook (SpreadsheetML, transitional): one sheet per table, typed cells,
/// bold frozen header row, column widths, shared strings; packed by `ZipWriter`. Numbers are written at the
/// precision the CSV holds (money to the micro-dollar, shown with 2 to 4 places), so the workbook and the
/// CSV files hold the same values and a column's sum equals the report's total.
package struct XLSXWriter: Sendable {
    package var zone: ReportZone = .utc

    package init(zone: ReportZone = .utc) { self.zone = zone }

    /// Style indexes into cellXfs below.
    private enum Style: Int { case normal = 0, header, date, dateTime, money, percent, integer, decimal }

    /// The workbook bytes for `tables`, each on its own sheet named from its title (Excel's rules applied).
    package func write(_ tables: [ReportTable], title: String, createdMicros: Int64) throws(RenderError) -> [UInt8] {
        guard !tables.isEmpty else { throw RenderError("a workbook needs at least one table") }
        for table in tables { try table.validate() }
        let names = Self.sheetNames(tables.map(\.title))
        var zip = ZipWriter(modifiedMicros: createdMicros)
        let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let sml = "application/vnd.openxmlformats-officedocument.spreadsheetml"

        var types = header + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        types += "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        types += "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        types += "<Override PartName=\"/xl/workbook.xml\" ContentType=\"\(sml).sheet.main+xml\"/>"
        types += "<Override PartName=\"/xl/styles.xml\" ContentType=\"\(sml).styles+xml\"/>"
        types += "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"\(sml).sharedStrings+xml\"/>"
        types += "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
        for index in tables.indices {
            types += "<Override PartName=\"/xl/worksheets/sheet\(index + 1).xml\" ContentType=\"\(sml).worksheet+xml\"/>"
        }
        types += "</Types>"
        try zip.add("[Content_Types].xml", Array(types.utf8))

        var rootRels = header + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        rootRels += "<Relationship Id=\"rId1\" Type=\"\(rel)/officeDocument\" Target=\"xl/workbook.xml\"/>"
        rootRels +=
            "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
        rootRels += "</Relationships>"
        try zip.add("_rels/.rels", Array(rootRels.utf8))

        let created = String(UTCDate.isoString(micros: createdMicros).prefix(19)) + "Z"
        var core = header + "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\""
        core += " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\""
        core += " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
        core += "<dc:title>\(XMLText.text(title))</dc:title><dc:creator>homebase</dc:creator>"
        core += "<dcterms:created xsi:type=\"dcterms:W3CDTF\">\(created)</dcterms:created></cp:coreProperties>"
        try zip.add("docProps/core.xml", Array(core.utf8))

        var workbook = header + "<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\"><sheets>"
        var workbookRels = header + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        for (index, name) in names.enumerated() {
            workbook += "<sheet name=\"\(XMLText.attribute(name))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
            workbookRels += "<Relationship Id=\"rId\(index + 1)\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet\(index + 1).xml\"/>"
        }
        workbook += "</sheets></workbook>"
        workbookRels += "<Relationship Id=\"rId\(tables.count + 1)\" Type=\"\(rel)/styles\" Target=\"styles.xml\"/>"
        workbookRels += "<Relationship Id=\"rId\(tables.count + 2)\" Type=\"\(rel)/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>"
        try zip.add("xl/workbook.xml", Array(workbook.utf8))
        try zip.add("xl/_rels/workbook.xml.rels", Array(workbookRels.utf8))
        try zip.add("xl/styles.xml", Array((header + Self.styles(main)).utf8))
        var strings = SharedStrings()
        for (index, table) in tables.enumerated() {
            try zip.add("xl/worksheets/sheet\(index + 1).xml", Array((header + sheet(table, main: main, strings: &strings)).utf8))
        }
        var sst = header + "<sst xmlns=\"\(main)\" count=\"\(strings.uses)\" uniqueCount=\"\(strings.list.count)\">"
        for text in strings.list {
            // `_xHHHH_` is an escape in cell text; a literal "_x" keeps its meaning by escaping the "_" as _x005F_.
            sst += "<si><t xml:space=\"preserve\">" + XMLText.text(text).replacingOccurrences(of: "_x", with: "_x005F_x") + "</t></si>"
        }
        sst += "</sst>"
        try zip.add("xl/sharedStrings.xml", Array(sst.utf8))
        return zip.finish()
    }

    private static func styles(_ main: String) -> String {
        var s = "<styleSheet xmlns=\"\(main)\">"
        s += "<numFmts count=\"3\"><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd\"/>"
        s += "<numFmt numFmtId=\"165\" formatCode=\"yyyy-mm-dd hh:mm:ss\"/><numFmt numFmtId=\"166\" formatCode=\"#,##0.00##\"/></numFmts>"
        s += "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font><font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
        s += "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
        s += "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
        s += "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        // Order matches `Style`: normal, header, date, dateTime, money, percent, integer, decimal.
        let xfs = [(0, 0), (0, 1), (164, 0), (165, 0), (166, 0), (10, 0), (3, 0), (166, 0)]
        s += "<cellXfs count=\"\(xfs.count)\">"
        for (format, font) in xfs {
            s += "<xf numFmtId=\"\(format)\" fontId=\"\(font)\" fillId=\"0\" borderId=\"0\" xfId=\"0\""
            s += (format != 0 ? " applyNumberFormat=\"1\"" : "") + (font != 0 ? " applyFont=\"1\"" : "") + "/>"
        }
        s += "</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>"
        return s
    }

    private func sheet(_ table: ReportTable, main: String, strings: inout SharedStrings) -> String {
        var widths = table.columns.map { Double($0.header.count) + 2 }
        var data = "<row r=\"1\">"
        for (column, header) in table.columns.enumerated() {
            data += string(Self.reference(column: column, row: 1), header.header, style: .header, strings: &strings)
        }
        data += "</row>"
        for (rowIndex, row) in table.rows.enumerated() {
            let r = rowIndex + 2
            data += "<row r=\"\(r)\">"
            for (column, cell) in row.enumerated() {
                let ref = Self.reference(column: column, row: r)
                data += self.cell(cell, ref: ref, strings: &strings)
                widths[column] = max(widths[column], Double(cell.displayText(zone: zone).count) + 2)
            }
            data += "</row>"
        }
        let lastRef = Self.reference(column: max(0, table.columns.count - 1), row: table.rows.count + 1)
        var s = "<worksheet xmlns=\"\(main)\"><dimension ref=\"A1:\(lastRef)\"/>"
        s += "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
        s += "<selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/></sheetView></sheetViews>"
        s += "<sheetFormatPr defaultRowHeight=\"15\"/>"
        if !widths.isEmpty {
            s += "<cols>"
            for (index, width) in widths.enumerated() {
                s += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(Int(min(60, max(8, width))))\" customWidth=\"1\"/>"
            }
            s += "</cols>"
        }
        s += "<sheetData>" + data + "</sheetData>"
        if !table.columns.isEmpty { s += "<autoFilter ref=\"A1:\(lastRef)\"/>" }
        s += "</worksheet>"
        return s
    }

    private func cell(_ cell: ReportCell, ref: String, strings: inout SharedStrings) -> String {
        switch cell {
        case .empty: return ""
        case let .text(text): return string(ref, text, style: .normal, strings: &strings)
        case let .integer(value): return number(ref, Double(value), style: .integer, exact: String(value))
        case .decimal: return number(ref, cell, style: .decimal)
        case .money: return number(ref, cell, style: .money)
        case .percent: return number(ref, cell, style: .percent)
        case let .date(days):
            // Serial = days since 1899-12-30; 1970-01-01 is serial 25569. Dates before 1900-03-01 (serial 61) are
            // shown as text because of Excel's 1900 leap-year bug.
            let serial = days + 25_569
            return serial >= 61
                ? number(ref, Double(serial), style: .date, exact: String(serial)) : string(ref, cell.displayText, style: .normal, strings: &strings)
        case let .timestamp(micros):
            let local = zone.localMicros(micros)
            let serial = Double(local) / 86_400_000_000 + 25_569
            return serial >= 61 ? number(ref, serial, style: .dateTime) : string(ref, cell.displayText(zone: zone), style: .normal, strings: &strings)
        }
    }

    private func number(_ ref: String, _ value: Double, style: Style, exact: String? = nil) -> String {
        guard value.isFinite else { return "<c r=\"\(ref)\" t=\"e\"><v>#NUM!</v></c>" }
        // 17 significant digits round-trip every Double; "%.17g" may use an exponent, which <v> allows.
        let text = exact ?? Self.shortest(value)
        return "<c r=\"\(ref)\" s=\"\(style.rawValue)\"><v>\(text)</v></c>"
    }

    /// The shortest text that reads back as `value` (Swift's description), which may have an exponent like 1e-05.
    private static func shortest(_ value: Double) -> String {
        var text = "\(value)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    /// A number cell holding the CSV's fixed-precision text (`machineText`), so both formats agree.
    private func number(_ ref: String, _ cell: ReportCell, style: Style) -> String {
        guard let text = cell.machineText(zone: zone), let value = Double(text), value.isFinite else {
            return "<c r=\"\(ref)\" t=\"e\"><v>#NUM!</v></c>"
        }
        return number(ref, value, style: style, exact: text)
    }

    private func string(_ ref: String, _ text: String, style: Style, strings: inout SharedStrings) -> String {
        let s = style == .normal ? "" : " s=\"\(style.rawValue)\""
        return "<c r=\"\(ref)\" t=\"s\"\(s)><v>\(strings.index(text))</v></c>"
    }

    /// "A1"-style reference: bijective base-26 column letters.
    package static func reference(column: Int, row: Int) -> String {
        var letters = ""
        var n = column + 1
        while n > 0 {
            let rem = (n - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + rem))) + letters
            n = (n - 1) / 26
        }
        return letters + String(row)
    }

    /// Excel-valid, unique sheet names: forbidden `[]:*?/\` become "_", end apostrophes go, at most 31
    /// UTF-16 units, "History" avoided, duplicates (case-insensitive) numbered "Name (2)".
    package static func sheetNames(_ titles: [String]) -> [String] {
        var used = Set<String>()
        var names: [String] = []
        for title in titles {
            var base = String(title.map { "[]:*?/\\".contains($0) || $0.isNewline ? "_" : $0 })
            base = String(base.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0xFFFE && $0.value != 0xFFFF })
            while base.hasPrefix("'") { base.removeFirst() }
            while base.hasSuffix("'") { base.removeLast() }
            base = base.trimmingSpaces
            if base.isEmpty || base.lowercased() == "history" { base = "Sheet" + (base.isEmpty ? "" : " " + base) }
            var candidate = truncated(base, to: 31)
            var suffix = 2
            while used.contains(candidate.lowercased()) {
                let tail = " (\(suffix))"
                candidate = truncated(base, to: 31 - tail.count) + tail
                suffix += 1
            }
            used.insert(candidate.lowercased())
            names.append(candidate)
        }
        return names
    }

    private static func truncated(_ text: String, to units: Int) -> String {
        var out = ""
        for char in text {
            if out.utf16.count + String(char).utf16.count > units { break }
            out.append(char)
        }
        return out.trimmingSpaces
    }
}

/// The workbook's shared string table: each distinct text once, cells refer to it by index.
private struct SharedStrings {
    private(set) var list: [String] = []
    private var indexes: [String: Int] = [:]
    private(set) var uses = 0

    mutating func index(_ text: String) -> Int {
        uses += 1
        if let index = indexes[text] { return index }
        list.append(text)
        indexes[text] = list.count - 1
        return list.count - 1
    }
}

extension String {
    /// Without leading and trailing spaces (ASCII space only).
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
