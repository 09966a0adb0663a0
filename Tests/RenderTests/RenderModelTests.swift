import Foundation
import Testing
@testable import Render
@testable import TestSupport

/// The format-neutral model: display and machine text of every cell type, number formatting, zones,
/// WinAnsi conversion, validation.
@Suite struct RenderModelTests {
    @Test func cellTexts() throws {
        let day = RenderFixtures.day20240101
        #expect(ReportCell.integer(1_234_567).displayText == "1,234,567")
        #expect(ReportCell.integer(-1000).displayText == "-1,000")
        #expect(ReportCell.money(1234.5, currency: "USD").displayText == "$1,234.50")
        #expect(ReportCell.money(-0.00001, currency: "USD").displayText == "$0.00")  // a rounded zero has no sign
        #expect(ReportCell.money(0.0039, currency: "USD").displayText == "$0.0039")  // a cost per call stays visible
        #expect(ReportCell.money(0.1, currency: "USD").displayText == "$0.1000")  // one width for every amount under $1
        #expect(ReportCell.money(-0.011, currency: "USD").displayText == "-$0.0110")
        #expect(ReportCell.money(4.8392, currency: "USD").displayText == "$4.84")
        #expect(ReportCell.money(4.8392, currency: "USD").machineText() == "4.8392")
        #expect(ReportCell.money(0.00000049, currency: "USD").machineText() == "0.00")
        #expect(ReportCell.money(-12.5, currency: "EUR").displayText == "-12.50 EUR")
        #expect(ReportCell.percent(0.0213, places: 2).displayText == "2.13%")
        #expect(ReportCell.percent(0.0213, places: 2).machineText() == "0.0213")
        #expect(ReportCell.decimal(1e-7, places: 3).machineText() == "0.000")
        #expect(ReportCell.decimal(1e20, places: 0).machineText() == "100000000000000000000")
        #expect(ReportCell.date(day).displayText == "2024-01-01")
        // 2024-07-01 12:00 UTC is 14:00 in Berlin (CEST, +02:00) and 08:00 in New York (EDT, −04:00).
        let july = (day + 182) * 86_400_000_000 + 12 * 3_600_000_000
        let berlin = try ReportZone("Europe/Berlin"), newYork = try ReportZone("America/New_York")
        #expect(ReportCell.timestamp(july).machineText(zone: berlin) == "2024-07-01T14:00:00+02:00")
        #expect(ReportCell.timestamp(july).machineText(zone: newYork) == "2024-07-01T08:00:00-04:00")
        #expect(ReportCell.timestamp(july).displayText == "2024-07-01 12:00 UTC")
        // In January Berlin is +01:00.
        #expect(ReportCell.timestamp(day * 86_400_000_000).displayText(zone: berlin) == "2024-01-01 01:00 +01:00")
        #expect(throws: RenderError.self) { try ReportZone("Mars/Olympus") }
        #expect(ReportCell.text("x").machineText() == nil)
    }

    @Test func metricTexts() {
        let metric = ReportMetric(label: "p95", value: .integer(2612), delta: -0.0451, unit: "ms")
        #expect(metric.valueText == "2,612 ms")
        #expect(metric.deltaText == "-4.5% vs previous")
        #expect(ReportMetric(label: "x", value: .integer(1), delta: 0.1234).deltaText == "+12.3% vs previous")
        #expect(ReportMetric(label: "x", value: .integer(1)).deltaText == "")
    }

    @Test func winAnsiConversion() {
        // é E9, € 80, — 97, “ 93, Œ 8C; a decomposed e + U+0301 composes to E9.
        #expect(WinAnsi.encode("é€—“Œ").bytes == [0xE9, 0x80, 0x97, 0x93, 0x8C])
        #expect(WinAnsi.encode("e\u{301}").bytes == [0xE9])
        #expect(WinAnsi.encode("čł→≤").bytes == Array("cl-><=".utf8))
        let emoji = WinAnsi.encode("a📈👩‍👩‍👧b")
        #expect(emoji.bytes == Array("a??b".utf8))  // one "?" per character, even a joined family
        #expect(emoji.replaced == 2)
        #expect(WinAnsi.encode("tab\there").bytes == Array("tab here".utf8))
    }

    @Test func periodAndFormatList() throws {
        let day = RenderFixtures.day20240101
        #expect(ReportPeriod(firstDay: day, lastDay: day + 6, label: "weekly").text == "2024-01-01 to 2024-01-07 (weekly)")
        #expect(ReportPeriod(firstDay: day, lastDay: day, label: "").text == "2024-01-01")
        #expect(try ReportFormat.parseList("pdf, HTML,pdf") == [.pdf, .html])
        #expect(throws: RenderError.self) { try ReportFormat.parseList("pdf,docx") }
    }

    @Test func chartValidation() {
        let table = ReportTable(title: "t", columns: [], rows: [])
        #expect(throws: RenderError.self) {
            try ReportChart(title: "c", xLabels: ["a", "b"], lines: [ChartSeries(name: "s", values: [1])], table: table).validate()
        }
        #expect(throws: RenderError.self) {
            try ReportChart(title: "c", xLabels: ["a"], markers: [ChartMarker(index: 1, value: 0, label: "m")], table: table).validate()
        }
        #expect(throws: RenderError.self) {
            try PDFWriter().write(
                ReportDocument(
                    title: "t", period: ReportPeriod(firstDay: 0, lastDay: 0, label: ""),
                    sections: [ReportSection(title: "s", tables: [ReportTable(title: "bad", columns: [ReportColumn("a")], rows: [[]])])],
                    generatedAtMicros: 0))
        }
    }
}
