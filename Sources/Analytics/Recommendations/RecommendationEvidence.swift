/// The numbers behind a recommendation. Fields a kind does not use stay nil and are left out of
/// the JSON; `period_*`, `calls` and the costs are always there.
package struct RecommendationEvidence: Codable, Sendable, Equatable {
    /// The analysed period, UTC dates inclusive, and its length in days.
    package var periodFrom: String
    package var periodTo: String
    package var periodDays: Int
    /// Calls the recommendation is about (qualifying calls, failed attempts, calls of the sessions).
    package var calls: Int
    /// All calls of the same agent (and provider/model where the recommendation names them).
    package var groupCalls: Int
    /// `calls / groupCalls`.
    package var shareOfCalls: Double
    /// What those calls cost in the period (prompt caching: their uncached input at the book's input price).
    package var costUSD: Double
    /// What they would have cost after the change.
    package var costAfterUSD: Double
    /// `costUSD − costAfterUSD`: the saving in the period, before scaling to 30 days.
    package var periodSavingUSD: Double
    /// Tokens concerned: uncached input (caching), all tokens (right-sizing, retries), none otherwise.
    package var tokens: Int64?
    /// Prompt caching: tokens that would have been cache reads, the group's actual cache-read share.
    package var cacheableTokens: Int64?
    package var cacheReadShare: Double?
    /// Right-sizing: the model suggested instead.
    package var suggestedModel: String?
    /// Retry waste: the error class and the time from each failed attempt's start to its retry's start.
    package var errorClass: String?
    package var timeLostSeconds: Double?
    /// Runaway sessions and idle spend: the sessions concerned (largest first, at most 10).
    package var sessions: [SessionEvidence]?
    package var medianSessionCostUSD: Double?
    package var medianSessionCalls: Double?
    /// Idle spend: the schedule slot (`HH:MM UTC`) and the first and last week's means per run.
    package var schedule: String?
    package var runs: Int?
    package var firstWeekCostPerRunUSD: Double?
    package var lastWeekCostPerRunUSD: Double?
    package var firstWeekOutputPerRun: Double?
    package var lastWeekOutputPerRun: Double?
    package var lastWeekRunsPerDay: Double?

    enum CodingKeys: String, CodingKey {
        case periodFrom = "period_from", periodTo = "period_to", periodDays = "period_days"
        case calls, groupCalls = "group_calls", shareOfCalls = "share_of_calls"
        case costUSD = "cost_usd", costAfterUSD = "cost_after_usd", periodSavingUSD = "period_saving_usd"
        case tokens, cacheableTokens = "cacheable_tokens", cacheReadShare = "cache_read_share"
        case suggestedModel = "suggested_model", errorClass = "error_class", timeLostSeconds = "time_lost_seconds"
        case sessions, medianSessionCostUSD = "median_session_cost_usd", medianSessionCalls = "median_session_calls"
        case schedule, runs
        case firstWeekCostPerRunUSD = "first_week_cost_per_run_usd", lastWeekCostPerRunUSD = "last_week_cost_per_run_usd"
        case firstWeekOutputPerRun = "first_week_output_per_run", lastWeekOutputPerRun = "last_week_output_per_run"
        case lastWeekRunsPerDay = "last_week_runs_per_day"
    }

    package init(period: RecommendationPeriod, calls: Int, groupCalls: Int, costUSD: Double, costAfterUSD: Double) {
        periodFrom = period.from
        periodTo = period.to
        periodDays = period.days
        self.calls = calls
        self.groupCalls = groupCalls
        shareOfCalls = groupCalls > 0 ? Double(calls) / Double(groupCalls) : 0
        self.costUSD = costUSD
        self.costAfterUSD = costAfterUSD
        periodSavingUSD = costUSD - costAfterUSD
    }
}

/// One session named in the evidence.
package struct SessionEvidence: Codable, Sendable, Equatable {
    package var sessionId: String
    package var calls: Int
    package var costUSD: Double
    /// UTC date of the session's first call in the period.
    package var date: String

    enum CodingKeys: String, CodingKey {
        case sessionId = "session_id", calls, costUSD = "cost_usd", date
    }

    package init(sessionId: String, calls: Int, costUSD: Double, date: String) {
        self.sessionId = sessionId
        self.calls = calls
        self.costUSD = costUSD
        self.date = date
    }
}
