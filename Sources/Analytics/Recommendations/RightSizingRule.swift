import SQLiteStore
import Lake
/// Model right-sizing: successful calls to an expensive model that produced a short answer and
/// no tool call, priced again at the family's smaller model. An upper bound: it assumes the
/// smaller model answers all of them as well.
enum RightSizingRule {
    static func find(_ context: RuleContext) -> [Recommendation] {
        let calls = context.calls, options = context.options
        var targets: [GroupKey: (model: String, price: ModelPrice)?] = [:]
        var sums: [GroupKey: (calls: Int, cost: Double, after: Double, tokens: Int64)] = [:]
        for row in 0..<calls.count
        where calls.ok[row] && calls.toolCalls[row] == 0
            && calls.output[row] < options.rightSizingMaxOutputTokens && calls.cost[row] > 0
        {
            let key = GroupKey(calls, row)
            if targets[key] == nil { targets[key] = target(calls.name(key.provider), calls.name(key.model), context) }
            guard let target = targets[key] ?? nil else { continue }
            let after = target.price.cost(
                input: calls.input[row], output: calls.output[row], cacheRead: calls.cacheRead[row],
                cacheWrite: calls.cacheWrite[row])
            guard after > 0, calls.cost[row] >= options.rightSizingMinPriceRatio * after else { continue }
            var sum = sums[key] ?? (0, 0, 0, 0)
            sum.calls += 1
            sum.cost += calls.cost[row]
            sum.after += after
            sum.tokens += calls.input[row] + calls.output[row] + calls.cacheRead[row] + calls.cacheWrite[row]
            sums[key] = sum
        }
        let totals = context.callsPerGroup()
        var found: [Recommendation] = []
        for (key, sum) in sums.sorted(by: { $0.key < $1.key }) {
            guard let target = targets[key] ?? nil else { continue }
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
    static func target(_ provider: String, _ model: String, _ context: RuleContext) -> (model: String, price: ModelPrice)? {
        var name = PriceBook.normalise(model)
        if let slash = name.lastIndex(of: "/") { name = String(name[name.index(after: slash)...]) }
        guard let prefix = context.options.smallerModels.keys.filter({ name.hasPrefix($0) }).max(by: { ($0.count, $0) < ($1.count, $1) }),
            let smaller = context.options.smallerModels[prefix], PriceBook.normalise(smaller) != name,
            let price = context.book.price(provider: provider, model: smaller)
        else { return nil }
        return (smaller, price)
    }
}
