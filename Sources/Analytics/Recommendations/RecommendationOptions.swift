/// The thresholds of every recommendation rule. The defaults are documented in the README
/// ("Recommendations"); each is a plain number so a config file or a test can change it.
package struct RecommendationOptions: Sendable, Equatable {
    /// Recommendations saving less than this per 30 days are not shown.
    package var minimumMonthlySavingUSD: Double = 1

    // Prompt caching
    /// Providers whose APIs cache prompts (explicitly or automatically).
    package var cachingProviders: Set<String> = [
        "anthropic", "openai", "openai-codex", "azure-openai", "google", "google-vertex", "amazon-bedrock",
        "openrouter", "deepseek", "moonshot", "zai", "minimax"
    ]
    /// A call qualifies when its uncached input is at least this many tokens ...
    package var cachingMinInputTokens: Int64 = 4096
    /// ... and its cache reads are below this share of its prompt (input + cache read + cache write).
    package var cachingMaxReadShare: Double = 0.2
    /// A qualifying call can read the previous qualifying call's prompt only within this many seconds.
    package var cacheTTLSeconds: Double = 300

    // Model right-sizing
    /// The smaller model suggested per model-name prefix (the longest matching prefix wins).
    package var smallerModels: [String: String] = [
        "claude-": "claude-haiku-4-5", "gpt-": "gpt-5-mini", "o1": "gpt-5-mini", "o3": "gpt-5-mini", "o4-": "gpt-5-mini",
        "gemini-": "gemini-2-5-flash"
    ]
    /// A call is small when its output is below this many tokens (and it made no tool call and succeeded).
    package var rightSizingMaxOutputTokens: Int64 = 100
    /// A call is to an expensive model when it cost at least this many times the smaller model's price.
    package var rightSizingMinPriceRatio: Double = 4

    // Runaway sessions
    /// A session runs away when its calls or cost exceed this multiple of the agent's median session ...
    package var runawayFactor: Double = 5
    /// ... and it has at least this many calls (for the call test) or this cost (for the cost test).
    package var runawayMinCalls: Int = 60
    package var runawayMinCostUSD: Double = 2
    /// Agents with fewer sessions in the period have no meaningful median.
    package var runawayMinSessions: Int = 5

    // Idle spend
    /// Sessions of one agent starting in the same slot of the day (UTC) are one scheduled job ...
    package var scheduleSlotMinutes: Int = 5
    /// ... when they run on at least this many days, covering at least this share of the days they span.
    package var scheduleMinRuns: Int = 7
    package var scheduleMinCoverage: Double = 0.5
    /// The last week's cost per run must exceed the first week's by this share ...
    package var idleMinCostGrowth: Double = 0.5
    /// ... while the output per run grew by at most this share.
    package var idleMaxOutputGrowth: Double = 0.1

    package init() {}
}
