import Foundation
import Testing
@testable import SQLiteStore
@testable import Lake
@testable import Config
@testable import Pipeline
@testable import HomeBaseCLI
@testable import TestSupport

@Suite struct ConfigTests {
    static let samples = PythonOracle.repositoryRoot.appendingPathComponent("samples").path

    @Test func sampleConfigLoadsWithPathsResolvedAgainstItsDirectory() throws {
        let config = try HomeBaseConfig.load(file: Self.samples + "/homebase.json")
        #expect(config.openclawDirs == [Self.samples + "/openclaw", Self.samples + "/store/openclaw"])
        #expect(config.dataDir == (Self.samples as NSString).deletingLastPathComponent + "/homebase-data")
        #expect(config.timeZone == "Europe/Berlin")
        #expect(config.budgets == .init(monthlyUSD: 40, agents: ["agent-01": 15]))
        #expect(config.priceOverrides["acme/house-model"] == ModelPrice(input: 1, output: 4, cacheRead: 0.1))
        #expect(config.reports.weeklyOn == 3 && config.reports.formats.contains("eml"))
        #expect(config.email?.to == ["ops@example.com"] && config.email?.sendmail == nil)
        #expect(config.backup.keepMonthly == 12)
        #expect(config.credentials.map(\.keyID) == ["sk-...a1b2", "anthropic-ops"])
        #expect(config.credentials[1].expires == "2026-12-31" && config.credentials[0].rotateAfterDays == 90)
    }

    @Test func emptyConfigKeepsTheDefaults() throws {
        let config = try HomeBaseConfig.parse("{}", baseDir: "/etc/hb")
        #expect(config.dataDir == "/etc/hb/homebase-data" && config.timeZone == "UTC" && config.alerts.errorRate == 0.2)
        #expect(config.email == nil && config.credentials.isEmpty)
    }

    /// Issue 25's additive credential keys: the agents a key serves, its invoice names, its monthly limit.
    @Test func credentialUsageKeys() throws {
        let config = try HomeBaseConfig.parse(
            #"{"credentials": [{"key_id": "ops", "provider": "anthropic", "created": "2026-01-01", "agents": ["a", "b"], "invoice_names": ["apikey_1"], "monthly_limit_usd": 25.5}, {"key_id": "k", "provider": "openai", "created": "2026-01-01"}]}"#
        )
        #expect(config.credentials[0].agents == ["a", "b"] && config.credentials[0].invoiceNames == ["apikey_1"])
        #expect(config.credentials[0].monthlyLimitUSD == 25.5)
        #expect(config.credentials[1].agents.isEmpty && config.credentials[1].invoiceNames.isEmpty && config.credentials[1].monthlyLimitUSD == nil)
    }

