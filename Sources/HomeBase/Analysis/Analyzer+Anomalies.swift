extension Analyzer {
    static let anomalyMetrics = ["cost_usd", "calls", "error_rate", "p95_latency_ms"]

    /// Robust z-scores of every day of the range and every hour of the last 7 days, for cost,
    /// calls, error rate and p95 latency, overall and per agent; points at or over the threshold listed.
    func anomalies(_ c: AnalysisContext, daily: Analysis.DailySection) -> Analysis.AnomalySection {
        var section = Analysis.AnomalySection()
        section.threshold = options.anomalyThreshold
        guard c.dayCount > 0 else { return section }
        let labels = c.dayLabels
        let weekday = (0..<c.dayCount).map { Int(AnalysisMath.floorMod(c.fromDay + Int64($0), 7)) }
        var scopes: [(String?, Analysis.DailySeries)] = [(nil, daily.overall)]
        scopes += daily.by_agent.keys.sorted().map { ($0, daily.by_agent[$0]!) }
        for (agent, series) in scopes {
            let metrics: [[Double?]] = [series.cost_usd, series.calls.map(Double.init), series.error_rate, series.p95_latency_ms]
            for (metric, values) in zip(Self.anomalyMetrics, metrics) {
                let scored = SeasonalRobustZ(values, season: weekday, period: 7)
                section.daily.append(Analysis.AnomalySeries(agent_id: agent, metric: metric, scores: scored.scores, expected: scored.expected))
                section.flagged += flag(values, scored, labels: labels, period: "day", agent: agent, metric: metric)
            }
        }
        let hours = HourBuckets(c)
        section.hours = hours.labels
        for (agent, metrics) in hourlySeries(c, hours) {
            for (metric, values) in zip(Self.anomalyMetrics, metrics) {
                let scored = SeasonalRobustZ(values, season: hours.hourOfDay, period: 24)
                section.hourly.append(Analysis.AnomalySeries(agent_id: agent, metric: metric, scores: scored.scores, expected: scored.expected))
                section.flagged += flag(values, scored, labels: hours.labels, period: "hour", agent: agent, metric: metric)
            }
        }
        section.flagged.sort {
            (abs($0.score), $1.period, $1.at, $1.agent_id ?? "", $1.metric) > (abs($1.score), $0.period, $0.at, $0.agent_id ?? "", $0.metric)
        }
        return section
    }

    private func flag(_ values: [Double?], _ scored: SeasonalRobustZ, labels: [String], period: String, agent: String?, metric: String) -> [Analysis.AnomalyPoint] {
        var points: [Analysis.AnomalyPoint] = []
        for i in values.indices {
            guard let value = values[i], let score = scored.scores[i], let expected = scored.expected[i],
                  abs(score) >= options.anomalyThreshold else { continue }
            points.append(Analysis.AnomalyPoint(period: period, at: labels[i], agent_id: agent, metric: metric,
                                                value: value, expected: expected, score: score))
        }
        return points
    }

    /// Hourly cost, calls, error rate and p95 latency of the fleet (agent nil) and each agent with calls.
    private func hourlySeries(_ c: AnalysisContext, _ hours: HourBuckets) -> [(String?, [[Double?]])] {
        let t = c.table
        let scopes = 1 + t.agents.count, n = hours.count
        var calls = [Int](repeating: 0, count: scopes * n)
        var errors = calls
        var cost = [Double](repeating: 0, count: scopes * n)
        var bucket = [Int](repeating: -1, count: t.count)
        for i in 0..<t.count {
            guard let h = hours.index(t.ts[i]) else { continue }
            bucket[i] = h
            for s in [0, 1 + Int(t.agent[i])] {
                calls[s * n + h] += 1
                if t.isError[i] { errors[s * n + h] += 1 }
                cost[s * n + h] += t.cost[i]
            }
        }
        let fleet = LatencyGroups(c, groups: n) { bucket[$0] >= 0 ? bucket[$0] : nil }
        let perAgent = LatencyGroups(c, groups: t.agents.count * n) { bucket[$0] >= 0 ? Int(t.agent[$0]) * n + bucket[$0] : nil }
        var result: [(String?, [[Double?]])] = []
        for s in 0..<scopes {
            let range = (s * n)..<((s + 1) * n)
            guard calls[range].contains(where: { $0 > 0 }) else { continue }
            let p95: [Double?] = (0..<n).map { h in
                Percentile.of(sorted: s == 0 ? fleet.sorted(h) : perAgent.sorted((s - 1) * n + h), 0.95)
            }
            let metrics: [[Double?]] = [range.map { cost[$0] }, range.map { Double(calls[$0]) },
                                        range.map { calls[$0] > 0 ? Double(errors[$0]) / Double(calls[$0]) : nil }, p95]
            result.append((s == 0 ? nil : t.agents.names[s - 1], metrics))
        }
        return result.sorted { ($0.0 ?? "") < ($1.0 ?? "") }
    }

    /// Quarantined lines (all live, they have no call date), unpriced calls by model, calls with
    /// unknown latency and days without calls.
    func dataQuality(_ c: AnalysisContext) throws -> Analysis.DataQuality {
        let t = c.table
        var quality = Analysis.DataQuality()
        quality.rows_read = t.count
        quality.parts_read = c.partsRead
        if c.snapshot != nil {
            let quarantine = try LakeScan(dataDir: options.dataDir, table: .quarantine, asOf: c.snapshot)
            quality.quarantined_lines = Int(quarantine.parts.reduce(0) { $0 + $1.rowCount })
        }
        let unpricedID = t.costSources.lookup("unpriced")
        var unpriced: [String: (provider: String, model: String, calls: Int)] = [:]
        var callsPerDay = [Int](repeating: 0, count: c.dayCount)
        for i in 0..<t.count where c.inRange[i] {
            callsPerDay[c.dayIndex(i)] += 1
            if t.latency[i].isNaN { quality.calls_without_latency += 1 }
            guard let unpricedID, t.costSource[i] == unpricedID else { continue }
            quality.unpriced_calls += 1
            let provider = t.providers.names[Int(t.provider[i])], model = t.models.names[Int(t.model[i])]
            unpriced[provider + "\u{0}" + model, default: (provider, model, 0)].calls += 1
        }
        quality.unpriced_models = unpriced.keys.sorted().map {
            Analysis.UnpricedModel(provider: unpriced[$0]!.provider, model: unpriced[$0]!.model, calls: unpriced[$0]!.calls)
        }
        quality.gap_days = (0..<c.dayCount).filter { callsPerDay[$0] == 0 }.map { c.label(day: c.fromDay + Int64($0)) }
        return quality
    }
}
