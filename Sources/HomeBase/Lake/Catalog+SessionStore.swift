/// Catalog state for OpenClaw's SQLite session stores: per database its identity, and per
/// session the `seq` high-water mark, the parser state and a hash of the last event read.
extension Catalog {
    /// One session's mark: events up to `seq` are in the lake.
    package struct StoreMark: Sendable, Equatable {
        package var seq: Int64
        package var parserState: String?
        package var lastHash: String
    }

    /// Creates the store tables if missing (idempotent, so it does not compete for a schema version).
    static func createSessionStoreTables(_ database: SQLiteDatabase) throws {
        try database.execute("""
            CREATE TABLE IF NOT EXISTS store_databases(
                path TEXT PRIMARY KEY, identity TEXT NOT NULL, updated_snapshot INTEGER);
            CREATE TABLE IF NOT EXISTS store_sessions(
                path TEXT NOT NULL, session_id TEXT NOT NULL, seq INTEGER NOT NULL, parser_state TEXT,
                last_hash TEXT NOT NULL, updated_snapshot INTEGER, PRIMARY KEY(path, session_id)) WITHOUT ROWID;
            """)
    }

    /// The identity recorded for the store at `path`, or nil when it was never read.
    package func storeIdentity(path: String) throws -> String? {
        let statement = try database.prepare("SELECT identity FROM store_databases WHERE path = ?")
        try statement.bind([.text(path)])
        return try statement.step() ? statement.text(0) : nil
    }

    package func saveStoreIdentity(path: String, identity: String, snapshot: Int64) throws {
        try database.prepare("""
            INSERT INTO store_databases(path, identity, updated_snapshot) VALUES(?,?,?)
            ON CONFLICT(path) DO UPDATE SET identity=excluded.identity, updated_snapshot=excluded.updated_snapshot
            """).run([.text(path), .text(identity), .int(snapshot)])
    }

    /// Every session mark of the store at `path`, by session id.
    package func storeMarks(path: String) throws -> [String: StoreMark] {
        let statement = try database.prepare("SELECT session_id, seq, parser_state, last_hash FROM store_sessions WHERE path = ?")
        try statement.bind([.text(path)])
        var marks: [String: StoreMark] = [:]
        while try statement.step() {
            marks[statement.text(0)] = StoreMark(seq: statement.int64(1), parserState: statement.optionalText(2), lastHash: statement.text(3))
        }
        return marks
    }

    package func saveStoreMark(path: String, session: String, mark: StoreMark, snapshot: Int64) throws {
        try database.prepare("""
            INSERT INTO store_sessions(path, session_id, seq, parser_state, last_hash, updated_snapshot) VALUES(?,?,?,?,?,?)
            ON CONFLICT(path, session_id) DO UPDATE SET seq=excluded.seq, parser_state=excluded.parser_state,
              last_hash=excluded.last_hash, updated_snapshot=excluded.updated_snapshot
            """).run([.text(path), .text(session), .int(mark.seq), mark.parserState.map { .text($0) } ?? .null,
                      .text(mark.lastHash), .int(snapshot)])
    }

    /// Forgets the store at `path` (before it is read again from the start); its rows are removed by the caller.
    package func forgetStore(path: String) throws {
        try database.prepare("DELETE FROM store_sessions WHERE path = ?").run([.text(path)])
        try database.prepare("DELETE FROM store_databases WHERE path = ?").run([.text(path)])
        try forgetSource(path: path)
    }
}
