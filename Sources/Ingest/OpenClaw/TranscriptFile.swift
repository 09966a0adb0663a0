import HomeBaseCore

/// One transcript file to read, with what its path says about it.
package struct TranscriptFile: Sendable, Equatable {
    package enum Kind: String, Sendable {
        /// `<sessionId>.jsonl` (also compaction successors `<ts>_<uuid>.jsonl`).
        case primary
        /// Telegram forum topic: `<sessionId>-topic-<topicId>.jsonl`.
        case topic
        /// `<sessionId>.jsonl.reset.<ts>` archive, or OpenClaw 2026.8+'s `….reset.<ts>.<generation>`.
        case reset
        /// `<sessionId>.jsonl.deleted.<ts>` archive, or OpenClaw 2026.8+'s `….deleted.<ts>.<generation>`.
        case deleted
        /// Pre-multi-agent layout `<stateDir>/sessions/*.jsonl` (agent `main`).
        case legacy
        /// `<sessionId>.checkpoint.<uuid>.jsonl`: a full pre-compaction copy (read; its calls dedupe).
        case checkpoint
    }

    package var path: String
    /// From the directory name (`agents/<agentId>/sessions`), `main` for the legacy layout.
    package var agentId: String
    /// From the file name; the header's `id` wins once read (see ``TranscriptParser``). For a
    /// hashed name (`session-<sha256>`) this is the hashed stem, and only the header knows the id.
    package var fileSessionId: String
    package var kind: Kind
    /// The name ends in `.zst`: the whole file is one zstd stream, read from the start each time.
    package var compressed = false
    /// The file sits in `sessions/session-sqlite-import-archive/` (JSONL that OpenClaw imported into SQLite).
    package var imported = false
    /// What `stat` said when the directory was listed (nil: not known; the ingest stats the path).
    package var status: DirectoryListing.FileStatus?
    /// Why the file cannot be read under `path` though it was listed (its name is not UTF-8).
    package var unreadable: String?

    package init(
        path: String, agentId: String, fileSessionId: String, kind: Kind, compressed: Bool = false, imported: Bool = false,
        listed entry: DirectoryListing.Entry? = nil
    ) {
        self.path = path
        self.agentId = agentId
        self.fileSessionId = fileSessionId
        self.kind = kind
        self.compressed = compressed
        self.imported = imported
        status = entry?.status
        if let entry, !entry.isUTF8 {
            unreadable = "the file name is not valid UTF-8, so it cannot be read or recorded; rename the file (e.g. convmv -f latin1 -t utf8)"
        }
    }

    /// Archives never grow: a last line without its newline is final, not a line still being written.
    package var isArchive: Bool { kind == .reset || kind == .deleted || compressed }

    /// The `sources` bucket of the ingest summary this file counts in.
    package var sourceKind: SourceKindCounts.Kind {
        if imported { return .importArchive }
        return isArchive ? .archiveFile : .jsonl
    }
}
