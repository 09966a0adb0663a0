/// One transcript file to read, with what its path says about it.
package struct TranscriptFile: Sendable, Equatable {
    package enum Kind: String, Sendable {
        /// `<sessionId>.jsonl` (also compaction successors `<ts>_<uuid>.jsonl`).
        case primary
        /// Telegram forum topic: `<sessionId>-topic-<topicId>.jsonl`.
        case topic
        /// `<sessionId>.jsonl.reset.<ts>` archive.
        case reset
        /// `<sessionId>.jsonl.deleted.<ts>` archive.
        case deleted
        /// Pre-multi-agent layout `<stateDir>/sessions/*.jsonl` (agent `main`).
        case legacy
    }

    package var path: String
    /// From the directory name (`agents/<agentId>/sessions`), `main` for the legacy layout.
    package var agentId: String
    /// From the file name; the header's `id` wins once read (see ``TranscriptParser``).
    package var fileSessionId: String
    package var kind: Kind

    package init(path: String, agentId: String, fileSessionId: String, kind: Kind) {
        self.path = path
        self.agentId = agentId
        self.fileSessionId = fileSessionId
        self.kind = kind
    }
}
