import Lake
/// What one transcript line turned out to be.
package enum TranscriptLine: Sendable, Equatable {
    /// One LLM call (an assistant row, or an `openclaw:prompt-error` entry).
    case call(CallRecord)
    /// A valid line that is not a call (user rows, tool results, headers, synthetic rows, …).
    case notACall
    /// A line that cannot be used; `reason` names the byte position and what is wrong.
    case quarantine(reason: String)
}
