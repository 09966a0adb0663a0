/// One cost-saving recommendation: what to change, for whom, the evidence from the period's own
/// calls, and the estimated monthly saving with the assumptions behind it.
package struct Recommendation: Codable, Sendable, Equatable {
    /// The five kinds, in their stable JSON spelling.
    package enum Kind: String, Codable, Sendable, CaseIterable {
        case promptCaching = "prompt_caching"
        case modelRightSizing = "model_right_sizing"
        case retryWaste = "retry_waste"
        case runawaySession = "runaway_session"
        case idleSpend = "idle_spend"
    }

    package var kind: Kind
    /// What to change, one line.
    package var title: String
    package var agent: String?
    package var model: String?
    package var provider: String?
    package var evidence: RecommendationEvidence
    /// The estimated saving over 30 days (the scaling is stated in `assumptions`).
    package var monthlySavingUSD: Double
    package var assumptions: [String]
    /// True when the figure assumes every concerned call or session can be changed.
    package var upperBound: Bool

    enum CodingKeys: String, CodingKey {
        case kind, title, agent, model, provider, evidence
        case monthlySavingUSD = "monthly_saving_usd"
        case assumptions
        case upperBound = "upper_bound"
    }

    package init(
        kind: Kind, title: String, agent: String? = nil, model: String? = nil, provider: String? = nil,
        evidence: RecommendationEvidence, monthlySavingUSD: Double, assumptions: [String], upperBound: Bool
    ) {
        self.kind = kind
        self.title = title
        self.agent = agent
        self.model = model
        self.provider = provider
        self.evidence = evidence
        self.monthlySavingUSD = monthlySavingUSD
        self.assumptions = assumptions
        self.upperBound = upperBound
    }
}
