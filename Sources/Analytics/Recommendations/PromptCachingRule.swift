/// Prompt caching: calls that resend a large prompt without reading it from the cache, on a
/// provider that caches. Per agent+provider+model, priced as if each such call had read the
/// previous such call's prompt (same session, within the cache TTL) from the cache.
enum PromptCachingRule {
    static func find(_ context: RuleContext) -> [Recommendation] {
        let calls = context.calls, options = context.options
        // The qualifying calls of each group, paired per session in time order as they were read (`CachingCandidates`).
        let totals = context.callsPerGroup()
        let sums = calls.caching.final()
        var found: [Recommendation] = []
        for g in calls.groups.indices.sorted(by: { calls.groups[$0] < calls.groups[$1] }) where sums[g].calls > 0 {
            let key = calls.groups[g], group = sums[g]
            let provider = calls.name(key.provider), model = calls.name(key.model), agent = calls.name(key.agent)
            guard let price = context.book.price(provider: provider, model: model) else { continue }
            let readPrice = price.cacheRead ?? price.input
            let writePremium = max(0, (price.cacheWrite ?? price.input) - price.input)
            guard readPrice < price.input else { continue }
            let uncached = group.uncached, cacheable = group.cacheable, written = uncached - cacheable
            let perToken = 1e-6
            let costNow = Double(uncached) * price.input * perToken
            let saving = (Double(cacheable) * (price.input - readPrice) - Double(written) * writePremium) * perToken
            guard saving > 0 else { continue }
            var evidence = RecommendationEvidence(
                period: context.period, calls: group.calls, groupCalls: totals[key] ?? group.calls,
                costUSD: costNow, costAfterUSD: costNow - saving)
            evidence.tokens = uncached
            evidence.cacheableTokens = cacheable
            let shareRead = calls.groupCacheRead[g], sharePrompt = calls.groupPrompt[g]
            evidence.cacheReadShare = sharePrompt > 0 ? Double(shareRead) / Double(sharePrompt) : 0
            let ttl = RecommendationText.number(options.cacheTTLSeconds)
            found.append(
                Recommendation(
                    kind: .promptCaching,
                    title: "Turn on prompt caching for agent \(agent) on \(provider)/\(model): \(group.calls) calls resent large prompts uncached",
                    agent: agent, model: model, provider: provider, evidence: evidence,
                    monthlySavingUSD: saving * context.period.monthScale,
                    assumptions: [
                        "Calls concerned: uncached input ≥ \(options.cachingMinInputTokens) tokens and cache reads < \(RecommendationText.percent(options.cachingMaxReadShare)) of the prompt.",
                        "Each such call's prompt starts with the previous such call's prompt in the same session, so min(its input, that call's input) tokens would be cache reads when it starts within \(ttl) s of it; all other input tokens are written to the cache.",
                        "Saving = cache reads × (input − cache read price) − cache writes × (cache write − input price, when the provider charges writes).",
                        context.priceNote(model, price),
                        context.period.scalingNote
                    ],
                    upperBound: false))
        }
        return found
    }
}
