import Foundation
import Testing
@testable import HomeBaseCore
@testable import Config
@testable import Ingest
@testable import Analytics
@testable import TestSupport

/// Issue 25, per-key usage: a hand-written lake (two agents, two providers) and two invoices that
/// name keys, with every figure worked out below by hand.
@Suite struct KeyUsageTests {
    /// Epoch ms of 10:00 UTC on 2026-03-`day` plus `minute` minutes.
    static func ms(_ day: Int64, _ minute: Int64 = 0) -> Int64 {
        (UTCDate.days(year: 2026, month: 3, day: day) * 86_400 + 36_000 + minute * 60) * 1000
    }
    static func call(
        _ id: String, day: Int64, minute: Int64 = 0, provider: String = "anthropic", model: String = "claude-sonnet-4-5", cost: String,
        error: String? = nil
    ) -> String {
        Lines.assistant(
            id, ms: ms(day, minute), entry: UTCDate.isoString(micros: ms(day, minute) * 1000 + 2_000_000), provider: provider, model: model,
            stop: error == nil ? "stop" : "error", input: error == nil ? 10 : 0, output: error == nil ? 10 : 0, cost: cost, error: error)
    }

    /// Logged in March 2026:
    ///   ops:   anthropic $1.00 + $0.50 + one 429 (rate_limit, $0) → 3 calls, 1 error, 1 rate limit, $1.50;
    ///          openrouter $0.20 → 1 call.
    ///   coder: anthropic $2.00 + one 429 → 2 calls, 1 error, 1 rate limit, $2.00.
    ///   ops, February: anthropic $9.00 (another month: not counted).
    static let ops =
        [
            Lines.header,
            call("feb", day: -5, cost: "9.00"),
            call("o1", day: 2, cost: "1.00"),
            call("o2", day: 2, minute: 5, cost: "0.50"),
            call("o3", day: 3, cost: "0", error: "429 rate limit exceeded"),
            call("o4", day: 3, minute: 5, provider: "openrouter", model: "anthropic/claude-sonnet-4.5", cost: "0.20")
        ].joined(separator: "\n") + "\n"
    static let coder =
        [
            Lines.header,
            call("c1", day: 4, cost: "2.00"),
            call("c2", day: 4, minute: 5, cost: "0", error: "429 Too Many Requests: rate limit")
        ].joined(separator: "\n") + "\n"

    /// Invoiced in March 2026:
    ///   FOCUS (Anthropic): key apikey_ops $1.20 + $0.40 = $1.60; a line naming no key $0.30 (unattributed);
    ///     a EUR line for apikey_ops €0.50 (not added to USD, counted in non_usd_lines).
    ///   OpenRouter: agent-prod $0.25 + $0.05 (2 generations = 2 calls); stray-key $0.10 (1 call, not in the inventory).
    static let focus = """
        BilledCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ServiceProviderName,x_Model,x_ApiKeyId
        1.20,USD,2026-03-02T00:00:00Z,2026-03-03T00:00:00Z,Usage,Anthropic,claude-sonnet-4-5,apikey_ops
        0.40,USD,2026-03-03T00:00:00Z,2026-03-04T00:00:00Z,Usage,Anthropic,claude-sonnet-4-5,apikey_ops
        0.50,EUR,2026-03-03T00:00:00Z,2026-03-04T00:00:00Z,Usage,Anthropic,claude-sonnet-4-5,apikey_ops
        0.30,USD,2026-03-04T00:00:00Z,2026-03-05T00:00:00Z,Usage,Anthropic,claude-sonnet-4-5,

        """
    static let openRouter = """
        generation_id,created_at,cost_total,cost_web_search,cost_cache,cost_file_processing,byok_usage_inference,tokens_prompt,tokens_completion,tokens_reasoning,tokens_cached,model_permaslug,provider_name,variant,cancelled,streamed,user,finish_reason_raw,finish_reason_normalized,generation_time_ms,time_to_first_token_ms,app_name,api_key_name,api_key_disabled
        gen-1,2026-03-03 10:05:00.000,0.25,,,,0,10,10,0,0,anthropic/claude-4.5-sonnet-20250929,Anthropic,standard,false,true,,end_turn,stop,100,50,app,agent-prod,false
        gen-2,2026-03-05 11:00:00.000,0.05,,,,0,10,10,0,0,anthropic/claude-4.5-sonnet-20250929,Anthropic,standard,false,true,,end_turn,stop,100,50,app,agent-prod,false
        gen-3,2026-03-05 12:00:00.000,0.10,,,,0,10,10,0,0,anthropic/claude-4.5-sonnet-20250929,Anthropic,standard,false,true,,end_turn,stop,100,50,app,stray-key,false

        """

