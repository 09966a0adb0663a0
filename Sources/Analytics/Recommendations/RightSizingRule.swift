import SQLiteStore
import Lake
/// Model right-sizing: successful calls to an expensive model that produced a short answer and
/// no tool call, priced again at the family's smaller model. An upper bound: it assumes the
/// smaller model answers all of them as well.
enum RightSizingRule {
    static func find(_ context: RuleContext) -> [Recommendation] {
        let calls = context.calls, options = context.options
        // The concerned calls' sums per group, added in lake order by `RecommendationCalls`.
        let totals = context.callsPerGroup()
        var found: [Recommendation] = []
        for g in calls.groups.indices.sorted(by: { calls.groups[$0] < calls.groups[$1] }) {
            guard let sum = calls.small[g], let target = calls.smaller[g] ?? nil else { continue }
            let key = calls.groups[g]
            let provider = calls.name(key.provider), model = calls.name(key.model), agent = calls.name(key.agent)
            var evidence = RecommendationEvidence(
                period: context.period, calls: sum.calls, groupCalls: totals[key] ?? sum.calls,
                costUSD: sum.cost, costAfterUSD: sum.after)
            evidence.tokens = sum.tokens
            evidence.suggestedModel = target.model
            found.append(
                Recommendation(
                    kind: .modelRightSizing,
                    title: "Route agent \(agent)'s short answers from \(model) to \(target.model): \(sum.calls) calls "
                        + "(\(RecommendationText.percent(evidence.shareOfCalls)) of its \(model) calls) needed no tools and under \(options.rightSizingMaxOutputTokens) output tokens",
                    agent: agent, model: model, provider: provider, evidence: evidence,
                    monthlySavingUSD: (sum.cost - sum.after) * context.period.monthScale,
                    assumptions: [
                        "Calls concerned: status ok, no tool call, output < \(options.rightSizingMaxOutputTokens) tokens, and a cost at least \(RecommendationText.number(options.rightSizingMinPriceRatio))× the same tokens at \(target.model)'s price.",
                        "Upper bound: assumes \(target.model) answers every one of them as well (check a sample first) and that the token counts stay the same.",
                        "Saving = the calls' cost − the same input, output, cache read and cache write tokens at \(target.model)'s price.",
                        context.priceNote(target.model, target.price),
                        context.period.scalingNote
                    ],
                    upperBound: true))
        }
        return found
    }

    /// The smaller model for `model` (longest matching name prefix) and its price, unless it is the model itself.
    static func target(_ provider: String, _ model: String, options: RecommendationOptions, book: PriceBook) -> (model: String, price: ModelPrice)? {
        var name = PriceBook.normalise(model)
        if let slash = name.lastIndex(of: "/") { name = String(name[name.index(after: slash)...]) }
        guard let prefix = options.smallerModels.keys.filter({ name.hasPrefix($0) }).max(by: { ($0.count, $0) < ($1.count, $1) }),
            let smaller = options.smallerModels[prefix], PriceBook.normalise(smaller) != name,
            let price = book.price(provider: provider, model: smaller)
        else { return nil }
        return (smaller, price)
    }
}
