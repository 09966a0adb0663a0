import Foundation
import Testing
@testable import HomeBaseCore
@testable import Config
@testable import Ingest
@testable import Analytics
@testable import TestSupport

/// Issue 25, per-key usage over `KeyUsageFixture` (two agents, two providers, two invoices that
/// name keys), every figure worked out by hand there.
@Suite struct KeyUsageTests {
    static func analyze(_ data: String, keys: [HomeBaseConfig.Credential]) throws -> Analysis {
        var options = AnalysisOptions(dataDir: data, generatedAt: 0)
        options.now = UTCDate.days(year: 2026, month: 3, day: 10) * 86_400_000_000
        options.keys = keys
        options.keyNearPercent = 80
        return try Analyzer(options: options).run()
    }

    @Test func spendCallsAndRateLimitsPerKey() throws {
        let fixture = try KeyUsageFixture.lake()
        defer { fixture.remove() }
        let analysis = try Self.analyze(
            fixture.dataDir,
            keys: [
                KeyUsageFixture.credential("anthropic-ops", "anthropic", agents: ["ops"], names: ["apikey_ops"], limit: 2),
                KeyUsageFixture.credential("anthropic-coder", "anthropic", agents: ["coder"], limit: 1.5),
                KeyUsageFixture.credential("agent-prod", "openrouter")
            ])
        let section = try #require(analysis.keys)
        #expect(section.month == "2026-03" && section.from == "2026-03-01" && section.to == "2026-03-10")
        #expect(section.unattributed_invoice_lines == 1)
        #expect(section.keys.map(\.key_id) == ["anthropic-ops", "anthropic-coder", "agent-prod", "stray-key"])

        let ops = section.keys[0]
        #expect(ops.logged_calls == 3 && ops.logged_errors == 1 && ops.rate_limit_errors == 1)
        #expect(abs(ops.logged_cost_usd - 1.50) < 1e-9)
        #expect(ops.invoiced_usd == 1.60 && ops.invoice_lines == 2 && ops.non_usd_lines == 0 && ops.invoiced_calls == nil)
        // Spend is the invoice's $1.60 of the $2 limit: 80% = the near threshold.
        #expect(ops.spend_source == "invoice" && ops.spend_usd == 1.60)
        #expect(abs((ops.percent_used ?? 0) - 80) < 1e-9 && ops.status == "near")
        #expect(ops.shared_with.isEmpty)

        let coder = section.keys[1]
        #expect(coder.logged_calls == 2 && coder.rate_limit_errors == 1 && coder.invoiced_usd == nil && coder.invoice_lines == 0)
        // No invoice names it: spend is the logged $2.00 of $1.50 → 133.3%, over.
        #expect(coder.spend_source == "logs" && abs(coder.spend_usd - 2) < 1e-9)
        #expect(abs((coder.percent_used ?? 0) - 200.0 / 1.5) < 1e-9 && coder.status == "over")

        let prod = section.keys[2]
        // No `agents`: every agent's openrouter calls (ops's one $0.20 call).
        #expect(prod.logged_calls == 1 && abs(prod.logged_cost_usd - 0.20) < 1e-9)
        #expect(prod.invoiced_usd == 0.30 && prod.invoiced_calls == 2 && prod.status == "no_limit" && prod.percent_used == nil)

        let stray = section.keys[3]
        #expect(!stray.in_inventory && stray.provider == "openrouter" && stray.invoiced_usd == 0.10 && stray.invoiced_calls == 1)
        #expect(stray.logged_calls == 0)

        // Budget alerts through the alert rules: near (warning) and over (critical), keyed by key and month.
        var rules = HomeBaseConfig.AlertRules()
        rules.budgetPercent = 80
        let alerts = AlertEvaluator(rules: rules).evaluate(analysis).filter { $0.key.hasPrefix("budget:key:") }
        #expect(alerts.map(\.key) == ["budget:key:anthropic-ops:2026-03", "budget:key:anthropic-coder:2026-03"])
        #expect(alerts.map(\.severity) == ["warning", "critical"])
        #expect(alerts.first?.detail == "$1.60 of $2.00 (from invoice)")
        rules.budgetPercent = nil
        #expect(!AlertEvaluator(rules: rules).evaluate(analysis).contains { $0.key.hasPrefix("budget:key:") })
        // The section survives the JSON round trip.
        #expect(try AnalysisJSON.decode(AnalysisJSON.encode(analysis)).keys == section)
    }

    @Test func keysClaimingTheSameAgentSayTheyShareCalls() throws {
        let fixture = try KeyUsageFixture.lake()
        defer { fixture.remove() }
        let analysis = try Self.analyze(
            fixture.dataDir, keys: [KeyUsageFixture.credential("a", "anthropic"), KeyUsageFixture.credential("b", "anthropic", agents: ["coder"])])
        let keys = try #require(analysis.keys?.keys)
        // `a` (all agents) has 5 anthropic calls, `b` coder's 2; they overlap on coder.
        #expect(keys[0].logged_calls == 5 && keys[0].rate_limit_errors == 2 && keys[0].shared_with == ["b"])
        #expect(keys[1].logged_calls == 2 && keys[1].shared_with == ["a"])
    }

    @Test func noKeysAndNoInvoicesMeansNoSection() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        try fixture.write(agent: "ops", KeyUsageFixture.ops)
        _ = try fixture.ingest()
        #expect(try Self.analyze(fixture.dataDir, keys: []).keys == nil)
    }
}
