import HomeBaseCore
import SQLiteStore
extension Analyzer {
    /// Error counts and rates by class, overall and per agent, provider, model and day.
    func errors(_ c: AnalysisContext) -> Analysis.ErrorSection {
        let p = c.pass
        let classNames = c.names.errorClasses.names
        func stats(_ grouping: Int, _ g: Int) -> Analysis.ErrorStats {
            let sums = p.group(grouping, g)
            let calls = sums.calls, failed = sums.errors
            var result = Analysis.ErrorStats(calls: calls, errors: failed, rate: calls > 0 ? Double(failed) / Double(calls) : nil)
            for (k, count) in sums.errorsByClass.enumerated() where count > 0 { result.by_class[classNames[k]] = count }
            return result
        }
        func named(_ names: [String], _ grouping: Int) -> [String: Analysis.ErrorStats] {
            var result: [String: Analysis.ErrorStats] = [:]
            for (k, name) in names.enumerated() where p.group(grouping, k).calls > 0 { result[name] = stats(grouping, k) }
            return result
        }
        var section = Analysis.ErrorSection()
        section.overall = stats(AnalysisPass.overall, 0)
        section.by_agent = named(c.names.agents.names, AnalysisPass.byAgent)
        section.by_provider = named(c.names.providers.names, AnalysisPass.byProvider)
        section.by_model = named(c.names.models.names, AnalysisPass.byModel)
        section.by_day = named(c.dayLabels, AnalysisPass.byDay)
        return section
    }

    /// Retry chains: each failed call that is not itself a retry starts a chain, followed by the
    /// calls whose `retry_of` names the previous attempt (same session). A chain counts in the
    /// range of its first call; it succeeded when its last attempt is `ok`.
    func retries(_ c: AnalysisContext) -> Analysis.RetrySection {
        let links = c.pass.links
        var section = Analysis.RetrySection()
        var known: Set<UInt64> = []
        var next: [UInt64: Int] = [:]  // attempt key → link index of its retry (the earliest)
        for link in links { known.insert(link.key) }
        for (index, link) in links.enumerated() {
            guard let parent = link.retryOf else { continue }
            if let other = next[parent], links[other].ts <= link.ts { continue }
            next[parent] = index
        }
        var attemptsToSuccess: [Double] = []
        for link in links where link.inRange && link.isError {
            section.failed_calls += 1
            if let parent = link.retryOf, known.contains(parent) { continue }  // a retry, not a chain head
            section.chains += 1
            var attempts = 1
            var last = link
            while let child = next[last.key], attempts <= links.count {
                attempts += 1
                last = links[child]
            }
            if attempts > 1 {
                section.retried_chains += 1
                section.retry_attempts += attempts - 1
                section.time_lost_s += Double(last.ts - link.ts) / 1_000_000
            }
            if !last.isError {
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
