import HomeBaseCore
import SQLiteStore
extension Analyzer {
    /// Error counts and rates by class, overall and per agent, provider, model and day.
    func errors(_ c: AnalysisContext) -> Analysis.ErrorSection {
        let t = c.table
        let agents = t.agents.count, models = t.models.count, providers = t.providers.count
        let classes = t.errorClasses.count
        let groups = 1 + agents + providers + models + c.dayCount
        var calls = [Int](repeating: 0, count: groups)
        var failed = calls
        var byClass = [Int](repeating: 0, count: groups * max(classes, 1))
        for i in 0..<t.count where c.inRange[i] {
            for g in [
                0, 1 + Int(t.agent[i]), 1 + agents + Int(t.provider[i]), 1 + agents + providers + Int(t.model[i]),
                1 + agents + providers + models + c.dayIndex(i)
            ] {
                calls[g] += 1
                guard t.isError[i] else { continue }
                failed[g] += 1
                if t.errorClass[i] >= 0 { byClass[g * classes + Int(t.errorClass[i])] += 1 }
            }
        }
        func stats(_ g: Int) -> Analysis.ErrorStats {
            var result = Analysis.ErrorStats(calls: calls[g], errors: failed[g], rate: calls[g] > 0 ? Double(failed[g]) / Double(calls[g]) : nil)
            for k in 0..<classes where byClass[g * classes + k] > 0 { result.by_class[t.errorClasses.names[k]] = byClass[g * classes + k] }
            return result
        }
        func named(_ names: [String], _ offset: Int) -> [String: Analysis.ErrorStats] {
            var result: [String: Analysis.ErrorStats] = [:]
            for (k, name) in names.enumerated() where calls[offset + k] > 0 { result[name] = stats(offset + k) }
            return result
        }
        var section = Analysis.ErrorSection()
        section.overall = stats(0)
        section.by_agent = named(t.agents.names, 1)
        section.by_provider = named(t.providers.names, 1 + agents)
        section.by_model = named(t.models.names, 1 + agents + providers)
        section.by_day = named(c.dayLabels, 1 + agents + providers + models)
        return section
    }

    /// Retry chains: each failed call that is not itself a retry starts a chain, followed by the
    /// calls whose `retry_of` names the previous attempt (same session). A chain counts in the
    /// range of its first call; it succeeded when its last attempt is `ok`.
    func retries(_ c: AnalysisContext) -> Analysis.RetrySection {
        let t = c.table
        var section = Analysis.RetrySection()
        var known: Set<UInt64> = []
        var next: [UInt64: Int] = [:]  // attempt key → link index of its retry (the earliest)
        for link in t.links { known.insert(link.key) }
        for (index, link) in t.links.enumerated() {
            guard let parent = link.retryOf else { continue }
            if let other = next[parent], t.ts[t.links[other].row] <= t.ts[link.row] { continue }
            next[parent] = index
        }
        var attemptsToSuccess: [Double] = []
        for link in t.links where c.inRange[link.row] && t.isError[link.row] {
            section.failed_calls += 1
            if let parent = link.retryOf, known.contains(parent) { continue }  // a retry, not a chain head
            section.chains += 1
            var attempts = 1
            var last = link
            while let child = next[last.key], attempts <= t.links.count {
                attempts += 1
                last = t.links[child]
            }
            if attempts > 1 {
                section.retried_chains += 1
                section.retry_attempts += attempts - 1
                section.time_lost_s += Double(t.ts[last.row] - t.ts[link.row]) / 1_000_000
            }
            if !t.isError[last.row] {
                section.eventually_succeeded += 1
                attemptsToSuccess.append(Double(attempts))
            }
        }
        if section.chains > 0 { section.eventual_success_rate = Double(section.eventually_succeeded) / Double(section.chains) }
        if !attemptsToSuccess.isEmpty {
            section.attempts_to_success_mean = attemptsToSuccess.reduce(0, +) / Double(attemptsToSuccess.count)
            section.attempts_to_success_p50 = Percentile.median(attemptsToSuccess)
            section.attempts_to_success_max = Int(attemptsToSuccess.max() ?? 0)
        }
        return section
    }
}
