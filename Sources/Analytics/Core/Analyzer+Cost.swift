import HomeBaseCore
extension Analyzer {
    /// Rolling windows ending at `now` (24 h, 7 d, 30 d as instants; month to date from local
    /// midnight of the month's first day) and the requested range.
    func windows(_ c: AnalysisContext) -> [String: Analysis.Window] {
        let hour: Int64 = 3_600_000_000
        let (y, m, _) = UTCDate.civil(days: c.nowDay)
        let monthStart = c.calendar.startMicros(ofDay: UTCDate.days(year: y, month: m, day: 1))
        var result: [String: Analysis.Window] = [:]
        let sums = c.pass.windows
        for (k, (name, start)) in [("24h", c.now - 24 * hour), ("7d", c.now - 7 * 24 * hour), ("30d", c.now - 30 * 24 * hour)].enumerated() {
            result[name] = window(c, sums[k], end: c.now, label: UTCDate.isoString(micros: start))
        }
        result["month_to_date"] = window(c, sums[3], end: c.now, label: UTCDate.isoString(micros: monthStart))
        if c.dayCount > 0 {
            let start = c.calendar.startMicros(ofDay: c.fromDay), end = c.calendar.startMicros(ofDay: c.toDay + 1)
            result["range"] = window(c, sums[4], end: end, label: UTCDate.isoString(micros: start))
        }
        return result
    }

    private func window(_ c: AnalysisContext, _ sums: AnalysisPass.WindowSums, end: Int64, label: String) -> Analysis.Window {
        var window = Analysis.Window()
        window.start = label
        window.end = UTCDate.isoString(micros: end)
        window.total = sums.overall.totals(0)
        window.by_agent = sums.agents.named(c.names.agents.names)
        window.by_model = sums.models.named(c.names.models.names)
        window.by_provider = sums.providers.named(c.names.providers.names)
        return window
    }

    /// Totals over the range overall, per agent, model, provider and local day.
    func costSection(_ c: AnalysisContext, range: Analysis.Window?) -> Analysis.CostSection {
        var section = Analysis.CostSection()
        guard c.dayCount > 0, let range else { return section }
        section.total = range.total
        section.by_agent = range.by_agent
        section.by_model = range.by_model
        section.by_provider = range.by_provider
        section.by_day = c.pass.costByDay.named(c.dayLabels)
        return section
    }

    /// Requests and output tokens per second of wall-clock time (local day lengths), and generation speed.
    func throughput(_ c: AnalysisContext) -> Analysis.ThroughputSection {
        var section = Analysis.ThroughputSection()
        guard c.dayCount > 0 else { return section }
        let p = c.pass
        func stats(_ grouping: Int, _ g: Int, seconds: Double) -> Analysis.ThroughputStats {
            let sums = p.group(grouping, g)
            let requests = sums.calls, output = sums.outputTokens
            let genTokens = sums.generationTokens, genSeconds = sums.generationSeconds
            return Analysis.ThroughputStats(
                requests: requests, seconds: seconds,
                requests_per_s: seconds > 0 ? Double(requests) / seconds : 0,
                output_tokens_per_s: seconds > 0 ? Double(output) / seconds : 0,
                generation_tokens_per_s: genSeconds > 0 ? Double(genTokens) / genSeconds : nil)
        }
        let seconds = c.rangeSeconds
        section.overall = stats(AnalysisPass.overall, 0, seconds: seconds)
        func named(_ grouping: Int, _ names: [String]) -> [String: Analysis.ThroughputStats] {
            var map: [String: Analysis.ThroughputStats] = [:]
            for (k, name) in names.enumerated() where p.group(grouping, k).calls > 0 { map[name] = stats(grouping, k, seconds: seconds) }
            return map
        }
        section.by_agent = named(AnalysisPass.byAgent, c.names.agents.names)
        section.by_model = named(AnalysisPass.byModel, c.names.models.names)
        section.by_provider = named(AnalysisPass.byProvider, c.names.providers.names)
        for d in 0..<c.dayCount {
            section.by_day[c.label(day: c.fromDay + Int64(d))] = stats(
                AnalysisPass.byDay, d, seconds: Double(c.calendar.secondsInDay(c.fromDay + Int64(d))))
        }
        section.by_hour = hourlyThroughput(c)
        return section
    }

    /// Calls per UTC hour bucket of the 7 days before `now`, labelled with the local start time.
    private func hourlyThroughput(_ c: AnalysisContext) -> [String: Analysis.ThroughputStats] {
        let hours = HourBuckets(c)
        let series = c.pass.anomalyHours
        let offset = series.buckets - hours.count  // the listed hours are the last of the anomaly series'
        var result: [String: Analysis.ThroughputStats] = [:]
        let calls = series.calls(0), outputs = series.output(0)
        for h in 0..<hours.count where calls[offset + h] > 0 {
            let requests = calls[offset + h], output = outputs[offset + h]
            result[hours.labels[h]] = Analysis.ThroughputStats(
                requests: requests, seconds: 3600,
                requests_per_s: Double(requests) / 3600,
                output_tokens_per_s: Double(output) / 3600)
        }
        return result
    }
}