    static func lake() throws -> IngestFixture {
        let fixture = IngestFixture()
        try fixture.write(agent: "ops", Self.ops)
        try fixture.write(agent: "coder", Self.coder)
        let invoices = fixture.dir.path + "/invoices"
        try FileManager.default.createDirectory(atPath: invoices, withIntermediateDirectories: true)
        try Self.focus.write(toFile: invoices + "/focus.csv", atomically: true, encoding: .utf8)
        try Self.openRouter.write(toFile: invoices + "/openrouter_activity.csv", atomically: true, encoding: .utf8)
        var options = IngestOptions(
            dataDir: fixture.dataDir, openclawDirs: [fixture.stateDir], gatewayDirs: [], parallelism: 1, now: { 1_800_000_000_000_000 })
        options.invoiceDirs = [invoices]
        let summary = try Ingestor(options: options).run()
        #expect(summary.calls == 7 && summary.quarantinedLines == 0)
        return fixture
    }

    static func credential(_ id: String, _ provider: String, agents: [String] = [], names: [String] = [], limit: Double? = nil)
        -> HomeBaseConfig.Credential
    {
        var c = HomeBaseConfig.Credential(keyID: id, provider: provider, created: "2026-01-01")
        c.agents = agents
        c.invoiceNames = names
        c.monthlyLimitUSD = limit
        return c
    }

    static func analyze(_ data: String, keys: [HomeBaseConfig.Credential]) throws -> Analysis {
        var options = AnalysisOptions(dataDir: data, generatedAt: 0)
        options.now = UTCDate.days(year: 2026, month: 3, day: 10) * 86_400_000_000
        options.keys = keys
        options.keyNearPercent = 80
        return try Analyzer(options: options).run()
    }

    @Test func spendCallsAndRateLimitsPerKey() throws {
        let fixture = try Self.lake()
        defer { fixture.remove() }
        let analysis = try Self.analyze(
            fixture.dataDir,
            keys: [
                Self.credential("anthropic-ops", "anthropic", agents: ["ops"], names: ["apikey_ops"], limit: 2),
                Self.credential("anthropic-coder", "anthropic", agents: ["coder"], limit: 1.5),
                Self.credential("agent-prod", "openrouter")
            ])
        let section = try #require(analysis.keys)
        #expect(section.month == "2026-03" && section.from == "2026-03-01" && section.to == "2026-03-10")
        #expect(section.unattributed_invoice_lines == 1)
        #expect(section.keys.map(\.key_id) == ["anthropic-ops", "anthropic-coder", "agent-prod", "stray-key"])

        let ops = section.keys[0]
        #expect(ops.logged_calls == 3 && ops.logged_errors == 1 && ops.rate_limit_errors == 1)
        #expect(abs(ops.logged_cost_usd - 1.50) < 1e-9)
        #expect(ops.invoiced_usd == 1.60 && ops.invoice_lines == 3 && ops.non_usd_lines == 1 && ops.invoiced_calls == nil)
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
        let fixture = try Self.lake()
        defer { fixture.remove() }
        let analysis = try Self.analyze(
            fixture.dataDir, keys: [Self.credential("a", "anthropic"), Self.credential("b", "anthropic", agents: ["coder"])])
        let keys = try #require(analysis.keys?.keys)
        // `a` (all agents) has 5 anthropic calls, `b` coder's 2; they overlap on coder.
        #expect(keys[0].logged_calls == 5 && keys[0].rate_limit_errors == 2 && keys[0].shared_with == ["b"])
        #expect(keys[1].logged_calls == 2 && keys[1].shared_with == ["a"])
    }

    @Test func noKeysAndNoInvoicesMeansNoSection() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        try fixture.write(agent: "ops", Self.ops)
        _ = try fixture.ingest()
        #expect(try Self.analyze(fixture.dataDir, keys: []).keys == nil)
    }
}
