import Detectors
extension Analyzer {
    /// Daily series over the range, overall and per agent (every day, zeros where there were no calls).
    package func dailySection(_ c: AnalysisContext, p95: [[Double?]]) -> Analysis.DailySection {
        let days = c.dayCount
        let series = c.pass.daily
        func daily(_ s: Int) -> Analysis.DailySeries {
            guard s < series.scopes else {
                return Analysis.DailySeries(
                    cost_usd: Array(repeating: 0, count: days), calls: Array(repeating: 0, count: days), errors: Array(repeating: 0, count: days),
                    error_rate: Array(repeating: nil, count: days), p95_latency_ms: s < p95.count ? p95[s] : Array(repeating: nil, count: days),
                    output_tokens: Array(repeating: 0, count: days))
            }
            let calls = series.calls(s), errors = series.errors(s)
            return Analysis.DailySeries(
                cost_usd: series.cost(s), calls: calls, errors: errors,
                error_rate: (0..<days).map { calls[$0] > 0 ? Double(errors[$0]) / Double(calls[$0]) : nil },
                p95_latency_ms: s < p95.count ? p95[s] : Array(repeating: nil, count: days),
                output_tokens: series.output(s))
        }
        var section = Analysis.DailySection()
        guard days > 0 else { return section }
        section.overall = daily(0)
        for (a, name) in c.names.agents.names.enumerated() {
            let s = daily(1 + a)
            if s.calls.contains(where: { $0 > 0 }) { section.by_agent[name] = s }
        }
        return section
    }

    /// Theil–Sen slope and Mann–Kendall test of daily cost, calls, error rate and p95 latency.
    func trends(_ daily: Analysis.DailySection) -> Analysis.TrendSection {
        Self.merged(trends(daily, half: 0), trends(daily, half: 1))
    }

    /// Half the trend sets (`half` 0: the fleet and every other agent by name; 1: the rest), so
    /// two cores can share them.
    func trends(_ daily: Analysis.DailySection, half: Int) -> Analysis.TrendSection {
        var section = Analysis.TrendSection()
        if half == 0 { section.overall = Self.trendSet(daily.overall) }
        for (k, agent) in daily.by_agent.sorted(by: { $0.key < $1.key }).enumerated() where (k + 1) % 2 == half {
            section.by_agent[agent.key] = Self.trendSet(agent.value)
        }
        return section
    }

    /// The two halves' trend sets together.
    static func merged(_ a: Analysis.TrendSection, _ b: Analysis.TrendSection) -> Analysis.TrendSection {
        var section = a
        section.by_agent.merge(b.by_agent) { first, _ in first }
        return section
    }

    static func trendSet(_ s: Analysis.DailySeries) -> Analysis.TrendSet {
        Analysis.TrendSet(
            cost_usd: trend(s.cost_usd), calls: trend(s.calls.map(Double.init)),
            error_rate: trend(s.error_rate), p95_latency_ms: trend(s.p95_latency_ms))
    }

    /// The trend of a daily series, x = day index; missing days are left out. Needs three points.
    static func trend(_ values: [Double?]) -> Analysis.Trend? {
        var x: [Double] = [], y: [Double] = []
        for (k, value) in values.enumerated() { if let value { x.append(Double(k)); y.append(value) } }
        guard let line = TheilSen(x: x, y: y), let test = MannKendall(y) else { return nil }
        var trend = Analysis.Trend(
            n: y.count, slope_per_day: line.slope, intercept: line.intercept,
            mann_kendall_s: test.s, z: test.z, p_value: test.pValue)
        if test.pValue < 0.05 && line.slope > 0 { trend.direction = "up" }
        if test.pValue < 0.05 && line.slope < 0 { trend.direction = "down" }
        return trend
    }
}
