import HomeBaseCore
extension Analyzer {
    /// Rolling windows ending at `now` (24 h, 7 d, 30 d as instants; month to date from local
    /// midnight of the month's first day) and the requested range.
    func windows(_ c: AnalysisContext) -> [String: Analysis.Window] {
        let hour: Int64 = 3_600_000_000
        let (y, m, _) = UTCDate.civil(days: c.nowDay)
        let monthStart = c.calendar.startMicros(ofDay: UTCDate.days(year: y, month: m, day: 1))
        var result: [String: Analysis.Window] = [:]
        for (name, start) in [("24h", c.now - 24 * hour), ("7d", c.now - 7 * 24 * hour), ("30d", c.now - 30 * 24 * hour)] {
            result[name] = window(c, start: start, end: c.now, label: UTCDate.isoString(micros: start)) {
                c.table.ts[$0] > start && c.table.ts[$0] <= c.now
            }
        }
        result["month_to_date"] = window(c, start: monthStart, end: c.now, label: UTCDate.isoString(micros: monthStart)) {
            c.table.ts[$0] >= monthStart && c.table.ts[$0] <= c.now
        }
        if c.dayCount > 0 {
            let start = c.calendar.startMicros(ofDay: c.fromDay), end = c.calendar.startMicros(ofDay: c.toDay + 1)
            result["range"] = window(c, start: start, end: end, label: UTCDate.isoString(micros: start)) { c.inRange[$0] }
        }
        return result
    }

    private func window(_ c: AnalysisContext, start: Int64, end: Int64, label: String, _ include: (Int) -> Bool) -> Analysis.Window {
        let t = c.table
        let agents = t.agents.count, models = t.models.count, providers = t.providers.count
        // Group layout: 0 overall, then agents, models, providers.
        var acc = TotalsAccumulator(groups: 1 + agents + models + providers)
        for i in 0..<t.count where include(i) {
            acc.add(c, row: i, group: 0)
            acc.add(c, row: i, group: 1 + Int(t.agent[i]))
            acc.add(c, row: i, group: 1 + agents + Int(t.model[i]))
            acc.add(c, row: i, group: 1 + agents + models + Int(t.provider[i]))
        }
        var window = Analysis.Window()
        window.start = label
        window.end = UTCDate.isoString(micros: end)
        window.total = acc.totals(0)
        window.by_agent = acc.named(t.agents.names, offset: 1)
        window.by_model = acc.named(t.models.names, offset: 1 + agents)
        window.by_provider = acc.named(t.providers.names, offset: 1 + agents + models)
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
        var acc = TotalsAccumulator(groups: c.dayCount)
        for i in 0..<c.table.count where c.inRange[i] { acc.add(c, row: i, group: c.dayIndex(i)) }
        section.by_day = acc.named(c.dayLabels)
        return section
    }

    /// Requests and output tokens per second of wall-clock time (local day lengths), and generation speed.
    func throughput(_ c: AnalysisContext) -> Analysis.ThroughputSection {
        let t = c.table
        var section = Analysis.ThroughputSection()
        guard c.dayCount > 0 else { return section }
        let agents = t.agents.count, models = t.models.count, providers = t.providers.count
        let groups = 1 + agents + models + providers + c.dayCount
        var requests = [Int](repeating: 0, count: groups)
        var output = [Int64](repeating: 0, count: groups)
        var genTokens = [Int64](repeating: 0, count: groups)
        var genSeconds = [Double](repeating: 0, count: groups)
        for i in 0..<t.count where c.inRange[i] {
            let latency = t.latency[i]
            for g in [
                0, 1 + Int(t.agent[i]), 1 + agents + Int(t.model[i]), 1 + agents + models + Int(t.provider[i]),
                1 + agents + models + providers + c.dayIndex(i)
            ] {
                requests[g] += 1
                output[g] += t.outputTokens[i]
                if latency > 0 {
                    genTokens[g] += t.outputTokens[i]
                    genSeconds[g] += latency / 1000
                }
            }
        }
        func stats(_ g: Int, seconds: Double) -> Analysis.ThroughputStats {
            Analysis.ThroughputStats(
                requests: requests[g], seconds: seconds,
                requests_per_s: seconds > 0 ? Double(requests[g]) / seconds : 0,
                output_tokens_per_s: seconds > 0 ? Double(output[g]) / seconds : 0,
                generation_tokens_per_s: genSeconds[g] > 0 ? Double(genTokens[g]) / genSeconds[g] : nil)
        }
        let seconds = c.rangeSeconds
        section.overall = stats(0, seconds: seconds)
        for (offset, names) in [(1, t.agents.names), (1 + agents, t.models.names), (1 + agents + models, t.providers.names)] {
            var map: [String: Analysis.ThroughputStats] = [:]
            for (k, name) in names.enumerated() where requests[offset + k] > 0 { map[name] = stats(offset + k, seconds: seconds) }
            switch offset {
            case 1: section.by_agent = map
            case 1 + agents: section.by_model = map
            default: section.by_provider = map
            }
        }
        for d in 0..<c.dayCount {
            let g = 1 + agents + models + providers + d
            section.by_day[c.label(day: c.fromDay + Int64(d))] = stats(g, seconds: Double(c.calendar.secondsInDay(c.fromDay + Int64(d))))
        }
        section.by_hour = hourlyThroughput(c)
        return section
    }

    /// Calls per UTC hour bucket of the 7 days before `now`, labelled with the local start time.
    private func hourlyThroughput(_ c: AnalysisContext) -> [String: Analysis.ThroughputStats] {
        let hours = HourBuckets(c)
        var requests = [Int](repeating: 0, count: hours.count)
        var output = [Int64](repeating: 0, count: hours.count)
        for i in 0..<c.table.count {
            guard let h = hours.index(c.table.ts[i]) else { continue }
            requests[h] += 1
            output[h] += c.table.outputTokens[i]
        }
        var result: [String: Analysis.ThroughputStats] = [:]
        for h in 0..<hours.count where requests[h] > 0 {
            result[hours.labels[h]] = Analysis.ThroughputStats(
                requests: requests[h], seconds: 3600,
                requests_per_s: Double(requests[h]) / 3600,
                output_tokens_per_s: Double(output[h]) / 3600)
        }
        return result
    }
}
