import HomeBaseCore
import SQLiteStore
import Lake
extension Analyzer {
    static let anomalyMetrics = ["cost_usd", "calls", "error_rate", "p95_latency_ms"]

    /// Robust z-scores of every day of the range and every hour of the last 7 days, for cost,
    /// calls, error rate and p95 latency, overall and per agent; points at or over the threshold listed.
    func anomalies(_ c: AnalysisContext, daily: Analysis.DailySection) -> Analysis.AnomalySection {
        var section = Analysis.AnomalySection()
        section.threshold = options.anomalyThreshold
        section.minimum = minimums
        guard c.dayCount > 0 else { return section }
        let labels = c.dayLabels
        let weekday = (0..<c.dayCount).map { Int(AnalysisMath.floorMod(c.fromDay + Int64($0), 7)) }
        // With an agent filter the "fleet" is that agent: one scope, named, not the same rows twice.
        var scopes: [(String?, Analysis.DailySeries)] = [(options.agent, daily.overall)]
        if options.agent == nil { scopes += daily.by_agent.keys.sorted().map { ($0, daily.by_agent[$0]!) } }
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
        // Hours are scored against the 7 days before `now`, but only those of the analysed days are listed.
        let days = Set(labels)
        let hourLabels = hours.labels.map { days.contains(String($0.prefix(10))) ? $0 : "" }
        for (agent, metrics) in hourlySeries(c, hours) where options.agent == nil || agent == nil {
            for (metric, values) in zip(Self.anomalyMetrics, metrics) {
                let scored = SeasonalRobustZ(values, season: hours.hourOfDay, period: 24)
                section.hourly.append(
                    Analysis.AnomalySeries(agent_id: agent ?? options.agent, metric: metric, scores: scored.scores, expected: scored.expected))
                section.flagged += flag(values, scored, labels: hourLabels, period: "hour", agent: agent ?? options.agent, metric: metric)
            }
        }
        section.flagged = Self.oneRowPerFinding(section.flagged)
        section.flagged.sort {
            (abs($0.score), $1.period, $1.at, $1.agent_id ?? "", $1.metric) > (abs($1.score), $0.period, $0.at, $0.agent_id ?? "", $0.metric)
        }
        return section
    }

    /// One row per finding: an hour inside a flagged day of the same scope and metric is that day's
    /// finding (its reason names the hour); a fleet point equal to one agent's at the same time is
    /// that agent's finding (the agent's row stays, naming it).
    static func oneRowPerFinding(_ points: [Analysis.AnomalyPoint]) -> [Analysis.AnomalyPoint] {
        var points = points
        func key(_ p: Analysis.AnomalyPoint) -> String { (p.agent_id ?? "") + "|" + p.metric + "|" + String(p.at.prefix(10)) }
        let dayIndex = Dictionary(points.indices.filter { points[$0].period == "day" }.map { (key(points[$0]), $0) }, uniquingKeysWith: { a, _ in a })
        var drop = Set<Int>()
        for (i, p) in points.enumerated() where p.period == "hour" {
            guard let d = dayIndex[key(p)] else { continue }
            drop.insert(i)
            points[d].reason = (points[d].reason ?? "") + " Most of it in the hour from " + String(p.at.dropFirst(11)) + "."
        }
        for (i, p) in points.enumerated() where p.agent_id == nil && !drop.contains(i) {
            if points.indices.contains(where: { j in
                j != i && !drop.contains(j) && points[j].agent_id != nil && points[j].period == p.period
                    && points[j].at == p.at && points[j].metric == p.metric && abs(points[j].value - p.value) < 1e-9
            }) {
                drop.insert(i)
            }
        }
        return points.indices.filter { !drop.contains($0) }.map { points[$0] }
    }

    /// The materiality floor by metric, from the options.
    var minimums: [String: Double] {
        [
            "cost_usd": options.anomalyMinimumUSD, "calls": options.anomalyMinimumCalls,
            "error_rate": options.anomalyMinimumErrorRate, "p95_latency_ms": options.anomalyMinimumLatencyMs
        ]
    }

    /// Points over the threshold and the floor; an empty label means "not listed" (outside the analysed days).
    private func flag(_ values: [Double?], _ scored: SeasonalRobustZ, labels: [String], period: String, agent: String?, metric: String) -> [Analysis
        .AnomalyPoint]
    {
        var points: [Analysis.AnomalyPoint] = []
        let floor = minimums[metric] ?? 0
        for i in values.indices {
            guard !labels[i].isEmpty, let value = values[i], let score = scored.scores[i], let expected = scored.expected[i],
                abs(score) >= options.anomalyThreshold, abs(value - expected) >= floor
            else { continue }
            var point = Analysis.AnomalyPoint(
                period: period, at: labels[i], agent_id: agent, metric: metric,
                value: value, expected: expected, score: score)
            point.reason = Self.anomalyReason(point, floor: floor)
            points.append(point)
        }
        return points
    }

    /// "Spend of agent-01 on 2026-06-17 was $3.20, $2.95 above the $0.25 expected for that weekday
    /// (robust z 6.1; listed from z 3.5 and a change of $0.25)."
    static func anomalyReason(_ p: Analysis.AnomalyPoint, floor: Double) -> String {
        let what = ["cost_usd": "Spend", "calls": "Calls", "error_rate": "Error rate", "p95_latency_ms": "p95 latency"][p.metric] ?? p.metric
        let whose = p.agent_id.map { " of " + $0 } ?? ""
        let when = p.period == "hour" ? "in the hour from " + p.at.replacingOccurrences(of: "T", with: " ") : "on " + p.at
        let season = p.period == "hour" ? "that hour of the day" : "that weekday"
        let direction = p.value >= p.expected ? "above" : "below"
        return
            "\(what)\(whose) \(when) \(p.metric == "calls" ? "were" : "was") \(anomalyNumber(p.value, p.metric)), \(anomalyNumber(abs(p.value - p.expected), p.metric, change: true)) \(direction) "
            + "the \(anomalyNumber(p.expected, p.metric)) expected for \(season) (robust z \(String(format: "%.1f", p.score)); "
            + "listed from a change of \(anomalyNumber(floor, p.metric, change: true)))."
    }

    /// A metric's value as a reader expects it: dollars, whole calls, percent, milliseconds.
    package static func anomalyNumber(_ value: Double, _ metric: String, change: Bool = false) -> String {
        switch metric {
        case "cost_usd":
            // Whole cents (a configured floor such as $0.25) need no more places; sub-dollar amounts keep 4.
            let wholeCents = (value * 100).rounded() == value * 100
            return "$" + String(format: abs(value) < 0.995 && !wholeCents ? "%.4f" : "%.2f", value)
        case "calls": return String(format: "%.0f", value) + (change ? " calls" : "")
        case "error_rate": return String(format: "%.1f", value * 100) + (change ? " points" : "%")
        default: return String(format: "%.0f", value) + " ms"
        }
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
            let metrics: [[Double?]] = [
                range.map { cost[$0] }, range.map { Double(calls[$0]) },
                range.map { calls[$0] > 0 ? Double(errors[$0]) / Double(calls[$0]) : nil }, p95
            ]
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
