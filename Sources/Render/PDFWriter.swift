/// Writes a `ReportDocument` as a native PDF 1.7: text in embedded TrueType subsets (any script) or the
/// standard Helvetica (WinAnsi), vector charts, tables that
/// break across pages with repeated headers, "Page n of N" footers, one bookmark per section.
package struct PDFWriter: Sendable {
    package enum PageSize: String, Sendable, CaseIterable {
        case a4, letter
        /// Width and height in points (A4 210 × 297 mm, Letter 8.5 × 11 in).
        package var points: (width: Double, height: Double) { self == .a4 ? (595.28, 841.89) : (612, 792) }
    }

    package struct Output: Sendable {
        package var bytes: [UInt8]
        package var pageCount: Int
        /// Characters the standard fonts cannot show, printed as "?" (worth one warning).
        package var replacedCharacters: Int
    }

    package var pageSize: PageSize
    /// What text is drawn with; `.standard` embeds nothing and shows Latin text only.
    package var fonts: PDFFontSet

    package init(pageSize: PageSize = .a4, fonts: PDFFontSet = .standard) {
        self.pageSize = pageSize
        self.fonts = fonts
    }

    package func write(_ document: ReportDocument) throws(RenderError) -> Output {
        for section in document.sections {
            for chart in section.charts { try chart.validate() }
            for table in section.tables { try table.validate() }
        }
        var layout = PDFLayout(width: pageSize.points.width, height: pageSize.points.height, zone: document.zone, fonts: fonts)
        layout.cover(document)
        for section in document.sections { layout.section(section) }
        layout.footers(title: document.title)

        var file = PDFFile()
        let catalog = file.reserve(), pages = file.reserve(), regular = file.reserve(), bold = file.reserve()
        let info = file.reserve(), outlineRoot = file.reserve()
        let pageObjects = layout.pages.map { _ in (file.reserve(), file.reserve()) }
        let items = layout.outline.map { _ in file.reserve() }

        file.set(catalog, "<< /Type /Catalog /Pages \(pages) 0 R /Outlines \(outlineRoot) 0 R /PageMode /UseOutlines >>")
        file.set(pages, "<< /Type /Pages /Kids [" + pageObjects.map { "\($0.0) 0 R" }.joined(separator: " ") + "] /Count \(pageObjects.count) >>")
        var fontResources = "/F1 \(regular) 0 R /F2 \(bold) 0 R"
        if let faces = fonts.faces {
            var used = Array(repeating: [UInt16: Unicode.Scalar](), count: faces.count)
            for canvas in layout.pages {
                for (i, glyphs) in canvas.usedGlyphs.enumerated() { used[i].merge(glyphs) { a, _ in a } }
            }
            // One font object per font file (regular and bold may be one file); faces nothing used are left out.
            var objects: [String: Int] = [:]
            var names: [String] = []
            for (i, face) in faces.enumerated() where !used[i].isEmpty || i == 0 {
                if objects[face.font.path] == nil {
                    let object = objects.isEmpty ? regular : objects.count == 1 ? bold : file.reserve()
                    var glyphs: [UInt16: Unicode.Scalar] = [:]
                    for (j, other) in faces.enumerated() where other.font.path == face.font.path { glyphs.merge(used[j]) { a, _ in a } }
                    try PDFEmbeddedFont.write(face.font, glyphs: glyphs, as: object, in: &file)
                    objects[face.font.path] = object
                }
                names.append("/\(face.resource) \(objects[face.font.path]!) 0 R")
            }
            // A reserved object must be written; an unused second slot becomes an empty dictionary.
            if objects.count < 2 { file.set(bold, "<< >>") }
            fontResources = names.joined(separator: " ")
        } else {
            file.set(regular, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
            file.set(bold, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
        }
        let created = PDFFile.date(micros: document.generatedAtMicros)
        file.set(
            info,
            "<< /Title \(PDFFile.textString(document.title)) /Subject \(PDFFile.textString(document.period.text))"
                + " /Creator (homebase report) /Producer (homebase) /CreationDate \(created) /ModDate \(created) >>")
        if items.isEmpty {
            file.set(outlineRoot, "<< /Type /Outlines /Count 0 >>")
        } else {
            file.set(outlineRoot, "<< /Type /Outlines /First \(items[0]) 0 R /Last \(items[items.count - 1]) 0 R /Count \(items.count) >>")
        }
        let (width, height) = pageSize.points
        let box = "[0 0 \(PDFCanvas.number(width)) \(PDFCanvas.number(height))]"
        for (index, canvas) in layout.pages.enumerated() {
            let (page, content) = pageObjects[index]
            file.set(
                page, "<< /Type /Page /Parent \(pages) 0 R /MediaBox \(box) /Resources << /Font << \(fontResources) >> >> /Contents \(content) 0 R >>"
            )
            try file.setStream(content, canvas.content)
        }
        for (index, entry) in layout.outline.enumerated() {
            var body = "<< /Title \(PDFFile.textString(entry.title)) /Parent \(outlineRoot) 0 R"
            if index > 0 { body += " /Prev \(items[index - 1]) 0 R" }
            if index + 1 < items.count { body += " /Next \(items[index + 1]) 0 R" }
            body += " /Dest [\(pageObjects[entry.page].0) 0 R /XYZ 0 \(PDFCanvas.number(height - entry.top + 8)) 0] >>"
            file.set(items[index], body)
        }
        let bytes = try file.bytes(root: catalog, info: info)
        return Output(bytes: bytes, pageCount: layout.pages.count, replacedCharacters: layout.pages.reduce(0) { $0 + $1.replacedCharacters })
    }
}

/// Page-by-page layout with a cursor running down the page (top-left coordinates).
struct PDFLayout {
    let width: Double
    let height: Double
    let zone: ReportZone
    let margin = 48.0
    var pages: [PDFCanvas] = []
    var y = 0.0
    var outline: [(title: String, page: Int, top: Double)] = []
    let fonts: PDFFontSet

    init(width: Double, height: Double, zone: ReportZone, fonts: PDFFontSet = .standard) {
        self.width = width
        self.height = height
        self.zone = zone
        self.fonts = fonts
    }

    var contentWidth: Double { width - 2 * margin }
    /// Height of a chart in points: a quarter of an A4 page, so a chart, its table and the next start share a page.
    static let chartHeight = 180.0
    /// Lowest y content may reach; the footer sits below it.
    var bottom: Double { height - margin - 12 }

    mutating func newPage() {
        pages.append(PDFCanvas(pageHeight: height, fonts: fonts))
        y = margin
    }

    mutating func ensure(_ space: Double) { if pages.isEmpty || y + space > bottom { newPage() } }

    mutating func text(
        _ s: String, x: Double, size: Double, bold: Bool = false, color: ChartDrawing.Color = ChartDrawing.ink,
        anchor: ChartDrawing.Anchor = .start, at baseline: Double? = nil
    ) {
        pages[pages.count - 1].text(s, x: x, y: baseline ?? y, size: size, bold: bold, color: color, anchor: anchor)
    }

    /// Wrapped paragraph at the cursor.
    mutating func paragraph(_ s: String, size: Double, bold: Bool = false, color: ChartDrawing.Color = ChartDrawing.ink) {
        for line in wrap(s, width: contentWidth, size: size, bold: bold) {
            ensure(size * 1.35)
            y += size * 1.1
            text(line, x: margin, size: size, bold: bold, color: color)
            y += size * 0.35
        }
    }

    mutating func cover(_ document: ReportDocument) {
        newPage()
        outline.append((title: "Summary", page: 0, top: y))
        paragraph(document.title, size: 20, bold: true)
        y += 4
        paragraph(document.period.text, size: 11)
        let generated = ReportCell.timestamp(document.generatedAtMicros).displayText(zone: zone)
        paragraph("Generated " + generated, size: 8.5, color: ChartDrawing.muted)
        y += 6
        for note in document.notes { paragraph(note, size: 9) }
        y += 10
        let perRow = 3, gap = 10.0, boxHeight = 56.0
        let boxWidth = (contentWidth - gap * Double(perRow - 1)) / Double(perRow)
        for (index, metric) in document.metrics.enumerated() {
            let column = index % perRow
            if column == 0 { ensure(boxHeight + gap); if index > 0 { y += boxHeight + gap } }
            let x = margin + Double(column) * (boxWidth + gap)
            pages[pages.count - 1].fillRect(x: x, y: y, width: boxWidth, height: boxHeight, color: .init(0xf1, 0xf4, 0xf8))
            text(fit(metric.label, width: boxWidth - 16, size: 8.5, bold: false), x: x + 8, size: 8.5, color: ChartDrawing.muted, at: y + 15)
            text(fit(metric.valueText, width: boxWidth - 16, size: 15, bold: true), x: x + 8, size: 15, bold: true, at: y + 34)
            if !metric.deltaText.isEmpty { text(metric.deltaText, x: x + 8, size: 8, color: ChartDrawing.muted, at: y + 48) }
        }
        if !document.metrics.isEmpty { y += boxHeight + gap }
    }

    /// Sections flow one after another; a section's title starts a new page only when the title, its first
    /// paragraph and the start of its first chart or table would not fit below it.
    mutating func section(_ section: ReportSection) {
        y += 14
        let lead = section.paragraphs.first.map { Double(wrap($0, width: contentWidth, size: 9.5, bold: false).count) * 9.5 * 1.45 + 3 } ?? 0
        let first = section.charts.isEmpty ? (section.tables.isEmpty ? 0 : 60) : 20 + Self.chartHeight + 60
        ensure(15 * 1.45 + 6 + lead + Double(first))
        outline.append((title: section.title, page: pages.count - 1, top: y))
        paragraph(section.title, size: 15, bold: true)
        y += 6
        for p in section.paragraphs { paragraph(p, size: 9.5); y += 3 }
        for chart in section.charts {
            let chartHeight = Self.chartHeight
            ensure(20 + chartHeight + 60)
            y += 8
            paragraph(chart.title, size: 11, bold: true)
            y += 4
            pages[pages.count - 1].draw(ChartDrawing(chart, width: contentWidth, height: chartHeight), x: margin, y: y)
            y += chartHeight + 8
            table(chart.table)
        }
        for t in section.tables { table(t) }
    }

    mutating func table(_ table: ReportTable) {
        let pad = 4.0
        let headers = table.columns.map(\.header)
        let cells = table.rows.map { $0.map { $0.displayText(zone: zone) } }
        // 8.5 pt unless the columns (numbers whole, headers' words whole) need less, down to 6 pt.
        var size = 8.5
        while size > 6 && columnBounds(table, cells: cells, size: size, pad: pad).must.reduce(0, +) > contentWidth { size -= 0.5 }
        let rowHeight = size + 4.5, headerLine = size + 2
        let widths = columnWidths(table, cells: cells, available: contentWidth, size: size, pad: pad)
        // Headers wrap (up to four lines) between words and after a name's hyphens rather than widen a column of numbers.
        let headerLines = headers.indices.map { i in Array(wrapHeader(headers[i], width: widths[i] - 2 * pad, size: size).prefix(4)) }
        let headerHeight = Double(headerLines.map(\.count).max() ?? 1) * headerLine + 4
        var lefts: [Double] = []
        var x = margin
        for w in widths { lefts.append(x); x += w }
        let total = widths.reduce(0, +)

        func header(continued: Bool) {
            y += 4
            paragraph(table.title + (continued ? " (continued)" : ""), size: 10, bold: true)
            y += 3
            pages[pages.count - 1].fillRect(x: margin, y: y, width: total, height: headerHeight, color: .init(0xe3, 0xe8, 0xef))
            for (i, lines) in headerLines.enumerated() {
                for (k, line) in lines.enumerated() {
                    place(
                        fit(line, width: widths[i] - 2 * pad, size: size, bold: true), column: i, bold: true, baseline: y + headerLine * Double(k + 1)
                    )
                }
            }
            y += headerHeight
        }
        func place(_ s: String, column i: Int, bold: Bool, baseline: Double) {
            switch table.columns[i].alignment {
            case .left: text(s, x: lefts[i] + pad, size: size, bold: bold, at: baseline)
            case .right: text(s, x: lefts[i] + widths[i] - pad, size: size, bold: bold, anchor: .end, at: baseline)
            case .center: text(s, x: lefts[i] + widths[i] / 2, size: size, bold: bold, anchor: .middle, at: baseline)
            }
        }

        // A table of up to 10 rows stays on one page; a longer one starts with at least two rows.
        ensure(4 + 15 + 3 + headerHeight + rowHeight * Double(cells.count <= 10 ? max(cells.count, 1) : 2))
        header(continued: false)
        if cells.isEmpty {
            text("No rows", x: margin + pad, size: size, color: ChartDrawing.muted, at: y + rowHeight - 3.5)
            y += rowHeight
        }
        for (r, row) in cells.enumerated() {
            if y + rowHeight > bottom {
                newPage()
                header(continued: true)
            }
            if r % 2 == 1 { pages[pages.count - 1].fillRect(x: margin, y: y, width: total, height: rowHeight, color: .init(0xf6, 0xf7, 0xf9)) }
            for (i, c) in row.enumerated() {
                place(fit(c, width: widths[i] - 2 * pad, size: size, bold: false), column: i, bold: false, baseline: y + rowHeight - 3.5)
            }
            y += rowHeight
        }
        y += 10
    }

    /// Column widths: numbers, dates and times keep their full width; text columns share what is left
    /// (cut with an ellipsis when they must be); headers up to 90 pt wide may widen a column, and no column is
    /// narrower than its header's longest word, so headers wrap between words only.
    func columnWidths(_ table: ReportTable, cells: [[String]], available: Double, size: Double, pad: Double) -> [Double] {
        let (natural, must) = columnBounds(table, cells: cells, size: size, pad: pad)
        let total = natural.reduce(0, +)
        guard total > available else { return natural }
        let spare = available - must.reduce(0, +)
        guard spare > 0 else { return must.map { $0 * available / must.reduce(0, +) } }
        let give = total - must.reduce(0, +)
        return (0..<natural.count).map { i in must[i] + (natural[i] - must[i]) * spare / give }
    }

    /// Per column: the width it would like and the least it must have (see `columnWidths`).
    func columnBounds(_ table: ReportTable, cells: [[String]], size: Double, pad: Double) -> (natural: [Double], must: [Double]) {
        let count = table.columns.count
        var cellWidth = [Double](repeating: 2 * pad + 12, count: count)
        var isText = [Bool](repeating: false, count: count)
        for (r, row) in cells.enumerated() {
            for (i, c) in row.enumerated() {
                cellWidth[i] = max(cellWidth[i], fonts.width(c, bold: false, size: size) + 2 * pad)
                if case .text = table.rows[r][i] { isText[i] = true }
            }
        }
        let word = (0..<count).map { i in
            (Self.headerPieces(table.columns[i].header).map { fonts.width($0, bold: true, size: size) }.max() ?? 0) + 2 * pad
        }
        let natural = (0..<count).map { i in
            max(cellWidth[i], word[i], min(fonts.width(table.columns[i].header, bold: true, size: size) + 2 * pad, max(cellWidth[i], 90)))
        }
        let must = (0..<count).map { i in max(word[i], isText[i] ? min(natural[i], 60) : cellWidth[i]) }
        return (natural, must)
    }

    /// "Page n of N" centred at the foot of every page, the title at the left.
    mutating func footers(title: String) {
        let count = pages.count
        for index in pages.indices {
            let baseline = height - margin / 2 - 4
            pages[index].text("Page \(index + 1) of \(count)", x: width / 2, y: baseline, size: 8, color: ChartDrawing.muted, anchor: .middle)
            pages[index].text(
                fit(title, width: width / 2 - margin - 40, size: 7.5, bold: false), x: margin, y: baseline, size: 7.5, color: ChartDrawing.muted)
        }
    }

    /// `s` cut with an ellipsis so it fits `width`.
    func fit(_ s: String, width: Double, size: Double, bold: Bool) -> String {
        if fonts.width(s, bold: bold, size: size) <= width + 0.01 { return s }
        var out = ""
        for ch in s {
            if fonts.width(out + String(ch) + "…", bold: bold, size: size) > width { break }
            out.append(ch)
        }
        return out + "…"
    }

    /// Where a header may break: between words, and after a hyphen of a name ("claude-" | "sonnet-4-6"), never
    /// before a piece without letters or shorter than three characters ("4-6", "5.1", "k2" stay with what precedes them).
    static func headerPieces(_ header: String) -> [String] {
        var pieces: [String] = []
        for word in header.split(separator: " ", omittingEmptySubsequences: true) {
            var current = ""
            let segments = word.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            for (k, segment) in segments.enumerated() {
                let attach = segment.count < 3 || !segment.contains(where: \.isLetter)
                if !current.isEmpty && !attach && current.hasSuffix("-") { pieces.append(current); current = "" }
                current += segment + (k + 1 < segments.count ? "-" : "")
            }
            pieces.append(current + " ")
        }
        if let last = pieces.popLast() { pieces.append(String(last.dropLast())) }
        return pieces
    }

    /// Greedy wrap of a header over `headerPieces` (a piece wider than the line is cut by `wrap`).
    func wrapHeader(_ s: String, width: Double, size: Double) -> [String] {
        var lines: [String] = []
        var line = ""
        for piece in Self.headerPieces(s) {
            let candidate = line + piece
            if line.isEmpty || fonts.width(candidate.trimmingCharacters(in: .whitespaces), bold: true, size: size) <= width + 0.01 {
                line = candidate; continue
            }
            lines.append(line.trimmingCharacters(in: .whitespaces))
            line = piece
        }
        lines.append(line.trimmingCharacters(in: .whitespaces))
        return lines.flatMap { fonts.width($0, bold: true, size: size) <= width + 0.01 ? [$0] : wrap($0, width: width, size: size, bold: true) }
    }

    /// Greedy word wrap by the fonts' advance widths; a word longer than a line is cut by characters.
    func wrap(_ s: String, width: Double, size: Double, bold: Bool) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in s.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            let candidate = line.isEmpty ? word : line + " " + word
            if fonts.width(candidate, bold: bold, size: size) <= width + 0.01 { line = candidate; continue }
            if !line.isEmpty { lines.append(line) }
            line = ""
            var piece = ""
            for ch in word {
                if !piece.isEmpty && fonts.width(piece + String(ch), bold: bold, size: size) > width + 0.01 { lines.append(piece); piece = "" }
                piece.append(ch)
            }
            line = piece
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }
}
