import HomeBaseCore
import SQLiteStore
import Lake
import Detectors
extension Analyzer {
    static let anomalyMetrics = ["cost_usd", "calls", "errors", "error_rate", "p95_latency_ms"]
    /// Days scored before the range (and hours before the 168 listed, ×24), so every listed point
    /// has a warmed-up, causal baseline: the scorer's warm-up is 3 weeks (21 days; 504 hours).
    package static let anomalyHistoryDays = 56
    static let anomalyHistoryHours = 28 * 24

    /// The scorer's parameters: `alertZ` is the listing threshold (`anomalies.alert_z`, else
    /// `alerts.anomaly_score`), the level-shift rule from `anomalies.shift_z` / `shift_confirm`.
    var scorerConfiguration: AnomalyScorer.Configuration {
        var configuration = AnomalyScorer.Configuration()
        configuration.alertZ = options.anomalyThreshold
        configuration.shiftZ = min(options.anomalyShiftZ, options.anomalyThreshold)
        configuration.shiftConfirm = options.anomalyShiftConfirm
        return configuration
    }

    /// Causal anomaly scores (Detectors' `AnomalyScorer`) of every day of the range and every hour
    /// of the last 7 days, for cost, calls, errors, error rate and p95 latency, overall and per
    /// agent, each series fed from `anomalyHistoryDays` (hours: `anomalyHistoryHours`) before the
    /// listed points; alerts (|z| ≥ threshold, or a confirmed level shift) over the floor listed.
    func anomalies(_ c: AnalysisContext, daily: Analysis.DailySection) -> Analysis.AnomalySection {
        var section = Analysis.AnomalySection()
        section.threshold = options.anomalyThreshold
        section.minimum = minimums
        section.shift_z = scorerConfiguration.shiftZ
        section.shift_confirm = scorerConfiguration.shiftConfirm
        section.history_days = Self.anomalyHistoryDays
        guard c.dayCount > 0 else { return section }
        let labels = c.dayLabels
        let start = c.fromDay - Int64(Self.anomalyHistoryDays)
        let dayCount = c.dayCount + Self.anomalyHistoryDays
        let days = bucketSeries(c, c.pass.anomalyDays, c.pass.dayLatencies)
        // With an agent filter the "fleet" is that agent: one scope, named, not the same rows twice.
        var scopes: [String?] = [nil]
        if options.agent == nil { scopes += daily.by_agent.keys.sorted().map { Optional($0) } }
        let byScope = Dictionary(days.map { ($0.0 ?? "", $0.1) }, uniquingKeysWith: { a, _ in a })
        for scope in scopes {
            let agent = scope ?? options.agent
            let metrics = byScope[scope ?? ""] ?? Self.anomalyMetrics.map { _ in [Double?](repeating: nil, count: dayCount) }
            for (metric, values) in zip(Self.anomalyMetrics, metrics) {
                let scored = AnomalyScorer.scoreAll(
                    values, startMicros: start * 86_400_000_000, intervalMicros: 86_400_000_000, configuration: scorerConfiguration)
                let series = Self.anomalySeries(agent, metric, Array(scored.suffix(c.dayCount)))
                section.daily.append(series)
                if series.insufficient_history == true {
                    section.insufficient_history.append(Analysis.InsufficientHistory(period: "day", agent_id: agent, metric: metric))
                }
                section.flagged += flag(
                    Array(values.suffix(c.dayCount)), Array(scored.suffix(c.dayCount)), labels: labels, period: "day", agent: agent, metric: metric)
            }
        }
        let hours = HourBuckets(c, history: Self.anomalyHistoryHours)
        section.hours = Array(hours.labels.suffix(168))
        // Hours are scored from 4 weeks before the last 7 days, but only those of the analysed days are listed.
        let analysed = Set(labels)
        let hourLabels = section.hours.map { analysed.contains(String($0.prefix(10))) ? $0 : "" }
        let hourly = bucketSeries(c, c.pass.anomalyHours, c.pass.hourLatencies)
        // Scopes with calls in the listed hours (the history before them only feeds the baseline).
        for (agent, metrics) in hourly where (options.agent == nil || agent == nil) && metrics[1].suffix(168).contains(where: { ($0 ?? 0) > 0 }) {
            for (metric, values) in zip(Self.anomalyMetrics, metrics) {
                let scored = AnomalyScorer.scoreAll(
                    values, startMicros: hours.first * HourBuckets.micros, intervalMicros: HourBuckets.micros, configuration: scorerConfiguration)
                let series = Self.anomalySeries(agent ?? options.agent, metric, Array(scored.suffix(168)))
                section.hourly.append(series)
                if series.insufficient_history == true {
                    section.insufficient_history.append(
                        Analysis.InsufficientHistory(period: "hour", agent_id: agent ?? options.agent, metric: metric))
                }
                section.flagged += flag(
                    Array(values.suffix(168)), Array(scored.suffix(168)), labels: hourLabels, period: "hour", agent: agent ?? options.agent,
                    metric: metric)
            }
        }
        section.flagged = Self.oneRowPerFinding(section.flagged)
        section.flagged.sort {
            (abs($0.score), $1.period, $1.at, $1.agent_id ?? "", $1.metric) > (abs($1.score), $0.period, $0.at, $0.agent_id ?? "", $0.metric)
        }
        return section
    }

