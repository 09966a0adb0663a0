import HomeBaseCore
import SQLiteStore
/// Runaway sessions: sessions whose call count or cost is far above the agent's median session
/// (typically context growth without compaction); the saving is their cost above that median.
enum RunawaySessionRule {
    static func find(_ context: RuleContext, sessions: [SessionStats]) -> [Recommendation] {
        let calls = context.calls, options = context.options
        var byAgent: [Int32: [SessionStats]] = [:]
        for session in sessions { byAgent[session.agent, default: []].append(session) }
        var found: [Recommendation] = []
        for (agentId, list) in byAgent.sorted(by: { $0.key < $1.key }) where list.count >= options.runawayMinSessions {
            let medianCost = Percentile.median(list.map(\.cost)) ?? 0
            let medianCalls = Percentile.median(list.map { Double($0.calls) }) ?? 0
            let runaways = list.filter { s in
                (Double(s.calls) > options.runawayFactor * medianCalls && s.calls >= options.runawayMinCalls)
                    || (s.cost > options.runawayFactor * medianCost && s.cost >= options.runawayMinCostUSD)
            }
            guard !runaways.isEmpty else { continue }
            let cost = runaways.reduce(0) { $0 + $1.cost }
            let excess = runaways.reduce(0) { $0 + max(0, $1.cost - medianCost) }
            guard excess > 0 else { continue }
            let agent = calls.name(agentId)
            var evidence = RecommendationEvidence(
                period: context.period, calls: runaways.reduce(0) { $0 + $1.calls },
                groupCalls: list.reduce(0) { $0 + $1.calls },
                costUSD: cost, costAfterUSD: cost - excess)
            evidence.sessions = SessionStats.top(runaways, calls)
            evidence.medianSessionCostUSD = medianCost
            evidence.medianSessionCalls = medianCalls
            let factor = RecommendationText.number(options.runawayFactor)
            found.append(
                Recommendation(
                    kind: .runawaySession,
                    title: "Cap or compact agent \(agent)'s runaway sessions: \(runaways.count) of \(list.count) sessions cost "
                        + "$\(RecommendationText.number(excess, digits: 2)) above its median session",
                    agent: agent, evidence: evidence,
                    monthlySavingUSD: excess * context.period.monthScale,
                    assumptions: [
                        "Runaway: more than \(factor)× the agent's median calls per session (\(RecommendationText.number(medianCalls))) and at least \(options.runawayMinCalls) calls, or more than \(factor)× its median session cost ($\(RecommendationText.number(medianCost, digits: 4))) and at least $\(RecommendationText.number(options.runawayMinCostUSD)).",
                        "Upper bound: saving = each runaway session's cost above the median session cost, as if a cap or compaction had kept it at the median.",
                        "Sessions are counted within the period (a session crossing its edges counts only its calls inside).",
                        context.period.scalingNote + " Runaways are assumed to recur at the same rate."
                    ],
                    upperBound: true))
        }
        return found
    }
}
