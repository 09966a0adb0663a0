import HomeBaseCore
import SQLiteStore
extension Analyzer {
    /// Latency percentiles per group and day, the slowest sessions, and the per-agent daily p95
    /// (for the daily series, trends and anomalies).
    func latency(_ c: AnalysisContext) -> (section: Analysis.LatencySection, dailyP95: [[Double?]]) {
        let t = c.table
        var section = Analysis.LatencySection()
        guard c.dayCount > 0 else { return (section, []) }
        let agents = t.agents.count, models = t.models.count, providers = t.providers.count
        let overall = LatencyGroups(c, groups: 1) { c.inRange[$0] ? 0 : nil }
        section.overall = overall.stats(0)
        section.by_agent = LatencyGroups(c, groups: agents) { c.inRange[$0] ? Int(t.agent[$0]) : nil }.named(t.agents.names)
        section.by_model = LatencyGroups(c, groups: models) { c.inRange[$0] ? Int(t.model[$0]) : nil }.named(t.models.names)
        section.by_provider = LatencyGroups(c, groups: providers) { c.inRange[$0] ? Int(t.provider[$0]) : nil }.named(t.providers.names)
        let byDay = LatencyGroups(c, groups: c.dayCount) { c.inRange[$0] ? c.dayIndex($0) : nil }
        section.by_day = byDay.named(c.dayLabels)
        // Row 0 of dailyP95 is the fleet, row 1 + a agent a.
        var dailyP95: [[Double?]] = [(0..<c.dayCount).map { byDay.stats($0).p95 }]
        let agentDay = LatencyGroups(c, groups: agents * c.dayCount) { c.inRange[$0] ? Int(t.agent[$0]) * c.dayCount + c.dayIndex($0) : nil }
        for a in 0..<agents {
            dailyP95.append((0..<c.dayCount).map { Percentile.of(sorted: agentDay.sorted(a * c.dayCount + $0), 0.95) })
        }
        section.slowest_sessions = slowestSessions(c)
        return (section, dailyP95)
    }

    /// Sessions with the largest total known latency in the range (ties by session id).
    private func slowestSessions(_ c: AnalysisContext) -> [Analysis.SlowSession] {
        let t = c.table
        var total = [Double](repeating: 0, count: t.sessions.count)
        var maximum = total
        var calls = [Int](repeating: 0, count: t.sessions.count)
        var agent = [Int32](repeating: 0, count: t.sessions.count)
        for i in 0..<t.count where c.inRange[i] {
            let s = Int(t.session[i])
            calls[s] += 1
            agent[s] = t.agent[i]
            if !t.latency[i].isNaN {
                total[s] += t.latency[i]
                maximum[s] = max(maximum[s], t.latency[i])
            }
        }
        let order = (0..<t.sessions.count).filter { calls[$0] > 0 && total[$0] > 0 }.sorted {
            total[$0] != total[$1] ? total[$0] > total[$1] : t.sessions.names[$0] < t.sessions.names[$1]
        }
        return order.prefix(options.slowestSessions).map {
            Analysis.SlowSession(
                session_id: t.sessions.names[$0], agent_id: t.agents.names[Int(agent[$0])], calls: calls[$0],
                total_latency_ms: total[$0], max_latency_ms: maximum[$0])
        }
    }

    /// Pearson and Spearman of cost vs latency per model, over calls with a known latency.
    func correlation(_ c: AnalysisContext) -> Analysis.CorrelationSection {
        let t = c.table
        var costs = [[Double]](repeating: [], count: t.models.count)
        var latencies = costs
        for i in 0..<t.count where c.inRange[i] && !t.latency[i].isNaN {
            costs[Int(t.model[i])].append(t.cost[i])
            latencies[Int(t.model[i])].append(t.latency[i])
        }
        var section = Analysis.CorrelationSection()
        for (m, name) in t.models.names.enumerated() where !costs[m].isEmpty {
            section.by_model[name] = Analysis.CorrelationStats(
                n: costs[m].count, pearson: Correlation.pearson(costs[m], latencies[m]),
                spearman: Correlation.spearman(costs[m], latencies[m]))
        }
        return section
    }
}
