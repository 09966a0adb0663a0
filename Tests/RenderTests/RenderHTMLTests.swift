import Foundation
import Testing
@testable import SQLiteStore
@testable import Render
@testable import TestSupport

/// HTMLRenderer: parsed by Python's html.parser with a tag-balance check; no scripts, no network
/// references, hostile text comes back as text; SVG charts parse as XML.
@Suite struct RenderHTMLTests {
    /// Balanced tags (void elements aside), and the report's text and attributes as the parser sees them.
    static let parser = """
        import sys, json, xml.etree.ElementTree as ET
        from html.parser import HTMLParser
        VOID = {"meta", "br", "img", "hr", "link", "input"}
        class P(HTMLParser):
            def __init__(self):
                super().__init__(convert_charrefs=True)
                self.stack, self.errors, self.tags, self.attrs, self.text = [], [], set(), [], []
            def handle_starttag(self, tag, attrs):
                self.tags.add(tag); self.attrs += [[tag, k, v] for k, v in attrs]
                if tag not in VOID: self.stack.append(tag)
            def handle_startendtag(self, tag, attrs):
                self.tags.add(tag); self.attrs += [[tag, k, v] for k, v in attrs]
            def handle_endtag(self, tag):
                if not self.stack or self.stack[-1] != tag: self.errors.append("unexpected </%s> in %s" % (tag, self.stack[-3:]))
                else: self.stack.pop()
            def handle_data(self, data): self.text.append(data)
        html = sys.stdin.read()
        p = P(); p.feed(html); p.close()
        svgs = [html[i:html.index("</svg>", i) + 6] for i in range(len(html)) if html.startswith("<svg", i)]
        for s in svgs: ET.fromstring(s.replace("<svg ", "<svg xmlns='http://www.w3.org/2000/svg' ", 1))
        print(json.dumps({"errors": p.errors, "open": p.stack, "tags": sorted(p.tags), "attrs": p.attrs,
                          "text": "".join(p.text), "svgs": len(svgs)}))
        """

    func parse(_ html: String) throws -> [String: Any] {
        let out = try PythonOracle.run(Self.parser, stdin: Data(html.utf8))
        return try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    }

