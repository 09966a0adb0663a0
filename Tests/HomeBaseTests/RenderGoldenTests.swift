import Foundation
import Testing
@testable import HomeBase
import TestSupport

/// Byte-for-byte goldens of small deterministic outputs (HTML, CSV, e-mail) under Fixtures/render/.
/// Each golden is also checked by an oracle in its own suite; re-record with RECORD_GOLDEN=1 after an
/// intended change, and look at the diff.
@Suite struct RenderGoldenTests {
    static let directory = PythonOracle.repositoryRoot.appendingPathComponent("Tests/HomeBaseTests/Fixtures/render")

    static let document = ReportDocument(
        title: "Tiny <report> & co",
        period: ReportPeriod(firstDay: RenderFixtures.day20240101, lastDay: RenderFixtures.day20240101 + 6, label: "weekly"),
        metrics: [ReportMetric(label: "Spend", value: .money(12.5, currency: "USD"), delta: 0.25)],
        sections: [ReportSection(title: "Costs", paragraphs: ["One chart, one table."],
                                 charts: [ReportChart(title: "Spend", xLabels: ["Mon", "Tue", "Wed"],
                                                      lines: [ChartSeries(name: "USD", values: [1, nil, 3])],
                                                      referenceLines: [ChartReferenceLine(label: "Budget", value: 2)],
                                                      markers: [ChartMarker(index: 2, value: 3, label: "spike")],
                                                      table: RenderFixtures.typed)])],
        generatedAtMicros: 1_779_372_188_000_000)

    func compare(_ bytes: [UInt8], _ name: String) throws {
        let url = Self.directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        let golden = try #require(FileManager.default.contents(atPath: url.path), "missing golden \(name); record with RECORD_GOLDEN=1")
        #expect(Array(golden) == bytes, "\(name) differs from its golden; if intended, re-record with RECORD_GOLDEN=1")
    }

    @Test func html() throws { try compare(Array(try HTMLRenderer().render(Self.document).utf8), "tiny.html") }

    @Test func csv() throws { try compare(try CSVWriter().write(RenderFixtures.typed), "typed.csv") }

    @Test func eml() throws {
        let message = ReportMail.message(Self.document, from: MailAddress("a@example.com"), to: [MailAddress("b@example.com", name: "Bé")],
                                         subject: nil, attachments: [MailAttachment(filename: "typed.csv", contentType: "text/csv",
                                                                                    data: try CSVWriter().write(RenderFixtures.typed))])
        try compare(try MIMEWriter(seed: 9).write(message), "tiny.eml")
    }
}