    /// Each mistake is reported with the key path and the expected form.
    @Test(arguments: [
        (#"{"timezon": "UTC"}"#, "timezon", "unknown key"),
        (#"{"alerts": {"error_rate": "5%"}}"#, "alerts.error_rate", "expected a fraction of calls, got the string \"5%\""),
        (#"{"alerts": {"error_rate": 5}}"#, "alerts.error_rate", "between 0 and 1, got 5"),
        (#"{"timezone": "Mars/Olympus"}"#, "timezone", "unknown time zone"),
        (#"{"budgets": {"agents": {"ops": "lots"}}}"#, "budgets.agents.ops", "monthly budget in USD for agent ops"),
        (#"{"reports": {"weekly_on": "funday"}}"#, "reports.weekly_on", "weekday name"),
        (#"{"reports": {"formats": ["html", "docx"]}}"#, "reports.formats", "unknown format \"docx\""),
        (#"{"backup": {"keep_daily": 1.5}}"#, "backup.keep_daily", "whole number"),
        (#"{"email": {"from": "a@b.c", "to": ["d@e.f"], "reports": ["weekly", "hourly"]}}"#, "email.reports", "unknown report \"hourly\""),
        (#"{"credentials": [{"key_id": "k", "provider": "openai", "created": "2026-13-01"}]}"#, "credentials[0].created", "YYYY-MM-DD"),
        (
            #"{"credentials": [{"key_id": "k", "provider": "openai", "created": "2026-01-01", "secret": "sk-live"}]}"#, "credentials[0].secret",
            "never put a secret"
        ),
        (
            #"{"credentials": [{"key_id": "k", "provider": "openai", "created": "2026-01-01", "monthly_limit_usd": "50"}]}"#,
            "credentials[0].monthly_limit_usd", "expected dollars"
        ),
        (
            #"{"credentials": [{"key_id": "k", "provider": "openai", "created": "2026-01-01", "agents": [1]}]}"#, "credentials[0].agents[0]",
            "expected a string"
        ),
        (#"{"alerts": {"webhooks": [{"url": "ftp://x"}]}}"#, "alerts.webhooks[0].url", "https://"),
        (#"{"prices": {"overrides": {"m": {"input": 1}}}}"#, "prices.overrides.m", "needs \"input\" and \"output\""),
        (#"{"sources": {"openclaw": [1]}}"#, "sources.openclaw[0]", "expected a string"),
        (#"{"data_dir": 3"#, "", "not valid JSON")
    ])
    func mistakesNameTheKey(text: String, key: String, message: String) {
        do {
            _ = try HomeBaseConfig.parse(text)
            Issue.record("accepted \(text)")
        } catch let error as ConfigError {
            #expect(error.key == key)
            #expect(error.message.contains(message), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func reportsFontIsAPathRelativeToTheConfigOrStandard() throws {
        #expect(try HomeBaseConfig.parse(#"{"reports": {"font": "fonts/My.ttf"}}"#, baseDir: "/etc/hb").reports.font == "/etc/hb/fonts/My.ttf")
        #expect(try HomeBaseConfig.parse(#"{"reports": {"font": "/usr/share/x.ttf"}}"#, baseDir: "/etc/hb").reports.font == "/usr/share/x.ttf")
        #expect(try HomeBaseConfig.parse(#"{"reports": {"font": "standard"}}"#).reports.font == "standard")
        #expect(try HomeBaseConfig.parse("{}").reports.font == nil)
        #expect(try HomeBaseConfig.parse(#"{"reports": {"csv_bom": true}}"#).reports.csvByteOrderMark)
        #expect(try !HomeBaseConfig.parse("{}").reports.csvByteOrderMark)
        #expect(throws: ConfigError.self) { try HomeBaseConfig.parse(#"{"reports": {"font": 3}}"#) }
    }

    @Test func missingFileSaysWhatToDo() {
        let error = #expect(throws: ConfigError.self) { try HomeBaseConfig.load(file: "/nonexistent/homebase.json") }
        #expect(error?.file == "/nonexistent/homebase.json")
        #expect(error?.message.contains("pass --config FILE") == true, "\(String(describing: error))")
    }
}

@Suite struct AnalyzeConfigTests {
    /// `analyze --config` takes the zone, budgets and prices from the file; flags win over it.
    @Test func configFeedsAnalysisOptionsAndFlagsWin() throws {
        let dir = TemporaryDirectory("homebase-analyze-config")
        defer { dir.remove() }
        try
            #"{"data_dir": "lake", "timezone": "Asia/Tokyo", "budgets": {"monthly_usd": 40, "agents": {"ops": 15}}, "prices": {"overrides": {"x/y": {"input": 1, "output": 2}}}}"#
            .write(toFile: dir.file("hb.json"), atomically: true, encoding: .utf8)
        let spec = AnalyzeCommand.spec
        let fromFile = try AnalyzeCommand.options(try ArgumentScanner.scan(["--config", dir.file("hb.json")], spec: spec), generatedAt: 0)
        #expect(fromFile.dataDir == dir.file("lake") && fromFile.timeZone == "Asia/Tokyo")
        #expect(
            fromFile.budgetUSD == 40 && fromFile.agentBudgetsUSD == ["ops": 15] && fromFile.priceOverrides["x/y"] == ModelPrice(input: 1, output: 2))
        let flagged = try AnalyzeCommand.options(
            try ArgumentScanner.scan(["--config", dir.file("hb.json"), "--tz", "UTC", "--budget", "99"], spec: spec), generatedAt: 0)
        #expect(flagged.timeZone == "UTC" && flagged.budgetUSD == 99 && flagged.agentBudgetsUSD == ["ops": 15])
    }
}
