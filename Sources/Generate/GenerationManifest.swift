import Foundation

/// What the generator wrote, counted from its own bookkeeping with the same rules the oracle
/// (`Tests/tools/oracle_transcripts.py`) applies to the files, so the two can be compared.
package struct GenerationManifest: Codable, Sendable, Equatable {
    /// Token sums over counted calls.
    package struct Tokens: Codable, Sendable, Equatable {
        package var input: Int64 = 0
        package var output: Int64 = 0
        package var cache_read: Int64 = 0
        package var cache_write: Int64 = 0
        package var total: Int64 = 0
    }

    /// LLM calls (assistant rows minus synthetic ones, plus prompt errors), each entry once.
    package var calls = 0
    package var calls_by_agent: [String: Int] = [:]
    package var calls_by_provider: [String: Int] = [:]
    package var calls_by_model: [String: Int] = [:]
    package var calls_by_provider_model: [String: [String: Int]] = [:]
    package var calls_by_day: [String: Int] = [:]
    package var tokens = Tokens()
    /// Sum of logged `usage.cost.total` where > 0, exact, in 1e-15 USD (128 bits: a year of a
    /// fleet logs more than the 9,223 USD that 64 bits of femto-dollars hold).
    package var cost_logged_femto_usd: Int128 = 0
    package var cost_logged_by_day_femto_usd: [String: Int128] = [:]
    package var calls_with_logged_cost = 0
    /// `stopReason` error or aborted, plus prompt errors.
    package var error_calls = 0
    package var prompt_errors = 0
    package var errors_by_class: [String: Int] = [:]
    /// Non-JSON lines in counted files (a torn last line without newline excluded).
    package var malformed_lines = 0
    package var torn_lines = 0
    /// Copies of a counted entry in another counted file (compaction successors).
    package var duplicate_entries = 0
    /// Synthetic assistant rows written (delivery-mirror, gateway-injected, clawdbot, injected).
    package var synthetic_rows = 0
    package var negative_latency_calls = 0
    package var rewritten_entries = 0
    package var exponent_costs = 0
    package var unpriced_calls = 0
    package var zero_cost_calls_with_tokens = 0
    package var lone_surrogates = 0
    package var huge_tool_results = 0
    package var retried_turns = 0
    /// Files by kind: primary, topic, reset, deleted, successor, checkpoint, trajectory, bak, lock, sessions_json.
    package var files: [String: Int] = [:]
    package var transcript_bytes: Int64 = 0
    /// With `--store sqlite|mixed`: transcripts per place (jsonl only, both, imported into SQLite with
    /// the JSONL in the import archive, sqlite only).
    /// Absent for jsonl, so that layout's manifest is unchanged.
    package var store_sessions: [String: Int]?
    package var gateway_lines = 0
    package var gateway_lines_by_level: [String: Int] = [:]
    package var anomaly_day: String = ""
    package var anomaly_agent: String = ""

    package init() {}

    /// Logged cost in USD (for printing; comparisons should use the exact femto value).
    package var costLoggedUSD: Double { Double(cost_logged_femto_usd) / 1e15 }

    /// Adds another agent's counts into this one.
    mutating func merge(_ other: GenerationManifest) {
        calls += other.calls
        calls_by_agent.merge(other.calls_by_agent, uniquingKeysWith: +)
        calls_by_provider.merge(other.calls_by_provider, uniquingKeysWith: +)
        calls_by_model.merge(other.calls_by_model, uniquingKeysWith: +)
        for (provider, models) in other.calls_by_provider_model {
            calls_by_provider_model[provider, default: [:]].merge(models, uniquingKeysWith: +)
        }
        calls_by_day.merge(other.calls_by_day, uniquingKeysWith: +)
        tokens.input += other.tokens.input
        tokens.output += other.tokens.output
        tokens.cache_read += other.tokens.cache_read
        tokens.cache_write += other.tokens.cache_write
        tokens.total += other.tokens.total
        cost_logged_femto_usd += other.cost_logged_femto_usd
        cost_logged_by_day_femto_usd.merge(other.cost_logged_by_day_femto_usd, uniquingKeysWith: +)
        calls_with_logged_cost += other.calls_with_logged_cost
        error_calls += other.error_calls
        prompt_errors += other.prompt_errors
        errors_by_class.merge(other.errors_by_class, uniquingKeysWith: +)
        malformed_lines += other.malformed_lines
        torn_lines += other.torn_lines
        duplicate_entries += other.duplicate_entries
        synthetic_rows += other.synthetic_rows
        negative_latency_calls += other.negative_latency_calls
        rewritten_entries += other.rewritten_entries
        exponent_costs += other.exponent_costs
        unpriced_calls += other.unpriced_calls
        zero_cost_calls_with_tokens += other.zero_cost_calls_with_tokens
        lone_surrogates += other.lone_surrogates
        huge_tool_results += other.huge_tool_results
        retried_turns += other.retried_turns
        files.merge(other.files, uniquingKeysWith: +)
        transcript_bytes += other.transcript_bytes
        if let theirs = other.store_sessions { store_sessions = (store_sessions ?? [:]).merging(theirs, uniquingKeysWith: +) }
        gateway_lines += other.gateway_lines
        gateway_lines_by_level.merge(other.gateway_lines_by_level, uniquingKeysWith: +)
    }

    /// Pretty, key-sorted JSON (deterministic bytes).
    package func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
