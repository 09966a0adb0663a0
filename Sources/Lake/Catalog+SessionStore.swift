import SQLiteStore
/// Catalog state for OpenClaw's SQLite session stores: per session the (`seq`, `rowid`) mark,
/// the parser state and a hash of the last event read; per archive row whether it was read.
/// Nothing here identifies a call: calls are deduplicated by their own identity (the lake's columns),
/// so a store that was replaced, restored or rolled back is simply read again where it changed.
extension Catalog {
    /// One session's mark: events up to (`seq`, `rowid`) were read.
    package struct StoreMark: Sendable, Equatable {
        package var seq: Int64
        package var rowid: Int64 = 0
        package var parserState: String?
        package var lastHash: String

        package init(seq: Int64, rowid: Int64 = 0, parserState: String? = nil, lastHash: String) {
            self.seq = seq
            self.rowid = rowid
            self.parserState = parserState
            self.lastHash = lastHash
        }
    }

    /// Creates the store tables if missing and adds columns newer builds need (idempotent, so it
    /// does not compete for a schema version).
    static func createSessionStoreTables(_ database: SQLiteDatabase) throws {
        try database.execute(
            """
            CREATE TABLE IF NOT EXISTS store_databases(
                path TEXT PRIMARY KEY, identity TEXT NOT NULL, updated_snapshot INTEGER);
            CREATE TABLE IF NOT EXISTS store_sessions(
                path TEXT NOT NULL, session_id TEXT NOT NULL, seq INTEGER NOT NULL, parser_state TEXT,
                last_hash TEXT NOT NULL, updated_snapshot INTEGER, PRIMARY KEY(path, session_id)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS store_archives(
                path TEXT NOT NULL, session_id TEXT NOT NULL, generation TEXT NOT NULL, sha256 TEXT NOT NULL,
                status TEXT NOT NULL, updated_snapshot INTEGER, PRIMARY KEY(path, session_id, generation, sha256)) WITHOUT ROWID;
            """)
        let columns = try database.prepare("SELECT name FROM pragma_table_info('store_sessions')")
        var names: Set<String> = []
        while try columns.step() { names.insert(columns.text(0)) }
        if !names.contains("last_rowid") {
            try database.execute("ALTER TABLE store_sessions ADD COLUMN last_rowid INTEGER NOT NULL DEFAULT 0")
        }
    }

    /// What the store at `path` was last noted as (the count of odd event rows already quarantined), or nil.
    package func storeNote(path: String) throws -> String? {
        let statement = try database.prepare("SELECT identity FROM store_databases WHERE path = ?")
        try statement.bind([.text(path)])
        return try statement.step() ? statement.text(0) : nil
    }

    package func saveStoreNote(path: String, note: String, snapshot: Int64) throws {
        try database.prepare(
            """
            INSERT INTO store_databases(path, identity, updated_snapshot) VALUES(?,?,?)
            ON CONFLICT(path) DO UPDATE SET identity=excluded.identity, updated_snapshot=excluded.updated_snapshot
            """
        ).run([.text(path), .text(note), .int(snapshot)])
    }

    /// Every session mark of the store at `path`, by session id.
    package func storeMarks(path: String) throws -> [String: StoreMark] {
        let statement = try database.prepare("SELECT session_id, seq, last_rowid, parser_state, last_hash FROM store_sessions WHERE path = ?")
        try statement.bind([.text(path)])
        var marks: [String: StoreMark] = [:]
        while try statement.step() {
            marks[statement.text(0)] = StoreMark(
                seq: statement.int64(1), rowid: statement.int64(2),
                parserState: statement.optionalText(3), lastHash: statement.text(4))
        }
        return marks
    }

    package func saveStoreMark(path: String, session: String, mark: StoreMark, snapshot: Int64) throws {
        try database.withStatement(
            """
            INSERT INTO store_sessions(path, session_id, seq, last_rowid, parser_state, last_hash, updated_snapshot) VALUES(?,?,?,?,?,?,?)
            ON CONFLICT(path, session_id) DO UPDATE SET seq=excluded.seq, last_rowid=excluded.last_rowid,
              parser_state=excluded.parser_state, last_hash=excluded.last_hash, updated_snapshot=excluded.updated_snapshot
            """
        ) {
            try $0.run([
                .text(path), .text(session), .int(mark.seq), .int(mark.rowid), mark.parserState.map { .text($0) } ?? .null,
                .text(mark.lastHash), .int(snapshot)
            ])
        }
    }

    /// `status` (`read` or `failed`) of every archive row of the store at `path` already looked at,
    /// by `session_id\0generation\0sha256`.
    package func storeArchives(path: String) throws -> [String: String] {
        let statement = try database.prepare("SELECT session_id, generation, sha256, status FROM store_archives WHERE path = ?")
        try statement.bind([.text(path)])
        var seen: [String: String] = [:]
        while try statement.step() {
            seen[statement.text(0) + "\u{0}" + statement.text(1) + "\u{0}" + statement.text(2)] = statement.text(3)
        }
        return seen
    }

    package func saveStoreArchive(path: String, sessionId: String, generation: String, sha256: String, status: String, snapshot: Int64) throws {
        try database.withStatement(
            """
            INSERT INTO store_archives(path, session_id, generation, sha256, status, updated_snapshot) VALUES(?,?,?,?,?,?)
            ON CONFLICT(path, session_id, generation, sha256) DO UPDATE SET status=excluded.status, updated_snapshot=excluded.updated_snapshot
            """
        ) { try $0.run([.text(path), .text(sessionId), .text(generation), .text(sha256), .text(status), .int(snapshot)]) }
    }
}
