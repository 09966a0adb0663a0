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
}