    @Test func sampleIsWellFormedSelfContainedAndPrintable() throws {
        let document = ReportSample.document()
        let html = try HTMLRenderer().render(document)
        let r = try parse(html)
        #expect(r["errors"] as? [String] == [])
        #expect(r["open"] as? [String] == [])
        // Two charts, each in a desktop and a phone layout (CSS shows one of them).
        #expect(r["svgs"] as? Int == 2 * document.sections.flatMap(\.charts).count)
        #expect(html.components(separatedBy: "<svg class=\"chart narrow\"").count - 1 == 2)
        let tags = Set(r["tags"] as? [String] ?? [])
        #expect(tags.isDisjoint(with: ["script", "img", "iframe", "link", "object", "embed"]))
        #expect(!html.lowercased().contains("http"))
        #expect(!html.contains("url("))
        #expect(!html.contains("@import"))
        // Only in-page links.
        let attrs = r["attrs"] as? [[String?]] ?? []
        #expect(attrs.filter { $0[1] == "href" }.allSatisfy { $0[2]?.hasPrefix("#") == true })
        #expect(attrs.filter { $0[1] == "src" }.isEmpty)
        #expect(attrs.contains { $0 == ["meta", "name", "viewport"] })
        // Print stylesheet: a page break before each section, repeated table headers.
        #expect(html.contains("@media print"))
        #expect(html.contains(".report-section { break-before: page; page-break-before: always; }"))
        #expect(html.contains("thead { display: table-header-group; }"))
        let text = r["text"] as? String ?? ""
        for table in document.allTables {
            for row in table.rows { for cell in row where cell != .empty { #expect(text.contains(cell.displayText), "\(cell)") } }
        }
    }

    @Test func hostileTextStaysText() throws {
        let document = ReportSample.document(hostile: true, longTableRows: 11)
        let html = try HTMLRenderer().render(document)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>"))
        let r = try parse(html)
        #expect(r["errors"] as? [String] == [])
        let tags = Set(r["tags"] as? [String] ?? [])
        #expect(!tags.contains("script") && !tags.contains("b"))
        let text = r["text"] as? String ?? ""
        // Each hostile name reaches the reader as the same characters (agents table, first 11 rows).
        for name in ReportSample.hostileNames { #expect(text.contains(name), "\(name.debugDescription)") }
        #expect(text.contains("Fleet report <script>alert(1)</script>"))
    }

    @Test func svgChartDrawsEveryLayer() throws {
        let chart = ReportSample.document().sections[0].charts[0]
        let svg = SVGChart.svg(chart)
        // 3 models × 28 days of bars, all non-zero.
        #expect(svg.components(separatedBy: "<rect ").count - 1 >= 84)
        #expect(svg.contains("stroke-dasharray=\"4 3\""))  // budget line
        #expect(svg.components(separatedBy: "<polygon ").count - 1 == 2)  // 95% and 80% bands
        #expect(svg.contains(">Daily budget $40</text>"))
        #expect(svg.contains("transform=\"rotate(-90"))  // y axis label
    }

    @Test func barsLinesAndMarkersShowTheirValuesOnHover() throws {
        let chart = ReportChart(
            title: "Spend", xLabels: ["Mon", "Tue", "Wed"],
            stackedBars: [ChartSeries(name: "claude-sonnet-4-6", values: [0.25, 0, 1.5]), ChartSeries(name: "gpt <5>", values: [12.34, nil, 2])],
            lines: [ChartSeries(name: "p95", values: [120, nil, 130])],
            markers: [ChartMarker(index: 2, value: 1.5, label: "spike")],
            table: ReportTable(title: "t", columns: [ReportColumn("a")], rows: []))
        let out = try PythonOracle.run(
            """
            import sys, json, xml.etree.ElementTree as ET
            svg = ET.fromstring(sys.stdin.read().replace("<svg ", "<svg xmlns='http://www.w3.org/2000/svg' ", 1))
            ns = "{http://www.w3.org/2000/svg}"
            print(json.dumps([[e.tag.replace(ns, ""), t.text] for e in svg for t in e.findall(ns + "title")]))
            """, stdin: Data(SVGChart.svg(chart).utf8))
        let titles = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String]])
        // Every non-zero bar (the 0 and the missing value draw none), each run of the line, and the marker.
        #expect(
            titles.filter { $0[0] == "rect" }.map { $0[1] } == [
                "claude-sonnet-4-6, Mon: 0.2500", "gpt <5>, Mon: 12.3", "claude-sonnet-4-6, Wed: 1.5000", "gpt <5>, Wed: 2.0000"
            ])
        #expect(titles.filter { $0[0] != "rect" }.map { $0[1] } == ["p95: Mon 120.0", "p95: Wed 130.0", "spike (Wed: 1.5000)"])
    }

    @Test func seriesColoursAreStableByName() throws {
        func fills(_ names: [String]) -> [String: String] {
            let chart = ReportChart(
                title: "c", xLabels: ["d"], stackedBars: names.map { ChartSeries(name: $0, values: [1]) },
                table: ReportTable(title: "t", columns: [ReportColumn("a")], rows: []))
            let svg = SVGChart.svg(chart)
            // Each bar's fill, read next to the series name its hover title gives.
            var out: [String: String] = [:]
            for piece in svg.components(separatedBy: "<rect ").dropFirst() where piece.contains("<title>") {
                let fill = piece.components(separatedBy: "fill=\"")[1].prefix(7)
                let name = piece.components(separatedBy: "<title>")[1].components(separatedBy: ", d:")[0]
                out[name] = String(fill)
            }
            return out
        }
        let weekly = fills(["main", "research", "wechat-assistant", "ops"])
        let other = fills(["ops", "wechat-assistant", "main"])
        #expect(weekly.count == 4 && Set(weekly.values).count == 4, "\(weekly)")
        for name in ["main", "wechat-assistant", "ops"] { #expect(weekly[name] == other[name], "\(name): \(weekly) vs \(other)") }
        #expect(Set(ChartDrawing.palette.map(\.hex)).isSuperset(of: weekly.values))
    }

    @Test func niceTicksCoverTheRangeWithRoundSteps() {
        // Range 0…67.8: raw step 13.56 → magnitude 10, fraction 1.356 → step 20; ticks 0…80.
        #expect(ChartDrawing.niceTicks(low: 0, high: 67.8) == [0, 20, 40, 60, 80])
        // Range −3…7: raw step 2 → step 2; from −4 (floor of −1.5 steps) to 8.
        #expect(ChartDrawing.niceTicks(low: -3, high: 7) == [-4, -2, 0, 2, 4, 6, 8])
        #expect(ChartDrawing.niceTicks(low: 0, high: 0) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
    }
}
