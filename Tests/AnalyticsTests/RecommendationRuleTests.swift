import Foundation
import Testing
@testable import HomeBaseCore
@testable import Analytics
@testable import TestSupport

/// Each rule on a lake written by hand, where the right saving is worked out in the comments
/// from the shipped price book (USD per million tokens). Periods of 10 days scale by 30/10 = 3.
@Suite struct RecommendationRuleTests {
    typealias Row = RecommendationLake.Row
    static func t(_ seconds: Double, _ date: String = "2026-03-02") -> Int64 { RecommendationLake.micros(date, seconds) }

    func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance * max(1, abs(b))
    }

    /// claude-sonnet-4-5: input 3, cache read 0.3, cache write 3.75.
    /// Session s1: inputs 10k (t 0), 12k (60 s), 14k (120 s), 16k (1000 s, past the 300 s TTL); s2: 5k alone.
    /// Reads: 0 + min(12k,10k) + min(14k,12k) + 0 + 0 = 22k; writes = 57k − 22k = 35k.
    /// Saving = 22k × 2.7 − 35k × 0.75 = 59,400 − 26,250 = 33,150 µ$ = $0.03315; × 3 = $0.09945/month.
    /// Not concerned: s3 (3k input < 4096), s4 (5k read of a 15k prompt = 33% ≥ 20%), kimi-coding (not a caching provider).
    /// gpt-5-mini via openai: input 0.25, cache read 0.025, writes not charged: 8k then 8k 10 s later →
    /// 8k × 0.225 = 1,800 µ$; × 3 = $0.0054/month.
    @Test func promptCaching() throws {
        let lake = RecommendationLake()
        defer { lake.remove() }
        try lake.write([
            Row(ts: Self.t(0), session: "s1", input: 10_000, output: 500),
            Row(ts: Self.t(60), session: "s1", input: 12_000, output: 500),
            Row(ts: Self.t(120), session: "s1", input: 14_000, output: 500),
            Row(ts: Self.t(1000), session: "s1", input: 16_000, output: 500),
            Row(ts: Self.t(0, "2026-03-05"), session: "s2", input: 5_000, output: 500),
            Row(ts: Self.t(10, "2026-03-05"), session: "s3", input: 3_000, output: 500),
            Row(ts: Self.t(20, "2026-03-05"), session: "s4", input: 10_000, output: 500, cacheRead: 5_000),
            Row(ts: Self.t(0), session: "k1", provider: "kimi-coding", model: "k2p5", input: 50_000),
            Row(ts: Self.t(10), session: "k1", provider: "kimi-coding", model: "k2p5", input: 50_000),
            Row(ts: Self.t(0), agent: "bot", session: "o1", provider: "openai", model: "gpt-5-mini", input: 8_000),
            Row(ts: Self.t(10), agent: "bot", session: "o1", provider: "openai", model: "gpt-5-mini", input: 8_000)
        ])
        let found = try lake.recommend(from: "2026-03-01", to: "2026-03-10") { $0.minimumMonthlySavingUSD = 0.001 }
        #expect(found.count == 2)
        let first = try #require(found.first)
        #expect(first.kind == .promptCaching && first.agent == "main" && first.provider == "anthropic" && first.model == "claude-sonnet-4-5")
        #expect(close(first.monthlySavingUSD, 0.09945))
        #expect(close(first.evidence.periodSavingUSD, 0.03315))
        #expect(first.evidence.calls == 5 && first.evidence.groupCalls == 7)
        #expect(first.evidence.tokens == 57_000 && first.evidence.cacheableTokens == 22_000)
        #expect(close(first.evidence.costUSD, 0.171))  // 57k × 3
        #expect(close(first.evidence.cacheReadShare, 5_000.0 / 75_000))  // s4's read over all 7 prompts
        #expect(first.evidence.periodDays == 10 && !first.upperBound)
        let second = found[1]
        #expect(second.agent == "bot" && second.model == "gpt-5-mini" && close(second.monthlySavingUSD, 0.0054))
        // The default $1 floor hides both.
        #expect(try lake.recommend(from: "2026-03-01", to: "2026-03-10").isEmpty)
    }

    /// claude-opus-4-5 (5/25/0.5/6.25) → claude-haiku-4-5 (1/5/0.1/1.25), exactly 5× cheaper.
    /// r1: 1000 in + 50 out: 5,000 + 1,250 = 6,250 µ$ → haiku 1,250 µ$.
    /// r2: 2000 in + 80 out + 10k read: 10,000 + 2,000 + 5,000 = 17,000 µ$ → haiku 3,400 µ$.
    /// Cost 23,250 µ$, after 4,650 µ$, saving 18,600 µ$ = $0.0186; × 3 = $0.0558/month; 2 of 6 calls.
    /// Not concerned: 150 output tokens, a tool call, a failure, a call logged cheaper than 4× haiku,
    /// sonnet (only 3× haiku) and haiku itself.
    @Test func modelRightSizing() throws {
        let lake = RecommendationLake()
        defer { lake.remove() }
        let opus = "claude-opus-4-5"
        try lake.write([
            Row(ts: Self.t(0), agent: "triage", model: opus, input: 1_000, output: 50, cost: 0.00625),
            Row(ts: Self.t(60), agent: "triage", model: opus, input: 2_000, output: 80, cacheRead: 10_000, cost: 0.017),
            Row(ts: Self.t(120), agent: "triage", model: opus, input: 1_000, output: 150, cost: 0.00875),
            Row(ts: Self.t(180), agent: "triage", model: opus, input: 1_000, output: 50, cost: 0.00625, toolCalls: 1),
            Row(ts: Self.t(240), agent: "triage", model: opus, input: 1_000, output: 10, cost: 0.00525, status: "error", errorClass: "network"),
            Row(ts: Self.t(300), agent: "triage", model: opus, input: 1_000, output: 20, cost: 0.001),
            Row(ts: Self.t(0), agent: "triage", model: "claude-sonnet-4-5", input: 100_000, output: 10, cost: 0.30015),
            Row(ts: Self.t(0), agent: "triage", model: "claude-haiku-4-5", input: 100_000, output: 10, cost: 0.10005)
        ])
        let found = try lake.recommend(from: "2026-03-01", to: "2026-03-10") { $0.minimumMonthlySavingUSD = 0.01 }
        #expect(found.count == 1)
        let r = try #require(found.first)
        #expect(r.kind == .modelRightSizing && r.agent == "triage" && r.model == opus && r.provider == "anthropic")
        #expect(r.evidence.suggestedModel == "claude-haiku-4-5" && r.upperBound)
        #expect(r.evidence.calls == 2 && r.evidence.groupCalls == 6 && close(r.evidence.shareOfCalls, 1.0 / 3))
        #expect(close(r.evidence.costUSD, 0.02325) && close(r.evidence.costAfterUSD, 0.00465))
        #expect(close(r.monthlySavingUSD, 0.0558))
        #expect(r.evidence.tokens == Int64(13_130))  // (1000 + 50) + (2000 + 80 + 10,000)
    }

    /// Session A: e1 (network, $0.02) retried 5 s later; e3 (network, $0.03) retried by e4 10 s later,
    /// e4 (network, $0.01) retried 20 s later; e6 (network, $0.50) never retried.
    /// Session B: f1 (rate_limit, $0) retried (no money: not shown); g1 names e6 but lives in B: no match.
    /// Network: 3 attempts, $0.06, 5 + 10 + 20 = 35 s; × 3 = $0.18/month; 9 calls of ops on anthropic.
    @Test func retryWaste() throws {
        let lake = RecommendationLake()
        defer { lake.remove() }
        func failed(_ s: Double, _ session: String, _ entry: String, _ cost: Double, _ errorClass: String = "network", retryOf: String? = nil) -> Row
        {
            Row(
                ts: Self.t(s), agent: "ops", session: session, entry: entry, input: 1_000, cost: cost, status: "error",
                errorClass: errorClass, retryOf: retryOf)
        }
        func ok(_ s: Double, _ session: String, _ entry: String, retryOf: String?) -> Row {
            Row(ts: Self.t(s), agent: "ops", session: session, entry: entry, input: 1_000, output: 300, cost: 0.01, retryOf: retryOf)
        }
        try lake.write([
            failed(0, "A", "e1", 0.02), ok(5, "A", "e2", retryOf: "e1"),
            failed(100, "A", "e3", 0.03), failed(110, "A", "e4", 0.01, retryOf: "e3"), ok(130, "A", "e5", retryOf: "e4"),
            failed(200, "A", "e6", 0.5),
            failed(0, "B", "f1", 0, "rate_limit"), ok(30, "B", "f2", retryOf: "f1"), ok(60, "B", "g1", retryOf: "e6")
        ])
        let found = try lake.recommend(from: "2026-03-01", to: "2026-03-10") { $0.minimumMonthlySavingUSD = 0.01 }
        #expect(found.count == 1)
        let r = try #require(found.first)
        #expect(r.kind == .retryWaste && r.agent == "ops" && r.provider == "anthropic" && r.evidence.errorClass == "network")
        #expect(r.evidence.calls == 3 && r.evidence.groupCalls == 9)
        #expect(close(r.evidence.costUSD, 0.06) && close(r.monthlySavingUSD, 0.18))
        #expect(close(r.evidence.timeLostSeconds, 35))
        #expect(r.evidence.tokens == 3_000)
    }

    /// Agent main: five sessions of 4 calls × $0.125 = $0.5, and s6 of 100 calls × $0.0625 = $6.25.
    /// Medians over 6 sessions: cost (0.5 + 0.5)/2 = $0.5, calls 4. s6: 100 calls > 5 × 4 and ≥ 60.
    /// Excess 6.25 − 0.5 = $5.75; × 3 = $17.25/month.
    /// Agent few: 4 sessions only (no median). Agent mid: its big session has 50 calls (< 60) and $1.25 (< $2).
    @Test func runawaySession() throws {
        let lake = RecommendationLake()
        defer { lake.remove() }
        var rows: [Row] = []
        func session(_ agent: String, _ name: String, day: String, calls: Int, each: Double) {
            for i in 0..<calls { rows.append(Row(ts: Self.t(Double(i * 30), day), agent: agent, session: name, input: 500, output: 200, cost: each)) }
        }
        for i in 1...5 { session("main", "s\(i)", day: "2026-03-0\(i)", calls: 4, each: 0.125) }
        session("main", "s6", day: "2026-03-06", calls: 100, each: 0.0625)
        for i in 1...3 { session("few", "f\(i)", day: "2026-03-0\(i)", calls: 4, each: 0.125) }
        session("few", "f4", day: "2026-03-04", calls: 100, each: 0.0625)
        for i in 1...5 { session("mid", "m\(i)", day: "2026-03-0\(i)", calls: 4, each: 0.0625) }
        session("mid", "m6", day: "2026-03-06", calls: 50, each: 0.025)
        try lake.write(rows)
        let found = try lake.recommend(from: "2026-03-01", to: "2026-03-10")
        #expect(found.count == 1)
        let r = try #require(found.first)
        #expect(r.kind == .runawaySession && r.agent == "main" && r.upperBound)
        #expect(close(r.monthlySavingUSD, 17.25) && close(r.evidence.periodSavingUSD, 5.75))
        #expect(r.evidence.medianSessionCostUSD == 0.5 && r.evidence.medianSessionCalls == 4)
        #expect(r.evidence.sessions == [SessionEvidence(sessionId: "s6", calls: 100, costUSD: 6.25, date: "2026-03-06")])
        #expect(r.evidence.calls == 100 && r.evidence.groupCalls == 120)
    }

    /// Agent cron runs daily at 06:30:10 UTC for 20 days (2026-03-01..20), one call of 300 output tokens
    /// costing $0.01 × (day + 1). First week: mean(0.01…0.07) = $0.04; last week: mean(0.14…0.20) = $0.17
    /// (> 1.5 × 0.04), output flat. Saving = (0.17 − 0.04) × 7/7 runs a day × 30 = $3.90/month.
    /// Not concerned: daily at 07:00 with output growing with cost; a job seen on 5 days only; the same
    /// agent's sessions at other times.
    @Test func idleSpend() throws {
        let lake = RecommendationLake()
        defer { lake.remove() }
        var rows: [Row] = []
        for d in 0..<20 {
            let day = UTCDate.dateString(days: (UTCDate.parseDate("2026-03-01") ?? 0) + Int64(d))
            rows.append(
                Row(
                    ts: Self.t(6 * 3600 + 30 * 60 + 10, day), agent: "cron", session: "c\(d)", input: 2_000, output: 300,
                    cost: 0.01 * Double(d + 1)))
            rows.append(
                Row(
                    ts: Self.t(7 * 3600 + 5, day), agent: "cron", session: "g\(d)", input: 2_000, output: 300 * Int64(d + 1),
                    cost: 0.01 * Double(d + 1)))
            rows.append(Row(ts: Self.t(Double(9 * 3600 + d * 1_777), day), agent: "cron", session: "x\(d)", input: 2_000, output: 300, cost: 0.05))
            if d % 4 == 0 {
                rows.append(Row(ts: Self.t(8 * 3600, day), agent: "cron", session: "w\(d)", input: 2_000, output: 300, cost: 0.01 * Double(d + 1)))
            }
        }
        try lake.write(rows)
        let found = try lake.recommend(from: "2026-03-01", to: "2026-03-20")
        #expect(found.count == 1)
        let r = try #require(found.first)
        #expect(r.kind == .idleSpend && r.agent == "cron" && r.evidence.schedule == "06:30 UTC" && r.evidence.runs == 20)
        #expect(close(r.evidence.firstWeekCostPerRunUSD, 0.04) && close(r.evidence.lastWeekCostPerRunUSD, 0.17))
        #expect(r.evidence.firstWeekOutputPerRun == 300 && r.evidence.lastWeekOutputPerRun == 300)
        #expect(close(r.monthlySavingUSD, 3.9))
        // Σ 0.01 × (1…20) = $2.10 in the period; priced at the first week's $0.04 a run: $0.80.
        #expect(close(r.evidence.costUSD, 2.1) && close(r.evidence.costAfterUSD, 0.8))
        #expect(try lake.recommend(from: "2026-03-01", to: "2026-03-20") { $0.minimumMonthlySavingUSD = 4 }.isEmpty)
    }

    /// The JSON keys are a contract with analysis.json and the reports: snake_case, stable, nil fields left out.
    @Test func jsonKeys() throws {
        let period = try RecommendationPeriod(from: "2026-03-01", to: "2026-03-10")
        var evidence = RecommendationEvidence(period: period, calls: 2, groupCalls: 8, costUSD: 1, costAfterUSD: 0.25)
        evidence.suggestedModel = "claude-haiku-4-5"
        let r = Recommendation(
            kind: .modelRightSizing, title: "t", agent: "a", model: "m", provider: "p", evidence: evidence,
            monthlySavingUSD: 2.25, assumptions: ["x"], upperBound: true)
        let data = try JSONEncoder().encode(r)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["kind", "title", "agent", "model", "provider", "evidence", "monthly_saving_usd", "assumptions", "upper_bound"])
        #expect(object["kind"] as? String == "model_right_sizing")
        let e = try #require(object["evidence"] as? [String: Any])
        #expect(
            Set(e.keys) == [
                "period_from", "period_to", "period_days", "calls", "group_calls", "share_of_calls", "cost_usd",
                "cost_after_usd", "period_saving_usd", "suggested_model"
            ])
        #expect(e["share_of_calls"] as? Double == 0.25 && e["period_saving_usd"] as? Double == 0.75)
        #expect(try JSONDecoder().decode(Recommendation.self, from: data) == r)
        #expect(
            Recommendation.Kind.allCases.map(\.rawValue) == ["prompt_caching", "model_right_sizing", "retry_waste", "runaway_session", "idle_spend"])
    }
}
