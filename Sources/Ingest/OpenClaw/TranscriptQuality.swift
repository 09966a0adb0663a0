/// Data-quality counts one ``TranscriptParser`` saw, for the run report: rows skipped on
/// purpose and values recorded as unknown. Counts are per parser (per file read), add them up.
package struct TranscriptQuality: Sendable, Equatable {
    /// Assistant rows returned as calls.
    package var assistantCalls = 0
    /// `openclaw:prompt-error` entries returned as failed calls.
    package var promptErrors = 0
    /// `openclaw`/`clawdbot`/`moltbot` `delivery-mirror`/`gateway-injected` rows skipped.
    package var syntheticRows = 0
    /// Clawdbot `stopReason:"injected"` rows skipped (slash-command replies, no provider/model).
    package var injectedRows = 0
    /// Calls whose entry timestamp precedes `message.timestamp`: latency recorded as unknown.
    package var negativeLatencies = 0
    /// Calls whose entry timestamp is more than an hour after `message.timestamp`: the entry was
    /// rewritten later (transcript repair), so latency is recorded as unknown.
    package var rewrittenEntryTimestamps = 0
    /// Calls without a parseable entry timestamp: latency recorded as unknown.
    package var missingEntryTimestamps = 0
    /// Calls without an entry `id` (legacy v1 rows): id synthesised as `ts:<message.timestamp>`.
    package var synthesizedEntryIds = 0
    /// User rows repeating the previous user row while a failed attempt was pending (failover
    /// retries re-append the user message); they do not end the retry chain.
    package var duplicateUserRows = 0
    /// Lines quarantined.
    package var quarantined = 0

    package init() {}

    package static func + (a: TranscriptQuality, b: TranscriptQuality) -> TranscriptQuality {
        var r = a
        r.assistantCalls += b.assistantCalls
        r.promptErrors += b.promptErrors
        r.syntheticRows += b.syntheticRows
        r.injectedRows += b.injectedRows
        r.negativeLatencies += b.negativeLatencies
        r.missingEntryTimestamps += b.missingEntryTimestamps
        r.rewrittenEntryTimestamps += b.rewrittenEntryTimestamps
        r.synthesizedEntryIds += b.synthesizedEntryIds
        r.duplicateUserRows += b.duplicateUserRows
        r.quarantined += b.quarantined
        return r
    }
}
