import HomeBaseCore
/// One self-contained HTML file per report: inline CSS and SVG, no scripts, no external fetches,
/// phone-friendly, with a print stylesheet (A4 or Letter, a page break before each section).
/// Every piece of text is escaped, so nothing from a log line can become markup.
package struct HTMLRenderer: Sendable {
    package init() {}

    package func render(_ document: ReportDocument) throws(RenderError) -> String {
        for section in document.sections {
            for chart in section.charts { try chart.validate() }
            for table in section.tables { try table.validate() }
        }
        let e = XMLText.text
        var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<title>" + e(document.title + " – " + document.period.text) + "</title>\n"
        h += "<style>\n" + Self.css + "</style>\n</head>\n<body>\n<main>\n<header>\n"
        h += "<h1>" + e(document.title) + "</h1>\n"
        h += "<p class=\"period\">" + e(document.period.text) + "</p>\n"
        h += "<p class=\"generated\">Generated " + e(ReportCell.timestamp(document.generatedAtMicros).displayText(zone: document.zone)) + "</p>\n"
        if !document.notes.isEmpty {
            h += "<ul class=\"notes\">" + document.notes.map { "<li>" + e($0) + "</li>" }.joined() + "</ul>\n"
        }
        h += "</header>\n"
        if !document.metrics.isEmpty {
            h += "<section class=\"metrics\">\n"
            for metric in document.metrics {
                let direction = (metric.delta ?? 0) > 0 ? " up" : (metric.delta ?? 0) < 0 ? " down" : ""
                h += "<div class=\"metric\"><div class=\"label\">" + e(metric.label) + "</div><div class=\"value\">" + e(metric.valueText) + "</div>"
                if !metric.deltaText.isEmpty { h += "<div class=\"delta" + direction + "\">" + e(metric.deltaText) + "</div>" }
                h += "</div>\n"
            }
            h += "</section>\n"
        }
        if document.sections.count > 1 {
            h += "<nav class=\"toc\"><ol>"
            for (i, section) in document.sections.enumerated() { h += "<li><a href=\"#s\(i + 1)\">" + e(section.title) + "</a></li>" }
            h += "</ol></nav>\n"
        }
        for (i, section) in document.sections.enumerated() {
            h += "<section class=\"report-section\" id=\"s\(i + 1)\">\n<h2>" + e(section.title) + "</h2>\n"
            for p in section.paragraphs { h += "<p>" + e(p) + "</p>\n" }
            for chart in section.charts {
                h +=
                    "<figure>\n<figcaption>" + e(chart.title) + "</figcaption>\n<div class=\"chart-wrap\">" + SVGChart.svg(chart, extraClass: "wide")
                    + SVGChart.svg(chart, width: SVGChart.narrowWidth, height: SVGChart.narrowHeight, extraClass: "narrow") + "</div>\n"
                h += table(chart.table, zone: document.zone) + "</figure>\n"
            }
            for t in section.tables { h += table(t, zone: document.zone) }
            h += "</section>\n"
        }
        h += "</main>\n</body>\n</html>\n"
        return h
    }

    /// A short summary for the e-mail body: inline styles only, no SVG or images (mail clients drop them).
    package func mailSummary(_ document: ReportDocument, attachmentsNote: String) -> String {
        let e = XMLText.text
        var h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + e(document.title) + "</title></head>\n"
        h += "<body style=\"font-family:Helvetica,Arial,sans-serif;color:#222;margin:0;padding:16px\">\n"
        h += "<h1 style=\"font-size:20px;margin:0 0 4px\">" + e(document.title) + "</h1>\n"
        h += "<p style=\"color:#555;margin:0 0 12px\">" + e(document.period.text) + "</p>\n"
        h += "<table style=\"border-collapse:collapse\">\n"
        for metric in document.metrics {
            h += "<tr><td style=\"padding:4px 12px 4px 0;color:#555\">" + e(metric.label) + "</td>"
            h += "<td style=\"padding:4px 12px 4px 0;font-weight:bold;text-align:right\">" + e(metric.valueText) + "</td>"
            h += "<td style=\"padding:4px 0;color:#555\">" + e(metric.deltaText) + "</td></tr>\n"
        }
        h += "</table>\n"
        for note in document.notes { h += "<p style=\"color:#555\">" + e(note) + "</p>\n" }
        for group in document.findings?.groups ?? [] {
            h += "<h2 style=\"font-size:16px;margin:16px 0 4px\">" + e(group.heading) + "</h2>\n<ul style=\"margin:0;padding-left:20px\">\n"
            for line in group.lines { h += "<li>" + e(line) + "</li>\n" }
            h += "</ul>\n"
        }
        h += "<p style=\"color:#555\">" + e(attachmentsNote) + "</p>\n</body></html>\n"
        return h
    }

    private func table(_ table: ReportTable, zone: ReportZone) -> String {
        let e = XMLText.text
        func cls(_ a: ReportColumn.Alignment) -> String { a == .right ? " class=\"r\"" : a == .center ? " class=\"c\"" : "" }
        var h = "<div class=\"table-wrap\"><table>\n<caption>" + e(table.title) + "</caption>\n<thead><tr>"
        for column in table.columns { h += "<th scope=\"col\"" + cls(column.alignment) + ">" + e(column.header) + "</th>" }
        h += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            h += "<tr>"
            for (i, cell) in row.enumerated() { h += "<td" + cls(table.columns[i].alignment) + ">" + e(cell.displayText(zone: zone)) + "</td>" }
            h += "</tr>\n"
        }
        if table.rows.isEmpty { h += "<tr><td colspan=\"\(max(1, table.columns.count))\" class=\"empty\">No rows</td></tr>\n" }
        return h + "</tbody>\n</table></div>\n"
    }

    static let css = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222; background: #fff; line-height: 1.4; }
        main { max-width: 1200px; margin: 0 auto; padding: 16px; }
        h1 { font-size: 1.6rem; margin: 0 0 4px; }
        h2 { font-size: 1.25rem; margin: 0 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        .period { font-size: 1.05rem; margin: 0; }
        .generated, .notes { color: #666; font-size: 0.85rem; }
        .metrics { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin: 16px 0; }
        .metric { background: #f1f4f8; border-radius: 6px; padding: 10px 12px; }
        .metric .label { color: #555; font-size: 0.8rem; }
        .metric .value { font-size: 1.35rem; font-weight: 700; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
        .metric .delta { color: #555; font-size: 0.8rem; }
        .toc ol { padding-left: 1.2em; }
        .toc a { color: #2b6cb0; }
        .report-section { margin-top: 28px; }
        figure { margin: 16px 0; }
        figcaption { font-weight: 700; margin-bottom: 6px; }
        .chart-wrap { overflow-x: auto; }
        svg.chart { width: 100%; height: auto; display: block; font-family: Helvetica, Arial, sans-serif; }
        svg.narrow { display: none; }
        @media (max-width: 600px) { svg.wide { display: none; } svg.narrow { display: block; } }
        .table-wrap { overflow-x: auto; margin: 8px 0 16px; }
        table { border-collapse: collapse; width: 100%; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
        caption { text-align: left; font-weight: 700; padding: 4px 0; }
        th, td { padding: 4px 8px; border-bottom: 1px solid #e5e5e5; text-align: left; vertical-align: top; }
        td { overflow-wrap: break-word; }
        th { background: #e3e8ef; }
        tbody tr:nth-child(even) { background: #f6f7f9; }
        .r { text-align: right; white-space: nowrap; }
        .c { text-align: center; }
        .empty { color: #666; }
        @media (max-width: 600px) { main { padding: 10px; } h1 { font-size: 1.3rem; } table { font-size: 0.78rem; } th, td { padding: 3px 5px; } }
        @page { size: auto; margin: 14mm 12mm; }
        @media print {
          body { font-size: 10pt; }
          main { max-width: none; padding: 0; }
          .toc { display: none; }
          svg.narrow { display: none !important; } svg.wide { display: block !important; }
          .report-section { break-before: page; page-break-before: always; }
          .chart-wrap, svg.chart { break-inside: avoid; page-break-inside: avoid; }
          h2, figcaption { break-after: avoid; page-break-after: avoid; }
          .table-wrap, .chart-wrap { overflow: visible; }
          thead { display: table-header-group; }
          tr { break-inside: avoid; page-break-inside: avoid; }
          a { color: inherit; text-decoration: none; }
        }

        """
}
