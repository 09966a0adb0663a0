import Lake
/// A content fingerprint for deduplicating calls whose entry was re-written with a new entry id.
extension CallRecord {
    /// Agent, event time, provider, model, stop reason and the usage tuple, joined.
    ///
    /// The dedupe key (agentId, entryId, message.timestamp) misses rows that a transcript repair
    /// re-appended under new entry ids (sirdeuce sample lines 101-108 copy lines 65-91 with new
    /// ids and the same `message.timestamp`); this key catches them, as openclaw-logs.md §6 suggests.
    package var contentFingerprint: String {
        "\(agentId)|\(timestampMicros)|\(provider)|\(model)|\(stopReason)|\(inputTokens)|\(outputTokens)|\(cacheReadTokens)|\(cacheWriteTokens)"
    }
}
