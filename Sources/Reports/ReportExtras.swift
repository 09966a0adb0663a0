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
        let t = try Analyzer(options: options).loadTable()
        let first = frame.current.firstDay, dayCount = Int(frame.current.lastDay - first + 1)
        var extras = ReportExtras()
        var previousLatency: [Double] = []
        var cost = [[Double]](repeating: [Double](repeating: 0, count: dayCount), count: t.models.count)
        var latency = [[[Double]]](repeating: [[Double]](repeating: [], count: dayCount), count: t.models.count)
        var seen = [Bool](repeating: false, count: t.models.count)
        let civil = UTCDate.civil(days: frame.current.lastDay)
        let monthFirst = UTCDate.days(year: civil.year, month: civil.month, day: 1)
        extras.monthToDate = [Double](repeating: 0, count: Int(frame.current.lastDay - monthFirst + 1))
        for i in 0..<t.count {
            let day = Int64(t.day[i])
            if day >= monthFirst && day <= frame.current.lastDay { extras.monthToDate[Int(day - monthFirst)] += t.cost[i] }
            if day >= frame.previousFirstDay && day <= frame.previousLastDay {
                extras.previous.calls += 1
                extras.previous.errors += t.isError[i] ? 1 : 0
                extras.previous.costUSD += t.cost[i]
                extras.previousCostByAgent[t.agents.names[Int(t.agent[i])], default: 0] += t.cost[i]
                extras.previousCostByModel[t.models.names[Int(t.model[i])], default: 0] += t.cost[i]
                if !t.latency[i].isNaN { previousLatency.append(t.latency[i]) }
            } else if day >= first && day <= frame.current.lastDay {
                let m = Int(t.model[i]), d = Int(day - first)
                let agent = t.agents.names[Int(t.agent[i])], model = t.models.names[m]
                extras.costByAgentModel[agent, default: [:]][model, default: 0] += t.cost[i]
                extras.callsByAgentModel[agent, default: [:]][model, default: 0] += 1
                seen[m] = true
                cost[m][d] += t.cost[i]
                if !t.latency[i].isNaN { latency[m][d].append(t.latency[i]) }
            }
        }
        extras.previous.p95LatencyMs = Percentile.of(previousLatency, 0.95)
        let totals = (0..<t.models.count).map { cost[$0].reduce(0, +) }
        extras.models = (0..<t.models.count).filter { seen[$0] }
            .sorted { (-totals[$0], t.models.names[$0]) < (-totals[$1], t.models.names[$1]) }
            .map { t.models.names[$0] }
        for m in 0..<t.models.count where seen[m] {
            let name = t.models.names[m]
            extras.dailyCostByModel[name] = cost[m]
            extras.dailyP95ByModel[name] = latency[m].map { Percentile.of($0, 0.95) }
        }
        return extras
    }
}
