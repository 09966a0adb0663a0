import HomeBaseCore
/// The state a ``TranscriptParser`` carries between incremental reads of one file.
extension TranscriptParser {
    package struct State: Sendable, Equatable {
        /// The header's `id`, once seen (else calls use the id from the file name).
        package var sessionId: String?
        /// Entry id of the last failed call of the current turn (the next call retries it).
        package var lastFailedEntryId: String?
        /// Start time (µs) of that failed call; a prompt error's is when it was recorded.
        package var lastFailedTimestampMicros: Int64?
        /// Hash of the last user row's content, to recognise a failover's duplicated user row.
        package var lastUserContentHash: UInt64?

        package init(
            sessionId: String? = nil, lastFailedEntryId: String? = nil, lastFailedTimestampMicros: Int64? = nil,
            lastUserContentHash: UInt64? = nil
        ) {
            self.sessionId = sessionId
            self.lastFailedEntryId = lastFailedEntryId
            self.lastFailedTimestampMicros = lastFailedTimestampMicros
            self.lastUserContentHash = lastUserContentHash
        }

        /// Compact JSON, e.g. `{"v":1,"session":"…","failed":"…","failedAt":…,"user":"9f…"}`; absent fields omitted.
        package func encoded() -> String {
            var parts = ["\"v\":1"]
            if let sessionId { parts.append("\"session\":" + JSONQuote.quote(sessionId)) }
            if let lastFailedEntryId { parts.append("\"failed\":" + JSONQuote.quote(lastFailedEntryId)) }
            if let lastFailedTimestampMicros { parts.append("\"failedAt\":\(lastFailedTimestampMicros)") }
            if let lastUserContentHash { parts.append("\"user\":\"" + String(lastUserContentHash, radix: 16) + "\"") }
            return "{" + parts.joined(separator: ",") + "}"
        }

        /// Reads ``encoded()`` output; `nil` if the text is not a state of a known version.
        package init?(encoded: String) {
            guard let value = try? JSONValue.parse(encoded), case .object = value,
                value["v"] == .number("1")
            else { return nil }
            sessionId = value["session"]?.stringValue
            lastFailedEntryId = value["failed"]?.stringValue
            if let at = value["failedAt"] {
                guard case let .number(text) = at, let micros = Int64(text) else { return nil }
                lastFailedTimestampMicros = micros
            }
            if let hex = value["user"]?.stringValue {
                guard let hash = UInt64(hex, radix: 16) else { return nil }
                lastUserContentHash = hash
            }
        }
    }
}
