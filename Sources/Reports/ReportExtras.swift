import HomeBaseCore
import SQLiteStore
import Lake
import Analytics
/// What a report shows that `analysis.json` does not hold: the previous period's headline numbers
/// (for "vs previous"), spend and latency per model per day of the current period, and the month's
/// spend to date. One extra read of the lake, with the same zone, agent filter and `now`. The
/// forecast and budget projection are the analysis's own (`analyze` reads the forecast's history
/// from before its range), so a report shows the forecast analysis.json holds.
package struct ReportExtras: Sendable, Equatable {
    package struct Totals: Sendable, Equatable {
        package var calls = 0
        package var errors = 0
        package var costUSD = 0.0
        /// Linear-interpolated (type 7) p95 of the known latencies, like `analysis.latency`.
        package var p95LatencyMs: Double?
        package var errorRate: Double? { calls > 0 ? Double(errors) / Double(calls) : nil }
        package init() {}
    }

    package var previous = Totals()
    /// The previous period's spend per agent and per model (for "change vs previous" in the e-mail).
    package var previousCostByAgent: [String: Double] = [:]
    package var previousCostByModel: [String: Double] = [:]
    /// Spend per local day from the 1st of the month of the period's last day through that day (the budget burn-down).
    package var monthToDate: [Double] = []
    /// The current period's spend and calls per agent and model (the per-agent drill-down's model mix).
    package var costByAgentModel: [String: [String: Double]] = [:]
    package var callsByAgentModel: [String: [String: Int]] = [:]
    /// Models of the current period, most expensive first (ties by name).
    package var models: [String] = []
    /// Per model, one value per day of the current period.
    package var dailyCostByModel: [String: [Double]] = [:]
    package var dailyP95ByModel: [String: [Double?]] = [:]

    package init() {}
}

extension Analyzer {
    /// Reads `frame`'s previous and current periods (this analyzer's options supply zone, agent, snapshot).
    package func reportExtras(_ frame: ReportTimeFrame) throws -> ReportExtras {
        var options = self.options
        // From the previous period or the 1st of the last day's month, whichever is earlier, but not before the lake's first day.
        let lastCivil = UTCDate.civil(days: frame.current.lastDay)
        var from = min(frame.previousFirstDay, UTCDate.days(year: lastCivil.year, month: lastCivil.month, day: 1))
        if let first = try LakeScan(dataDir: options.dataDir, table: .requests, asOf: options.asOf).parts.compactMap({ UTCDate.parseDate($0.date) })
            .min()
        {
            from = max(from, min(first, frame.previousFirstDay))
        }
        options.from = UTCDate.dateString(days: from)
        options.to = UTCDate.dateString(days: frame.current.lastDay)
        let first = frame.current.firstDay, dayCount = Int(frame.current.lastDay - first + 1)
        let civil = UTCDate.civil(days: frame.current.lastDay)
        let monthFirst = UTCDate.days(year: civil.year, month: civil.month, day: 1)
        var extras = ReportExtras()
        extras.monthToDate = [Double](repeating: 0, count: Int(frame.current.lastDay - monthFirst + 1))
        // Sums per agent and model id, each in row order as the per-name sums were; the lake is
        // streamed part by part and the latencies of a day kept only until no later part can
        // hold one of its calls: a local day's calls lie in UTC dates up to the day after it.
        var previousLatency = LatencyRuns()
        var previousByAgent: [CostSum] = [], previousByModel: [CostSum] = [], byAgentModel: [[CostSum]] = []
        var cost: [[Double]] = []  // per model id, per day of the current period
        var latency = BucketLatencies(closedFrom: (0..<dayCount).map { (first + Int64($0) + 2) * Self.microsPerDay }, fullStats: false)
        var agentNames: [String] = [], modelNames: [String] = []
        try Analyzer(options: options).forEachPart { t, nextDate in
            let (agents, models) = (t.agents.count, t.models.count)
            previousByAgent.grow(to: agents, with: CostSum())
            previousByModel.grow(to: models, with: CostSum())
            cost.grow(to: models, with: [Double](repeating: 0, count: dayCount))
            byAgentModel.grow(to: agents, with: [])
            for a in 0..<agents { byAgentModel[a].grow(to: models, with: CostSum()) }
            for i in 0..<t.count {
                let day = Int64(t.day[i])
                if day >= monthFirst && day <= frame.current.lastDay { extras.monthToDate[Int(day - monthFirst)] += t.cost[i] }
                let a = Int(t.agent[i]), m = Int(t.model[i])
                if day >= frame.previousFirstDay && day <= frame.previousLastDay {
                    extras.previous.calls += 1
                    extras.previous.errors += t.isError[i] ? 1 : 0
                    extras.previous.costUSD += t.cost[i]
                    previousByAgent[a].add(t.cost[i])
                    previousByModel[m].add(t.cost[i])
                    if !t.latency[i].isNaN { previousLatency.add(t.latency[i]) }
                } else if day >= first && day <= frame.current.lastDay {
                    let d = Int(day - first)
                    byAgentModel[a][m].add(t.cost[i])
                    cost[m][d] += t.cost[i]
                    if !t.latency[i].isNaN { latency.add(bucket: d, agent: Int32(m), latency: t.latency[i]) }
                }
            }
            if let nextDate { latency.close(before: nextDate * Self.microsPerDay) }
            (agentNames, modelNames) = (t.agents.names, t.models.names)
        }
        latency.closeAll()
        extras.previous.p95LatencyMs = previousLatency.stats().p95
        // A name is a key where it had a call, as when the sums were kept per name.
        for (a, agent) in agentNames.enumerated() {
            if previousByAgent[a].calls > 0 { extras.previousCostByAgent[agent] = previousByAgent[a].cost }
            for (m, model) in modelNames.enumerated() where byAgentModel[a][m].calls > 0 {
                extras.costByAgentModel[agent, default: [:]][model] = byAgentModel[a][m].cost
                extras.callsByAgentModel[agent, default: [:]][model] = byAgentModel[a][m].calls
            }
        }
        for (m, model) in modelNames.enumerated() where previousByModel[m].calls > 0 { extras.previousCostByModel[model] = previousByModel[m].cost }
        let totals = cost.map { $0.reduce(0, +) }
        let seen = modelNames.indices.map { m in byAgentModel.contains { $0[m].calls > 0 } }  // models of the current period
        extras.models = modelNames.indices.filter { seen[$0] }
            .sorted { (-totals[$0], modelNames[$0]) < (-totals[$1], modelNames[$1]) }
            .map { modelNames[$0] }
        for m in modelNames.indices where seen[m] {
            extras.dailyCostByModel[modelNames[m]] = cost[m]
            extras.dailyP95ByModel[modelNames[m]] = latency.p95(agent: m)
        }
        return extras
    }

    private static let microsPerDay: Int64 = 86_400_000_000
}

/// A cost summed in row order, and how many calls it holds (a name with calls is a key even
/// when they cost nothing).
private struct CostSum {
    var cost = 0.0
    var calls = 0

    mutating func add(_ value: Double) {
        cost += value
        calls += 1
    }
}
