import Foundation
@testable import SQLiteStore

/// Writes OpenClaw-shaped SQLite session stores for tests, the way a gateway does (WAL mode):
/// `transcript_events(session_id, seq, event_json, created_at)`.
struct SessionStoreWriter {
    let path: String
    let database: SQLiteDatabase

    /// Creates (or opens) `<stateDir>/agents/<agent>/agent/openclaw-agent.sqlite`.
    init(stateDir: String, agent: String = "ops", schema: String? = nil) throws {
        path = SessionStoreWriter.path(stateDir: stateDir, agent: agent)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        database = try SQLiteDatabase(path: path)
        try database.execute(
            schema ?? """
                CREATE TABLE IF NOT EXISTS transcript_events(session_id TEXT NOT NULL, seq INTEGER NOT NULL,
                    event_json TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY(session_id, seq));
                """)
    }

    static func path(stateDir: String, agent: String) -> String {
        stateDir + "/agents/\(agent)/agent/openclaw-agent.sqlite"
    }

    /// Appends `lines` to `session` after its current last seq; created_at = seq (ms).
    func append(session: String, _ lines: [String]) throws {
        let last = try database.scalarInt("SELECT max(seq) FROM transcript_events WHERE session_id = ?", [.text(session)]) ?? 0
        let insert = try database.prepare("INSERT INTO transcript_events(session_id, seq, event_json, created_at) VALUES(?,?,?,?)")
        try database.transaction {
            for (i, line) in lines.enumerated() {
                try insert.run([.text(session), .int(last + Int64(i) + 1), .text(line), .int(last + Int64(i) + 1)])
            }
        }
    }

    /// Appends one raw BLOB body (e.g. a zstd frame) to `session`.
    func appendBlob(session: String, _ bytes: [UInt8]) throws {
        let last = try database.scalarInt("SELECT max(seq) FROM transcript_events WHERE session_id = ?", [.text(session)]) ?? 0
        try database.prepare("INSERT INTO transcript_events(session_id, seq, event_json, created_at) VALUES(?,?,?,?)")
            .run([.text(session), .int(last + 1), .blob(bytes), .int(last + 1)])
    }

    /// Deletes the store files (database, WAL, shared memory).
    static func remove(stateDir: String, agent: String = "ops") {
        let path = path(stateDir: stateDir, agent: agent)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}

extension Lines {
    /// `Lines.session` as separate lines (11 of them; the torn line is not part of it).
    static var sessionLines: [String] { session.split(separator: "\n").map(String.init) }

    /// A session header with another id.
    static func header(_ id: String) -> String {
        #"{"type":"session","version":3,"id":"\#(id)","timestamp":"2026-02-09T17:46:57.329Z","cwd":"/w"}"#
    }
}
