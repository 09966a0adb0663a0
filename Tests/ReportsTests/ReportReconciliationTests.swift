import Foundation
import Testing
@testable import SQLiteStore
@testable import Ingest
@testable import Reports
@testable import HomeBaseCLI
@testable import TestSupport

/// Reports over hand-written lakes: the reconciliation section of the finance report carries the gaps
/// worked out in `ReconcileTests` (logs vs a FOCUS invoice), and unpriced calls give exit code 3.
@Suite(.serialized) struct ReportReconciliationTests {
    static let clock: @Sendable () -> Int64 = { 1_800_000_000_000_000 }

    @Test func financeReportShowsTheKnownInvoiceGaps() throws {
        let fixture = try ReconcileFixture.lake()
        defer { fixture.remove() }
        var options = ReportRunOptions(
            dataDir: fixture.dataDir, definition: try ReportDefinition.load(path: PythonOracle.repositoryRoot.path + "/reports/monthly-finance.json"),
            outputDir: fixture.dir.path + "/out")
        options.from = "2026-03-01"
        options.to = "2026-03-09"
        options.formats = [.csv, .pdf]
        options.clock = Self.clock
        let result = try ReportRunner.render(options)
        #expect(result.directory.hasSuffix("/monthly-finance-2026-03-01_2026-03-09"))
        let reconciliation = try #require(result.analysis.reconciliation)
        #expect(reconciliation.flagged == 6)

        let out = try ReportEndToEndTests.files(result.directory)
        let csv = try #require(out["csv"] as? [String: [[String]]])
        // Month 2026-03 (ReconcileTests), over the 5 invoiced days: 6 anthropic calls (c1 c2 c3 c4 c5 c7), logs 3.60, invoice 4.11, gap +0.51 = 0.51 / 4.11 = 12.41%, flagged.
        let months = try #require(csv.first { $0.key.hasSuffix("logs-vs-invoices-by-month.csv") }?.value)
        #expect(months[0] == ["Provider", "Period", "Calls", "Logs", "Invoice", "Gap", "Gap %", "Flagged", "Why"])
        #expect(Array(months[1].prefix(8)) == ["anthropic", "2026-03", "6", "3.60", "4.11", "0.51", "12.41", "yes"])
        // Flagged days: 03-03 (+0.20 on 1.00), 03-04 (+0.30: the unlogged opus line), 03-06 (input tokens −100, cost equal).
        let days = try #require(csv.first { $0.key.hasSuffix("flagged-days.csv") }?.value)
        #expect(
            days.dropFirst().map { [$0[1], $0[3], $0[4], $0[5]] } == [
                ["2026-03-03", "1.00", "1.20", "0.20"], ["2026-03-04", "0.40", "0.70", "0.30"],
                ["2026-03-06", "0.10", "0.10", "0.00"]
            ])
        let unexplained = try #require(csv.first { $0.key.hasSuffix("invoice-lines-without-logged-calls.csv") }?.value)
        #expect(unexplained.count == 2 && unexplained[1][1] == "2026-03-04" && unexplained[1][4] == "0.30")
        // The PDF shows the same, and passes qpdf.
        #expect(out["qpdf"] as? Int == 0)
        let text = try #require(out["pdftext"] as? String)
        #expect(text.contains("Invoice reconciliation") && text.contains("6 gaps flagged") && text.contains("$4.11") && text.contains("12.41"))
    }

    @Test func unpricedCallsExitWithThree() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        // One priced call ($0.50) and one of a model no price book knows (logged $0).
        try fixture.write(
            [
                Lines.header, ReconcileFixture.call("p1", day: 2, input: 10, output: 10, cost: "0.50"),
                ReconcileFixture.call("u1", day: 2, provider: "acme", model: "mystery-9", input: 10, output: 10, cost: "0")
            ]
            .joined(separator: "\n") + "\n")
        _ = try Ingestor(
            options: IngestOptions(dataDir: fixture.dataDir, openclawDirs: [fixture.stateDir], gatewayDirs: [], parallelism: 1, now: Self.clock)
        ).run()
        let console = Console.capturing()
        let code = try ReportCommand(clock: Self.clock).run(
            [
                "--data", fixture.dataDir, "--period", "daily", "--to", "2026-03-02", "--formats", "csv",
                "--out", fixture.dir.path + "/out", "--definition", PythonOracle.repositoryRoot.path + "/reports/daily.json"
            ],
            console: console)
        #expect(code == .warnings)
        #expect(console.capturedErr.contains("1 calls have no price"))
        let quality = try String(
            contentsOfFile: fixture.dir.path + "/out/daily-2026-03-02/report-csv/"
                + (try FileManager.default.contentsOfDirectory(atPath: fixture.dir.path + "/out/daily-2026-03-02/report-csv").first {
                    $0.hasSuffix("data-quality.csv")
                } ?? ""),
            encoding: .utf8)
        #expect(quality.contains("\"Unpriced calls\",1") && quality.contains("\"Unpriced: acme/mystery-9\",1"))
    }
}
