import Foundation
import Testing
@testable import HomeBaseCore
@testable import Config
@testable import Analytics
@testable import Reports
@testable import TestSupport

/// Issue 25 in the monthly finance report: the per-key table over `KeyUsageFixture` and the
/// rotation audit of one kept AWS import, read back from the CSV files and the PDF's text.
@Suite(.serialized) struct ReportKeysTests {
    @Test func monthlyReportShowsKeysAndTheAuditTrail() throws {
        let fixture = try KeyUsageFixture.lake()
        defer { fixture.remove() }
        let aws = try Data(contentsOf: URL(fileURLWithPath: SecretsManagerServers.fixtures + "/aws-list-secrets-1.json"))
        try InventoryStore(dataDir: fixture.dataDir).save(
            source: "aws", origin: "list.json", at: UTCDate.parseDate("2026-03-06")! * 86_400_000_000,
            entries: try InventoryParser.aws(aws, origin: "list.json").entries)
        var config = HomeBaseConfig()
        config.alerts.budgetPercent = 80
        config.credentials = [
            KeyUsageFixture.credential("anthropic-ops", "anthropic", agents: ["ops"], names: ["apikey_ops"], limit: 2),
            KeyUsageFixture.credential("anthropic-coder", "anthropic", agents: ["coder"], limit: 1.5),
            KeyUsageFixture.credential("agent-prod", "openrouter")
        ]
        var options = ReportRunOptions(
            dataDir: fixture.dataDir, definition: try ReportDefinition.load(path: PythonOracle.repositoryRoot.path + "/reports/monthly-finance.json"),
            outputDir: fixture.dir.path + "/out")
        options.config = config
        options.from = "2026-03-01"
        options.to = "2026-03-31"
        options.formats = [.csv, .pdf]
        options.clock = { 1_800_000_000_000_000 }
        let result = try ReportRunner.render(options)
        #expect(result.analysis.keys?.month == "2026-03")
        let out = try ReportEndToEndTests.files(result.directory)
        let csv = try #require(out["csv"] as? [String: [[String]]])
        // KeyUsageTests' figures for the whole of March (CSV percentages are fractions: 80% is 0.800).
        let keys = try #require(csv.first { $0.key.contains("usage-per-api-key") }?.value, "\(csv.keys.sorted())")
        #expect(
            keys[0] == [
                "Key", "Provider", "Logged calls", "Rate-limit errors", "Invoiced calls", "Logged cost", "Invoiced", "Monthly limit", "Used", "Status"
            ])
        #expect(
            Array(keys.dropFirst()) == [
                ["anthropic-ops", "anthropic", "3", "1", "", "1.50", "1.60", "2.00", "0.800", "near"],
                ["anthropic-coder", "anthropic", "2", "1", "", "2.00", "", "1.50", "1.333", "over"],
                ["agent-prod", "openrouter", "1", "0", "2", "0.20", "0.30", "", "", "no_limit"],
                ["stray-key", "openrouter", "0", "0", "1", "0.00", "0.10", "", "", "no_limit"]
            ])
        // One import on 03-06; judged at the end of March: openrouter's rotation 03-05 was 33 days late
        // (01-01 + 30 = 01-31), next due 04-04; the other two never rotated.
        let audit = try #require(csv.first { $0.key.contains("credential-rotation-audit") }?.value)
        #expect(audit[0] == ["Source", "Secret", "Status", "Rotations (days late)", "Every (days)", "Due", "Days overdue", "Last seen"])
        #expect(
            Array(audit.dropFirst()) == [
                ["aws", "old/openai-key", "never_rotated", "never", "", "", "", "2026-03-06"],
                ["aws", "prod/anthropic-key", "never_rotated", "never", "", "", "", "2026-03-06"],
                ["aws", "prod/openrouter-key", "late", "2026-03-05 (+33 d)", "30", "2026-04-04", "", "2026-03-06"]
            ])
        let text = try #require(out["pdftext"] as? String)
        #expect(text.contains("Usage per API key") && text.contains("Credential rotation audit") && text.contains("stray-key"))
    }
}