    /// The listed points' z, score, status and expected value; `insufficient_history` when none was scored.
    static func anomalySeries(_ agent: String?, _ metric: String, _ scored: [AnomalyScorer.Score]) -> Analysis.AnomalySeries {
        var series = Analysis.AnomalySeries(agent_id: agent, metric: metric)
        series.scores = scored.map { $0.z.map { $0.isFinite ? $0 : ($0 > 0 ? 1e9 : -1e9) } }
        series.expected = scored.map { $0.status == .warmingUp ? nil : $0.expected }
        series.anomaly_scores = scored.map(\.score)
        series.status = scored.map { $0.status == .warmingUp ? "insufficient_history" : $0.status.rawValue }
        if !scored.isEmpty && !scored.contains(where: { $0.score != nil }) && scored.contains(where: { $0.status == .warmingUp }) {
            series.insufficient_history = true
        }
        return series
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
            "cost_usd": options.anomalyMinimumUSD, "calls": options.anomalyMinimumCalls, "errors": options.anomalyMinimumCalls,
            "error_rate": options.anomalyMinimumErrorRate, "p95_latency_ms": options.anomalyMinimumLatencyMs
        ]
    }

    /// Alerts (score ≥ 0.5: |z| ≥ threshold, or the point that confirmed a level shift) over the
    /// floor; an empty label means "not listed" (outside the analysed days).
    private func flag(_ values: [Double?], _ scored: [AnomalyScorer.Score], labels: [String], period: String, agent: String?, metric: String)
        -> [Analysis.AnomalyPoint]
    {
        var points: [Analysis.AnomalyPoint] = []
        let floor = minimums[metric] ?? 0
        for i in values.indices {
            let s = scored[i]
            guard !labels[i].isEmpty, let value = values[i], let z = s.z, let expected = s.expected, s.isAlert, abs(value - expected) >= floor
            else { continue }
            var point = Analysis.AnomalyPoint(
                period: period, at: labels[i], agent_id: agent, metric: metric,
                value: value, expected: expected, score: z.isFinite ? z : (z > 0 ? 1e9 : -1e9))
            point.anomaly_score = s.score
            point.status = s.status.rawValue
            point.reason = Self.anomalyReason(point, floor: floor)
            points.append(point)
        }
        return points
    }

    /// "Spend of agent-01 on 2026-06-17 was $3.20, $2.95 above the $0.25 expected for that weekday
    /// (robust z 6.1; listed from z 3.5 and a change of $0.25)."
    static func anomalyReason(_ p: Analysis.AnomalyPoint, floor: Double) -> String {
        let what =
            ["cost_usd": "Spend", "calls": "Calls", "errors": "Errors", "error_rate": "Error rate", "p95_latency_ms": "p95 latency"][p.metric]
            ?? p.metric
        let whose = p.agent_id.map { " of " + $0 } ?? ""
        let when = p.period == "hour" ? "in the hour from " + p.at.replacingOccurrences(of: "T", with: " ") : "on " + p.at
        let season = p.period == "hour" ? "that hour" : "that day"
        let shift = p.status == "level_shift" ? " It confirms a level shift: the new level is the normal from here." : ""
        let direction = p.value >= p.expected ? "above" : "below"
        return
            "\(what)\(whose) \(when) \(p.metric == "calls" || p.metric == "errors" ? "were" : "was") \(anomalyNumber(p.value, p.metric)), \(anomalyNumber(abs(p.value - p.expected), p.metric, change: true)) \(direction) "
            + "the \(anomalyNumber(p.expected, p.metric)) expected for \(season) (robust z \(String(format: "%.1f", p.score)); "
            + "listed from a change of \(anomalyNumber(floor, p.metric, change: true))).\(shift)"
    }

    /// A metric's value as a reader expects it: dollars, whole calls, percent, milliseconds.
    package static func anomalyNumber(_ value: Double, _ metric: String, change: Bool = false) -> String {
        switch metric {
        case "cost_usd":
            // Whole cents (a configured floor such as $0.25) need no more places; sub-dollar amounts keep 4.
            let wholeCents = (value * 100).rounded() == value * 100
            return "$" + String(format: abs(value) < 0.995 && !wholeCents ? "%.4f" : "%.2f", value)
        case "calls": return String(format: "%.0f", value) + (change ? " calls" : "")
        case "errors": return String(format: "%.0f", value) + (change ? " errors" : "")
        case "error_rate": return String(format: "%.1f", value * 100) + (change ? " points" : "%")
        default: return String(format: "%.0f", value) + " ms"
        }
    }

    /// Cost, calls, errors, error rate and p95 latency per bucket of the fleet (agent nil) and each
    /// agent with calls. A scope's buckets before its first call are missing (nil), not zero, so
    /// the scorer does not learn a flat zero that was only "no data yet".
    private func bucketSeries(_ c: AnalysisContext, _ series: ScopeSeries, _ latencies: BucketLatencies) -> [(String?, [[Double?]])] {
        let n = series.buckets
        var result: [(String?, [[Double?]])] = []
        for s in 0..<series.scopes {
            let calls = series.calls(s), errors = series.errors(s), cost = series.cost(s)
            guard let first = calls.firstIndex(where: { $0 > 0 }) else { continue }
            let p95: [Double?] = s == 0 ? latencies.fleet.map(\.p95) : latencies.p95(agent: s - 1)
            let started = { (k: Int) in k >= first }
            let metrics: [[Double?]] = [
                (0..<n).map { started($0) ? cost[$0] : nil }, (0..<n).map { started($0) ? Double(calls[$0]) : nil },
                (0..<n).map { started($0) ? Double(errors[$0]) : nil },
                (0..<n).map { calls[$0] > 0 ? Double(errors[$0]) / Double(calls[$0]) : nil }, p95
            ]
            result.append((s == 0 ? nil : c.names.agents.names[s - 1], metrics))
        }
        return result.sorted { ($0.0 ?? "") < ($1.0 ?? "") }
    }

    /// Quarantined lines (all live, they have no call date), unpriced calls by model, calls with
    /// unknown latency and days without calls.
    func dataQuality(_ c: AnalysisContext) throws -> Analysis.DataQuality {
        let p = c.pass
        var quality = Analysis.DataQuality()
        quality.rows_read = p.rowsRead
        quality.parts_read = c.partsRead
        if c.snapshot != nil {
            let quarantine = try LakeScan(dataDir: options.dataDir, table: .quarantine, asOf: c.snapshot)
            quality.quarantined_lines = Int(quarantine.parts.reduce(0) { $0 + $1.rowCount })
        }
        quality.calls_without_latency = p.callsWithoutLatency
        quality.unpriced_calls = p.unpriced.values.reduce(0, +)
        var unpriced: [String: (provider: String, model: String, calls: Int)] = [:]
        for (slot, calls) in p.unpriced {
            let provider = c.names.providers.names[Int(slot.provider)], model = c.names.models.names[Int(slot.model)]
            unpriced[provider + "\u{0}" + model] = (provider, model, calls)
        }
        let callsPerDay = p.callsPerDay
        quality.unpriced_models = unpriced.keys.sorted().map {
            Analysis.UnpricedModel(provider: unpriced[$0]!.provider, model: unpriced[$0]!.model, calls: unpriced[$0]!.calls)
        }
        quality.gap_days = (0..<c.dayCount).filter { callsPerDay[$0] == 0 }.map { c.label(day: c.fromDay + Int64($0)) }
        return quality
    }
}
