/// How `homebase generate --store` lays out the transcripts of a state directory.
package enum SessionStoreLayout: String, Sendable, CaseIterable {
    /// `agents/<id>/sessions/*.jsonl` files, as OpenClaw builds before mid-2026 write them.
    case jsonl
    /// Every transcript in `agents/<id>/agent/openclaw-agent.sqlite` (`transcript_events`).
    case sqlite
    /// A state directory migrated half-way through the period: older sessions imported into
    /// SQLite with their JSONL moved to `sessions/session-sqlite-import-archive/`, some left
    /// file-backed only, some in both places, and every session after the migration only in SQLite.
    case mixed
    /// OpenClaw 2026.8+ as it ages: agents migrated into SQLite (older sessions imported, their
    /// JSONL in the import archive) with deleted and reset sessions moved out of
    /// `transcript_events` into `session_transcript_archives` rows (plain or zstd; most also
    /// published as `<sid>.jsonl.<reason>.<ts>.<generation>[.zst]` files, some still pending,
    /// some under a hashed `session-<sha256>` name), beside one agent never migrated (JSONL with
    /// `.zst` deleted archives).
    case current
    /// The same state before any session was archived: every session still live in
    /// `transcript_events` (or as a `.jsonl` file for the agent never migrated). Archiving this
    /// in place gives `current`; tests use the pair to ingest one history two ways.
    case currentLive = "current-live"
}
