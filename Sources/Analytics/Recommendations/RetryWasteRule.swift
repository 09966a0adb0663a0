/// Retry waste: failed attempts (status error) that a later call retried (`retry_of`), per
/// agent + provider + error class: what they cost, and the time from each attempt to its retry.
enum RetryWasteRule {
    static func find(_ context: RuleContext) -> [Recommendation] {
        let calls = context.calls
        guard !calls.retried.isEmpty else { return [] }
        // The failed call each retried attempt names (the last in lake order should an entry id repeat),
        // with the earliest retry's start; summed in lake order below.
        var attempts: [AttemptKey: Int] = [:]
        for (index, call) in calls.failed.enumerated() {
            let key = AttemptKey(
                agent: call.agent, session: call.session, entry: String(decoding: calls.failedEntries.value(at: index), as: UTF8.self))
            if calls.retried[key] != nil { attempts[key] = index }
        }
        let retriedAt = attempts.map { (index: $0.value, start: calls.retried[$0.key] ?? .max) }.sorted { $0.index < $1.index }
        struct Key: Hashable, Comparable {
            var agent: Int32, provider: Int32, errorClass: Int32
            static func < (a: Key, b: Key) -> Bool { (a.agent, a.provider, a.errorClass) < (b.agent, b.provider, b.errorClass) }
        }
        var sums: [Key: (attempts: Int, cost: Double, tokens: Int64, micros: Int64)] = [:]
        for (index, retryStart) in retriedAt {
            let call = calls.failed[index]
            let key = Key(agent: call.agent, provider: call.provider, errorClass: call.errorClass)
            var sum = sums[key] ?? (0, 0, 0, 0)
            sum.attempts += 1
            sum.cost += call.cost
            sum.tokens += call.tokens
            sum.micros += max(0, retryStart - call.ts)
            sums[key] = sum
        }
        var totals: [Key: Int] = [:]  // calls of the agent on the provider (error class left out)
        let none = Int32(-1)
        for (g, group) in calls.groups.enumerated() {
            totals[Key(agent: group.agent, provider: group.provider, errorClass: none), default: 0] += calls.groupCalls[g]
        }

        var found: [Recommendation] = []
        for (key, sum) in sums.sorted(by: { $0.key < $1.key }) where sum.cost > 0 {
            let agent = calls.name(key.agent), provider = calls.name(key.provider), errorClass = calls.name(key.errorClass)
            var evidence = RecommendationEvidence(
                period: context.period, calls: sum.attempts,
                groupCalls: totals[Key(agent: key.agent, provider: key.provider, errorClass: none)] ?? sum.attempts,
                costUSD: sum.cost, costAfterUSD: 0)
            evidence.tokens = sum.tokens
            evidence.errorClass = errorClass
            evidence.timeLostSeconds = Double(sum.micros) / 1_000_000
            found.append(
                Recommendation(
                    kind: .retryWaste,
                    title: advice(errorClass, agent: agent, provider: provider)
                        + (sum.attempts == 1 ? ": 1 failed attempt was retried" : ": \(sum.attempts) failed attempts were retried"),
                    agent: agent, provider: provider, evidence: evidence,
                    monthlySavingUSD: sum.cost * context.period.monthScale,
                    assumptions: [
                        "Failed attempts concerned: status error, class \(errorClass), retried by a later call of the same session (retry_of).",
                        "Upper bound: avoiding these failures saves their whole cost (the retries still run once); not every failure is avoidable.",
                        "Time lost = Σ (the retry's start − the failed attempt's start) = \(RecommendationText.number(evidence.timeLostSeconds ?? 0)) s in the period.",
                        context.period.scalingNote
                    ],
                    upperBound: true))
        }
        return found
    }

    /// What to change for each error class.
    static func advice(_ errorClass: String, agent: String, provider: String) -> String {
        switch errorClass {
        case "rate_limit": "Lower agent \(agent)'s concurrency on \(provider) or give it a second key"
        case "overloaded", "server_error": "Fail agent \(agent) over from \(provider) to another provider sooner"
        case "timeout": "Review agent \(agent)'s timeouts and prompt sizes on \(provider)"
        case "network": "Check the network path from agent \(agent) to \(provider)"
        case "context_overflow": "Compact agent \(agent)'s context before calls to \(provider)"
        default: "Look into agent \(agent)'s \(errorClass) failures on \(provider)"
        }
    }
}
