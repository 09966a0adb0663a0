import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Analytics
@testable import Generate
@testable import Lake
@testable import TestSupport

/// `Analyzer` over a generated, ingested lake: every total, percentile and error count equals
/// what DuckDB computes independently over the same Parquet parts, in UTC and in a DST zone.
@Suite struct AnalysisLakeTests {

    @Test func utcAnalysisMatchesDuckDB() throws {
        let lake = try AnalysisOracle.Lake()
        defer { lake.remove() }
        let analysis = try lake.analyze {
            $0.budgetUSD = 10; $0.agentBudgetsUSD = ["main": 1, "nobody": 5]
        }
        let oracle = try lake.oracle(zone: "UTC")
        try AnalysisOracle.check(analysis, against: oracle)
        #expect(analysis.now == UTCDate.isoString(micros: try #require((oracle["now"] as? NSNumber)?.int64Value)))
        #expect(analysis.now_source == "data")
        #expect(analysis.range.days.count == 35 || analysis.range.days.count == 36)  // a session may run past midnight
        #expect(analysis.retries.chains > 0 && analysis.retries.retried_chains > 0)
        // Budgets: actual is the month-to-date cost, percent is actual / budget.
        let windows = try #require(oracle["windows"] as? [String: Any])
        let mtd = try #require(((windows["month_to_date"] as? [Any])?[1] as? NSNumber)?.doubleValue)
        let overall = try #require(analysis.budgets.overall)
        _ = AnalysisOracle.close(overall.actual_usd, mtd, 1e-9, "budget actual")
        _ = AnalysisOracle.close(overall.percent_used, mtd / 10 * 100, 1e-9, "budget percent")
        #expect(overall.projected_usd >= overall.actual_usd)
        #expect(overall.status == (mtd > 10 ? "over" : overall.projected_usd > 10 ? "projected_over" : "ok"))
        let mainMonth = try #require(((windows["month_by_agent"] as? [String: Any])?["main"] as? [Any])?.first)
        _ = AnalysisOracle.close(analysis.budgets.by_agent["main"]?.actual_usd, mainMonth, 1e-9, "main budget")
        #expect(analysis.budgets.by_agent["nobody"]?.actual_usd == 0)
        // Throughput in UTC: every day has 86 400 s.
        let days = Double(analysis.range.days.count)
        #expect(AnalysisOracle.close(analysis.throughput.overall.requests_per_s, Double(analysis.cost.total.calls) / (days * 86_400)))
        // The generator injects two anomalies: a runaway agent (cost) and a provider outage (error rate).
        // The runaway day is the top cost anomaly, fleet-wide and per agent (naming the agent); the outage
        // day is flagged for the fleet's error rate. (A quiet day with two very slow timeouts may outrank
        // both on p95 latency: that is in the data too.)
        let daily = analysis.anomalies.flagged.filter { $0.period == "day" }
        let outage = UTCDate.dateString(
            days: try #require(FleetPlan(options: GenerateFixture.options(days: 35, agents: 3, callsPerDay: 20, seed: 11)).outageDay))
        #expect(daily.first { $0.metric == "cost_usd" && $0.agent_id == nil }?.at == lake.manifest.anomaly_day)
        let cost = daily.first { $0.metric == "cost_usd" }
        #expect(cost?.at == lake.manifest.anomaly_day)
        #expect(cost?.agent_id == lake.manifest.anomaly_agent)
        // The causal scorer warms up on the lake's first 21 days (3 weekly cycles): an outage inside them is
        // reported as insufficient history, not scored; after them it is flagged.
        let errorRate = try #require(analysis.anomalies.daily.first { $0.metric == "error_rate" && $0.agent_id == nil })
        let outageIndex = try #require(analysis.range.days.firstIndex(of: outage))
        if outageIndex < 21 {
            #expect(errorRate.status?[outageIndex] == "insufficient_history" && errorRate.scores[outageIndex] == nil)
        } else {
            #expect(daily.contains { $0.metric == "error_rate" && $0.agent_id == nil && $0.at == outage })
        }
        #expect(!daily.contains { $0.metric == "cost_usd" && $0.agent_id == nil && $0.at != lake.manifest.anomaly_day && $0.score > cost!.score })
        // Forecast: 30 days with ordered intervals, history ends before `now`'s day.
        let forecast = try #require(analysis.forecasts.overall)
        #expect(forecast.days.count == 30)
        #expect(forecast.days.allSatisfy { $0.lo95 <= $0.lo80 && $0.lo80 <= $0.mean && $0.mean <= $0.hi80 && $0.hi80 <= $0.hi95 })
        // Origins: every training length from 14 days (what every method needs) to the history's last day.
        #expect(forecast.backtest?.origins == forecast.history_days - 14)
        #expect(forecast.days.first?.date == analysis.range.days.last)
        // Same lake, same options: the same bytes.
        let again = try lake.analyze {
            $0.budgetUSD = 10; $0.agentBudgetsUSD = ["main": 1, "nobody": 5]
        }
        #expect(try AnalysisJSON.encode(again) == AnalysisJSON.encode(analysis))
        #expect(try AnalysisJSON.decode(AnalysisJSON.encode(analysis)) == analysis)
        // The bytes are Foundation's JSONEncoder's with the same options (PrettyJSONEncoder writes them).
        let foundation = JSONEncoder()
        foundation.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        #expect(try AnalysisJSON.encode(analysis) == foundation.encode(analysis) + [0x0A])
    }

    @Test func newYorkDaysMatchDuckDBAndTotalsDoNotDependOnTheZone() throws {
        let lake = try AnalysisOracle.Lake(days: 30, agents: 2, seed: 5)
        defer { lake.remove() }
        // A sub-range in a DST zone: the UTC partitions are widened by a day each side and rows bucketed by local day.
        let ny = try lake.analyze {
            $0.timeZone = "America/New_York"; $0.from = "2026-06-10"; $0.to = "2026-06-20"
        }
        try AnalysisOracle.check(ny, against: try lake.oracle(zone: "America/New_York", from: "2026-06-10", to: "2026-06-20"))
        #expect(ny.range.days.count == 11)
        // A pinned `now` inside the data: windows end there.
        let now = ISO8601Time.micros("2026-06-25T13:30:00Z")!
        let pinned = try lake.analyze {
            $0.timeZone = "Asia/Kolkata"; $0.now = now
        }
        try AnalysisOracle.check(pinned, against: try lake.oracle(zone: "Asia/Kolkata", now: now))
        #expect(pinned.now_source == "option")
        // The whole lake in two zones: different days, the same totals.
        let utc = try lake.analyze()
        let tokyo = try lake.analyze { $0.timeZone = "Asia/Tokyo" }
        #expect(utc.cost.total.calls == tokyo.cost.total.calls)
        #expect(AnalysisOracle.close(utc.cost.total.cost_usd, tokyo.cost.total.cost_usd, 1e-12))
        #expect(utc.latency.overall == tokyo.latency.overall)
        #expect(utc.range.days != tokyo.range.days)
    }

    /// The analysis streams the lake part by part and reduces a local day's latencies once no
    /// later part can reach it. Zones far from UTC put a local day into two UTC partitions, and
    /// Santiago turns its clocks back at midnight (2026-04-05 00:00 → 04-04 23:00), so an instant
    /// after a day's end belongs to it again: every day must still match DuckDB's.
    @Test func daysThatSpanPartitionsAndAMidnightFallBackMatchDuckDB() throws {
        let lake = try AnalysisOracle.Lake(days: 100, agents: 3, callsPerDay: 12, seed: 9)
        defer { lake.remove() }
        #expect(try LakeScan(dataDir: lake.dataDir, table: .requests).parts.count >= 100)
        for zone in ["America/Santiago", "Pacific/Kiritimati", "Pacific/Pago_Pago"] {
            let analysis = try lake.analyze { $0.timeZone = zone }
            try AnalysisOracle.check(analysis, against: try lake.oracle(zone: zone))
            #expect(analysis.latency.by_day.count > 90, "\(zone)")
        }
        let around = try lake.analyze {
            $0.timeZone = "America/Santiago"; $0.from = "2026-04-03"; $0.to = "2026-04-06"
        }
        try AnalysisOracle.check(around, against: try lake.oracle(zone: "America/Santiago", from: "2026-04-03", to: "2026-04-06"))
        #expect(around.range.days == ["2026-04-03", "2026-04-04", "2026-04-05", "2026-04-06"])
    }
}
