/// Prompt caching: calls that resend a large prompt without reading it from the cache, on a
/// provider that caches. Per agent+provider+model, priced as if each such call had read the
/// previous such call's prompt (same session, within the cache TTL) from the cache.
enum PromptCachingRule {
    static func find(_ context: RuleContext) -> [Recommendation] {
        let calls = context.calls, options = context.options
        // Qualifying rows per group, then per session in time order.
        var rows: [GroupKey: [Int]] = [:]
        for row in 0..<calls.count where options.cachingProviders.contains(calls.name(calls.provider[row]).lowercased()) {
            let input = calls.input[row]
            let prompt = input + calls.cacheRead[row] + calls.cacheWrite[row]
            guard input >= options.cachingMinInputTokens, prompt > 0,
                Double(calls.cacheRead[row]) < options.cachingMaxReadShare * Double(prompt)
            else { continue }
            rows[GroupKey(calls, row), default: []].append(row)
        }
        let totals = context.callsPerGroup()
        var shareParts: [GroupKey: (read: Int64, prompt: Int64)] = [:]
        for row in 0..<calls.count {
            let key = GroupKey(calls, row)
            guard rows[key] != nil else { continue }
            shareParts[key, default: (0, 0)].read += calls.cacheRead[row]
            shareParts[key, default: (0, 0)].prompt += calls.input[row] + calls.cacheRead[row] + calls.cacheWrite[row]
        }
        var found: [Recommendation] = []
        for (key, group) in rows.sorted(by: { $0.key < $1.key }) {
            let provider = calls.name(key.provider), model = calls.name(key.model), agent = calls.name(key.agent)
            guard let price = context.book.price(provider: provider, model: model) else { continue }
            let readPrice = price.cacheRead ?? price.input
            let writePremium = max(0, (price.cacheWrite ?? price.input) - price.input)
            guard readPrice < price.input else { continue }
            let ordered = group.sorted { (calls.session[$0], calls.ts[$0], $0) < (calls.session[$1], calls.ts[$1], $1) }
            var uncached: Int64 = 0, cacheable: Int64 = 0, written: Int64 = 0
            var previous: Int?
            for row in ordered {
                let input = calls.input[row]
                var read: Int64 = 0
                if let p = previous, calls.session[p] == calls.session[row],
                    Double(calls.ts[row] - calls.ts[p]) <= options.cacheTTLSeconds * 1_000_000
                {
                    read = min(input, calls.input[p])
                }
                uncached += input
                cacheable += read
                written += input - read
                previous = row
            }
            let perToken = 1e-6
            let costNow = Double(uncached) * price.input * perToken
            let saving = (Double(cacheable) * (price.input - readPrice) - Double(written) * writePremium) * perToken
            guard saving > 0 else { continue }
            var evidence = RecommendationEvidence(
                period: context.period, calls: group.count, groupCalls: totals[key] ?? group.count,
                costUSD: costNow, costAfterUSD: costNow - saving)
            evidence.tokens = uncached
            evidence.cacheableTokens = cacheable
            let share = shareParts[key] ?? (0, 0)
            evidence.cacheReadShare = share.prompt > 0 ? Double(share.read) / Double(share.prompt) : 0
            let ttl = RecommendationText.number(options.cacheTTLSeconds)
            found.append(
                Recommendation(
                    kind: .promptCaching,
                    title: "Turn on prompt caching for agent \(agent) on \(provider)/\(model): \(group.count) calls resent large prompts uncached",
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
