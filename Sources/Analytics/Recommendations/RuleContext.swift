import Lake
/// What every rule reads: the calls, the period, the thresholds and the price book.
struct RuleContext {
    let calls: RecommendationCalls
    let period: RecommendationPeriod
    let options: RecommendationOptions
    let book: PriceBook

    /// Calls per agent+provider+model (all statuses): the denominator of `share_of_calls`.
    func callsPerGroup() -> [GroupKey: Int] {
        Dictionary(uniqueKeysWithValues: zip(calls.groups, calls.groupCalls))
    }

    /// USD per million tokens, as the assumptions print them.
    func priceNote(_ model: String, _ price: ModelPrice) -> String {
        "Price book (as of \(book.asOf)) for \(model), USD per million tokens: input \(RecommendationText.number(price.input)), "
            + "output \(RecommendationText.number(price.output)), cache read \(price.cacheRead.map { RecommendationText.number($0) } ?? "none (input price)"), "
            + "cache write \(price.cacheWrite.map { RecommendationText.number($0) } ?? "not charged apart (input price)")."
    }
}

/// An agent + provider + model group.
struct GroupKey: Hashable, Comparable {
    var agent: Int32, provider: Int32, model: Int32

    init(agent: Int32, provider: Int32, model: Int32) {
        self.agent = agent
        self.provider = provider
        self.model = model
    }

    static func < (a: GroupKey, b: GroupKey) -> Bool {
        (a.agent, a.provider, a.model) < (b.agent, b.provider, b.model)
    }
}
