/// One LLM call as parsed from a transcript line, before pricing (the `requests` row minus
/// the cost columns that the price book fills in). See DESIGN.md, "Canonical requests columns".
package struct CallRecord: Sendable, Equatable {
    /// Call start, `message.timestamp` (epoch µs, UTC); for prompt errors `data.timestamp`.
    package var timestampMicros: Int64
    package var agentId: String
    package var sessionId: String
    package var entryId: String
    package var provider: String
    package var model: String
    package var api: String
    package var inputTokens: Int64 = 0
    package var outputTokens: Int64 = 0
    package var cacheReadTokens: Int64 = 0
    package var cacheWriteTokens: Int64 = 0
    package var totalTokens: Int64 = 0
    /// `usage.cost.total` as logged; `nil` when absent.
    package var costLoggedUSD: Double?
    /// Entry time − start, in ms; `nil` when unknown or negative (a data-quality note).
    package var latencyMs: Double?
    package var stopReason: String
    /// `ok` or `error`.
    package var status: String
    /// One of the classes in DESIGN.md, or `nil` for successful calls.
    package var errorClass: String?
    /// Raw error text, truncated to 1 KiB (UTF-8 safe).
    package var errorMessage: String?
    /// Entry id of the failed attempt this call retries (same session, same turn).
    package var retryOf: String?
    package var toolCalls: Int32 = 0
    package var sourceFile: String
    /// 1-based line number in `sourceFile`.
    package var sourceLine: Int64

    package init(
        timestampMicros: Int64, agentId: String, sessionId: String, entryId: String,
        provider: String, model: String, api: String, stopReason: String, status: String,
        sourceFile: String, sourceLine: Int64
    ) {
        self.timestampMicros = timestampMicros
        self.agentId = agentId
        self.sessionId = sessionId
        self.entryId = entryId
        self.provider = provider
        self.model = model
        self.api = api
        self.stopReason = stopReason
        self.status = status
        self.sourceFile = sourceFile
        self.sourceLine = sourceLine
    }
}
