import Foundation
import Testing
@testable import SQLiteStore
@testable import Render
@testable import Reports
@testable import TestSupport

/// Byte-for-byte goldens of small deterministic outputs (HTML, CSV, e-mail) under Fixtures/render/.
/// Each golden is also checked by an oracle in its own suite; re-record with RECORD_GOLDEN=1 after an
/// intended change, and look at the diff.
@Suite struct RenderGoldenTests {
    static let directory = PythonOracle.repositoryRoot.appendingPathComponent("Tests/TestSupport/Fixtures/render")

    static let document = ReportDocument(
        title: "Tiny <report> & co",
        period: ReportPeriod(firstDay: RenderFixtures.day20240101, lastDay: RenderFixtures.day20240101 + 6, label: "weekly"),
        metrics: [ReportMetric(label: "Spend", value: .money(12.5, currency: "USD"), delta: 0.25)],
        sections: [
            ReportSection(
                title: "Costs", paragraphs: ["One chart, one table."],
                charts: [
                    ReportChart(
                        title: "Spend", xLabels: ["Mon", "Tue", "Wed"],
                        lines: [ChartSeries(name: "USD", values: [1, nil, 3])],
                        referenceLines: [ChartReferenceLine(label: "Budget", value: 2)],
                        markers: [ChartMarker(index: 2, value: 3, label: "spike")],
                        table: RenderFixtures.typed)
                ])
        ],
        generatedAtMicros: 1_779_372_188_000_000)

    func compare(_ bytes: [UInt8], _ name: String) throws {
        let url = Self.directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
            // A recording run never passes: look at the diff, then run again without RECORD_GOLDEN.
            Issue.record("recorded \(name); review `git diff` of it and re-run without RECORD_GOLDEN")
            return
        }
        let golden = try #require(FileManager.default.contents(atPath: url.path), "missing golden \(name); record with RECORD_GOLDEN=1")
        #expect(Array(golden) == bytes, "\(name) differs from its golden; if intended, re-record with RECORD_GOLDEN=1")
    }

    @Test func html() throws { try compare(Array(try HTMLRenderer().render(Self.document).utf8), "tiny.html") }

    @Test func csv() throws { try compare(try CSVWriter().write(RenderFixtures.typed), "typed.csv") }

    @Test func eml() throws {
        let message = ReportMail.message(
            Self.document, from: MailAddress("a@example.com"), to: [MailAddress("b@example.com", name: "Bé")],
            subject: nil,
            attachments: [
                MailAttachment(
                    filename: "typed.csv", contentType: "text/csv",
                    data: try CSVWriter().write(RenderFixtures.typed))
            ])
        try compare(try MIMEWriter(seed: 9).write(message), "tiny.eml")
    }

    /// The goldens themselves, read by Python's html.parser and email package (not by our code):
    /// what the document says is there, escaped and encoded as it should be.
    @Test func goldensSayWhatTheDocumentSays() throws {
        let out = try PythonOracle.run(
            """
            import sys, email, email.policy
            from html.parser import HTMLParser
            d = sys.argv[1]
            class P(HTMLParser):
                def __init__(self):
                    super().__init__(); self.stack = []; self.title = ''; self.titles = 0; self.text = []
                def handle_starttag(self, tag, attrs): self.stack.append(tag)
                def handle_endtag(self, tag):
                    if tag == 'title': self.titles += 1
                    if self.stack and self.stack[-1] == tag: self.stack.pop()
                def handle_data(self, data):
                    # the document's <title> comes first; the charts' SVG hover <title>s come later
                    if self.stack and self.stack[-1] == 'title' and self.titles == 0: self.title += data
                    self.text.append(data)
            p = P(); p.feed(open(d + '/tiny.html', encoding='utf-8').read())
            text = ' '.join(p.text)
            print(p.title)
            print(all(s in text for s in ['Costs', 'One chart, one table.', 'Spend']))
            m = email.message_from_bytes(open(d + '/tiny.eml', 'rb').read(), policy=email.policy.default)
            print(str(m['To']), '|', str(m['Subject']), '|', len(m.defects))
            csv = [part for part in m.walk() if part.get_filename() == 'typed.csv']
            print(len(csv), csv[0].get_payload(decode=True) == open(d + '/typed.csv', 'rb').read() if csv else False)
            plain = m.get_body(('plain',)).get_content()
            html = m.get_body(('html',)).get_content()
            print('Tiny <report> & co' in plain, 'Tiny &lt;report&gt; &amp; co' in html)
            """, [Self.directory.path])
        let lines = out.split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "Tiny <report> & co – 2024-01-01 to 2024-01-07 (weekly)", "True",
                "Bé <b@example.com> | Tiny <report> & co: 2024-01-01 to 2024-01-07 (weekly) | 0",
                "1 True", "True True"
            ], "\(out)")
    }
}
