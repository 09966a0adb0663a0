import Foundation
import Testing
@testable import HomeBaseCore
@testable import Config
@testable import Ingest

/// Issue 25, per-key usage: a hand-written lake (two agents, two providers) and two invoices that
/// name keys, every figure worked out below by hand (KeyUsageTests, ReportKeysTests).
enum KeyUsageFixture {
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
    ///   FOCUS (Anthropic): key apikey_ops $1.20 + $0.40 = $1.60; a line naming no key $0.30 (unattributed).
    ///     (Lines billed in other currencies are converted at ingest, FXRateTests.)
    ///   OpenRouter: agent-prod $0.25 + $0.05 (2 generations = 2 calls); stray-key $0.10 (1 call, not in the inventory).
    static let focus = """
        BilledCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ServiceProviderName,x_Model,x_ApiKeyId
        1.20,USD,2026-03-02T00:00:00Z,2026-03-03T00:00:00Z,Usage,Anthropic,claude-sonnet-4-5,apikey_ops
        0.40,USD,2026-03-03T00:00:00Z,2026-03-04T00:00:00Z,Usage,Anthropic,claude-sonnet-4-5,apikey_ops
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

}
