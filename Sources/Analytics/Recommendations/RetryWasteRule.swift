/// Retry waste: failed attempts (status error) that a later call retried (`retry_of`), per
/// agent + provider + error class: what they cost, and the time from each attempt to its retry.
enum RetryWasteRule {
    private struct AttemptKey: Hashable {
        var agent: Int32, session: Int32, entry: String
    }

    static func find(_ context: RuleContext) -> [Recommendation] {
        let calls = context.calls
        var failed: [AttemptKey: Int] = [:]
        for (row, entry) in calls.failedEntry {
            failed[AttemptKey(agent: calls.agent[row], session: calls.session[row], entry: entry)] = row
        }
        // Each retried attempt once, with the earliest retry's start.
        var retriedAt: [Int: Int64] = [:]
        for (row, target) in calls.retryOf {
            guard let attempt = failed[AttemptKey(agent: calls.agent[row], session: calls.session[row], entry: target)] else { continue }
            retriedAt[attempt] = min(retriedAt[attempt] ?? .max, calls.ts[row])
        }
        struct Key: Hashable, Comparable {
            var agent: Int32, provider: Int32, errorClass: Int32
            static func < (a: Key, b: Key) -> Bool { (a.agent, a.provider, a.errorClass) < (b.agent, b.provider, b.errorClass) }
        }
        var sums: [Key: (attempts: Int, cost: Double, tokens: Int64, micros: Int64)] = [:]
        for (row, retryStart) in retriedAt {
            guard let errorClass = calls.errorClass[row] else { continue }
            let key = Key(agent: calls.agent[row], provider: calls.provider[row], errorClass: errorClass)
            var sum = sums[key] ?? (0, 0, 0, 0)
            sum.attempts += 1
            sum.cost += calls.cost[row]
            sum.tokens += calls.input[row] + calls.output[row] + calls.cacheRead[row] + calls.cacheWrite[row]
            sum.micros += max(0, retryStart - calls.ts[row])
            sums[key] = sum
        }
        var totals: [Key: Int] = [:]  // calls of the agent on the provider (error class left out)
        let none = Int32(-1)
        for row in 0..<calls.count { totals[Key(agent: calls.agent[row], provider: calls.provider[row], errorClass: none), default: 0] += 1 }

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
