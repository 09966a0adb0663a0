import Foundation
import HomeBaseCore
import SQLiteStore
extension Analyzer {
    /// Latency percentiles per group and day, the slowest sessions, and the per-agent daily p95
    /// (for the daily series, trends and anomalies).
    func latency(_ c: AnalysisContext) -> (section: Analysis.LatencySection, dailyP95: [[Double?]]) {
        let p = c.pass
        var section = Analysis.LatencySection()
        guard c.dayCount > 0 else { return (section, []) }
        func named(_ runs: [LatencyRuns], _ names: [String]) -> [String: Analysis.LatencyStats] {
            var result: [String: Analysis.LatencyStats] = [:]
            for (k, name) in names.enumerated() where k < runs.count && runs[k].count > 0 { result[name] = runs[k].stats() }
            return result
        }
        section.overall = p.latencyOverall.stats()
        section.by_agent = named(p.latencyByAgent, c.names.agents.names)
        section.by_model = named(p.latencyByModel, c.names.models.names)
        section.by_provider = named(p.latencyByProvider, c.names.providers.names)
        // The range's days are the last `dayCount` of the anomaly series' days.
        let offset = p.dayLatencies.count - c.dayCount
        for (d, label) in c.dayLabels.enumerated() where p.dayLatencies.fleet[offset + d].n > 0 {
            section.by_day[label] = p.dayLatencies.fleet[offset + d]
        }
        // Row 0 of dailyP95 is the fleet, row 1 + a agent a.
        var dailyP95: [[Double?]] = [(0..<c.dayCount).map { p.dayLatencies.fleet[offset + $0].p95 }]
        for a in 0..<c.names.agents.count { dailyP95.append(Array(p.dayLatencies.p95(agent: a).suffix(c.dayCount))) }
        section.slowest_sessions = slowestSessions(c)
        return (section, dailyP95)
    }

    /// Sessions with the largest total known latency in the range (ties by session id).
    private func slowestSessions(_ c: AnalysisContext) -> [Analysis.SlowSession] {
        let p = c.pass, names = c.names.sessions.names
        let order = p.sessionCalls.indices.filter { p.sessionCalls[$0] > 0 && p.sessionTotal[$0] > 0 }.sorted {
            p.sessionTotal[$0] != p.sessionTotal[$1] ? p.sessionTotal[$0] > p.sessionTotal[$1] : names[$0] < names[$1]
        }
        return order.prefix(options.slowestSessions).map {
            Analysis.SlowSession(
                session_id: names[$0], agent_id: c.names.agents.names[Int(p.sessionAgent[$0])], calls: p.sessionCalls[$0],
                total_latency_ms: p.sessionTotal[$0], max_latency_ms: p.sessionMaximum[$0])
        }
    }

    /// Pearson and Spearman of cost vs latency per model, over calls with a known latency (the
    /// models split over both cores; each model's figures do not depend on the split).
    func correlation(_ c: AnalysisContext) throws -> Analysis.CorrelationSection {
        let p = c.pass
        let models = c.names.models.names.indices.filter { $0 < p.correlationPairs.count && p.correlationPairs[$0].count > 0 }
        let stats = { @Sendable (models: ArraySlice<Int>) throws -> [Analysis.CorrelationStats] in
            try models.map { m in
                guard let (costs, latencies) = p.correlationPairs[m].arrays(spill: p.correlationSpill) else {
                    throw AnalysisError.spillUnreadable(directory: NSTemporaryDirectory())
                }
                let n = costs.count, pearson = Correlation.pearson(costs, latencies)
                // The pairs are given up to their ranks: both cores rank a model at once, and this
                // is the analysis' peak of memory.
                return Analysis.CorrelationStats(n: n, pearson: pearson, spearman: Correlation.spearman(consume costs, consume latencies))
            }
        }
        let half = models.count / 2
        let (first, second) = try Parallel.both({ try stats(models[..<half]) }, { try stats(models[half...]) })
        var section = Analysis.CorrelationSection()
        for (m, figures) in zip(models, first + second) { section.by_model[c.names.models.names[m]] = figures }
        return section
    }
}
