import SQLiteStore
/// The SQLite catalog beside the lake: sources read, runs, snapshots and the parts each makes live.
/// Readers only see parts of a committed snapshot; a run commits all its changes in one transaction.
package final class Catalog {
    package let database: SQLiteDatabase
    package static let fileName = "catalog.sqlite"

    /// Opens `<dataDir>/catalog.sqlite`, creating and migrating the schema unless `readOnly`.
    package init(dataDir: String, readOnly: Bool = false) throws {
        database = try SQLiteDatabase(path: dataDir + "/" + Catalog.fileName, readOnly: readOnly)
        if !readOnly { try migrate() }
    }

    private func migrate() throws {
        let version = try database.scalarInt("PRAGMA user_version") ?? 0
        if version < 1 {
            try database.transaction {
                try database.execute(
                    """
                    CREATE TABLE IF NOT EXISTS runs(
                        run_id INTEGER PRIMARY KEY, command TEXT NOT NULL, started_us INTEGER NOT NULL,
                        finished_us INTEGER, status TEXT NOT NULL DEFAULT 'running', summary TEXT);
                    CREATE TABLE IF NOT EXISTS snapshots(
                        snapshot_id INTEGER PRIMARY KEY, run_id INTEGER, committed_us INTEGER NOT NULL, note TEXT);
                    CREATE TABLE IF NOT EXISTS parts(
                        part_id INTEGER PRIMARY KEY, table_name TEXT NOT NULL, date TEXT NOT NULL,
                        path TEXT NOT NULL UNIQUE, row_count INTEGER NOT NULL, byte_size INTEGER NOT NULL,
                        added_snapshot INTEGER NOT NULL, removed_snapshot INTEGER);
                    CREATE INDEX IF NOT EXISTS parts_live ON parts(table_name, date) WHERE removed_snapshot IS NULL;
                    CREATE TABLE IF NOT EXISTS sources(
                        path TEXT PRIMARY KEY, kind TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
                        offset INTEGER NOT NULL, line_count INTEGER NOT NULL, fingerprint TEXT NOT NULL,
                        parser_state TEXT, updated_snapshot INTEGER);
                    CREATE TABLE IF NOT EXISTS source_dates(
                        path TEXT NOT NULL, table_name TEXT NOT NULL, date TEXT NOT NULL,
                        PRIMARY KEY(path, table_name, date)) WITHOUT ROWID;
                    CREATE TABLE IF NOT EXISTS seen_calls(key INTEGER PRIMARY KEY, path TEXT NOT NULL);
                    CREATE INDEX IF NOT EXISTS seen_calls_path ON seen_calls(path);
                    CREATE TABLE IF NOT EXISTS alert_state(key TEXT PRIMARY KEY, value TEXT, updated_us INTEGER);
                    PRAGMA user_version = 1;
                    """)
            }
        }
        if try (database.scalarInt("PRAGMA user_version") ?? 0) < 2 {
            // Dedupe keys name their source by a small id instead of repeating its path per call:
            // the catalog is copied into every nightly backup, and this was most of its size.
            try database.transaction {
                try database.execute(
                    """
                    CREATE TABLE IF NOT EXISTS source_keys(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);
                    INSERT OR IGNORE INTO source_keys(path) SELECT DISTINCT path FROM seen_calls;
                    CREATE TABLE seen_calls_v2(key INTEGER PRIMARY KEY, source INTEGER NOT NULL);
                    INSERT INTO seen_calls_v2 SELECT s.key, k.id FROM seen_calls s JOIN source_keys k ON k.path = s.path;
                    DROP TABLE seen_calls;
                    ALTER TABLE seen_calls_v2 RENAME TO seen_calls;
                    CREATE INDEX seen_calls_source ON seen_calls(source);
                    PRAGMA user_version = 2;
                    """)
            }
        }
        if try (database.scalarInt("PRAGMA user_version") ?? 0) < 3 {
            // Calls are identified from the lake's own columns (`CallIdentities` in Ingest), so the
            // per-call rows go: they grew with the history (10 M calls made a 488 MB catalog that
            // every backup copied). Every key in them belongs to a row still in the lake, so
            // nothing is lost. `sources` is keyed by its path alone (WITHOUT ROWID: the path is
            // not stored a second time in an index), and `source_dates` keeps only the tables whose
            // rows a rewrite replaces (one file per chat session makes these per-file rows count).
            // VACUUM (outside the transaction) and a checkpoint give the pages back to the disk.
            let hadTable = try database.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'seen_calls'") == 1
            let perCall = hadTable ? try database.scalarInt("SELECT EXISTS(SELECT 1 FROM seen_calls)") ?? 0 : 0
            try database.transaction {
                try database.execute(
                    """
                    DROP INDEX IF EXISTS seen_calls_source;
                    DROP INDEX IF EXISTS seen_calls_path;
                    DROP TABLE IF EXISTS seen_calls;
                    DROP TABLE IF EXISTS source_keys;
                    CREATE TABLE sources_v3(
                        path TEXT PRIMARY KEY, kind TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
                        offset INTEGER NOT NULL, line_count INTEGER NOT NULL, fingerprint TEXT NOT NULL,
                        parser_state TEXT, updated_snapshot INTEGER) WITHOUT ROWID;
                    INSERT INTO sources_v3 SELECT path, kind, size, mtime_ns, offset, line_count, fingerprint, parser_state, updated_snapshot FROM sources;
                    DROP TABLE sources;
                    ALTER TABLE sources_v3 RENAME TO sources;
                    DELETE FROM source_dates WHERE table_name = 'requests';
                    PRAGMA user_version = 3;
                    """)
            }
            if perCall > 0 { try database.execute("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);") }
        }
        if try (database.scalarInt("PRAGMA user_version") ?? 0) < 4 {
            // Transcripts are kept as one packed BLOB per directory (`SourcePack`, ~40 bytes a
            // file) instead of a row per file (~280 bytes, most of it the path and the parser
            // state's JSON): a year of one-file-per-session transcripts made the catalog a third
            // of the lake. Rows a record cannot give back exactly stay rows.
            let moved = try database.transaction {
                try database.execute(
                    """
                    CREATE TABLE IF NOT EXISTS source_packs(
                        dir TEXT PRIMARY KEY, records BLOB NOT NULL, updated_snapshot INTEGER NOT NULL);
                    """)
                let known = try KnownSources(database: database, kinds: [KnownSources.packedKind])
                let moved = try known.packRows(snapshot: latestSnapshot() ?? 0)
                try known.write()
                try database.execute("PRAGMA user_version = 4")
                return moved
            }
            if moved > 1000 { try database.execute("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);") }
        }
        try Catalog.createSessionStoreTables(database)
        try Catalog.createRollupTrigger(database)
    }

    // MARK: Snapshots and parts

    /// The newest committed snapshot id, or nil for an empty lake.
    package func latestSnapshot() throws -> Int64? {
        try database.scalarInt("SELECT max(snapshot_id) FROM snapshots")
    }

    /// The newest snapshot committed at or before `micros` (epoch µs), or nil.
    package func snapshot(atOrBefore micros: Int64) throws -> Int64? {
        try database.scalarInt("SELECT max(snapshot_id) FROM snapshots WHERE committed_us <= ?", [.int(micros)])
    }

    /// Parts of `table` live in `snapshot` (default: the latest), optionally only dates in `from...to`.
    package func liveParts(table: String, asOf snapshot: Int64? = nil, from: String? = nil, to: String? = nil) throws -> [PartRecord] {
        let snap = try snapshot ?? latestSnapshot() ?? 0
        return try database.withStatement(
            """
            SELECT part_id, table_name, date, path, row_count, byte_size, added_snapshot, removed_snapshot FROM parts
            WHERE table_name = ? AND added_snapshot <= ? AND (removed_snapshot IS NULL OR removed_snapshot > ?)
              AND date >= ? AND date <= ? ORDER BY date, part_id
            """
        ) { statement in
            try statement.bind([.text(table), .int(snap), .int(snap), .text(from ?? ""), .text(to ?? "9999-12-31")])
            var parts: [PartRecord] = []
            while try statement.step() {
                var part = PartRecord(
                    table: statement.text(1), date: statement.text(2), path: statement.text(3),
                    rowCount: statement.int64(4), byteSize: statement.int64(5))
                part.id = statement.int64(0)
                part.addedSnapshot = statement.int64(6)
                part.removedSnapshot = statement.optionalInt(7)
                parts.append(part)
            }
            return parts
        }
    }

    /// Every part path the catalog knows (live or retired), relative to the data dir.
    package func allPartPaths() throws -> Set<String> {
        let statement = try database.prepare("SELECT path FROM parts")
        var paths = Set<String>()
        while try statement.step() { paths.insert(statement.text(0)) }
        return paths
    }

    /// Allocates the next snapshot inside the current transaction.
    package func newSnapshot(runID: Int64, committedMicros: Int64, note: String) throws -> Int64 {
        try database.withStatement("INSERT INTO snapshots(run_id, committed_us, note) VALUES(?,?,?)") {
            try $0.run([.int(runID), .int(committedMicros), .text(note)])
        }
        return database.lastInsertRowID
    }

    package func addPart(_ part: PartRecord, snapshot: Int64) throws {
        try database.withStatement("INSERT INTO parts(table_name, date, path, row_count, byte_size, added_snapshot) VALUES(?,?,?,?,?,?)") {
            try $0.run([.text(part.table), .text(part.date), .text(part.path), .int(part.rowCount), .int(part.byteSize), .int(snapshot)])
        }
    }

    package func retirePart(id: Int64, snapshot: Int64) throws {
        try database.withStatement("UPDATE parts SET removed_snapshot = ? WHERE part_id = ?") { try $0.run([.int(snapshot), .int(id)]) }
    }

    // MARK: Runs

    package func beginRun(command: String, startedMicros: Int64) throws -> Int64 {
        try database.prepare("INSERT INTO runs(command, started_us) VALUES(?, ?)").run([.text(command), .int(startedMicros)])
        return database.lastInsertRowID
    }

    package func finishRun(_ id: Int64, status: String, finishedMicros: Int64, summary: String) throws {
        try database.prepare("UPDATE runs SET status = ?, finished_us = ?, summary = ? WHERE run_id = ?")
            .run([.text(status), .int(finishedMicros), .text(summary), .int(id)])
    }

    // MARK: Sources

    /// The `sources` row of `path` (invoices; transcripts are looked up through ``KnownSources``).
    package func source(path: String) throws -> SourceState? {
        try database.withStatement(Catalog.sourceColumns + " WHERE path = ?") { statement in
            try statement.bind([.text(path)])
            return try statement.step() ? Catalog.sourceState(statement) : nil
        }
    }

    /// The `SELECT` of a `sources` row as ``sourceState(_:)`` reads it.
    static let sourceColumns = "SELECT path, kind, size, mtime_ns, offset, line_count, fingerprint, parser_state FROM sources"

    /// The state in the current row of a statement over ``sourceColumns``.
    static func sourceState(_ statement: SQLiteStatement) -> SourceState {
        SourceState(
            path: statement.text(0), kind: statement.text(1), size: statement.int64(2),
            mtimeNanos: statement.int64(3), offset: statement.int64(4), lineCount: statement.int64(5),
            fingerprint: statement.text(6), parserState: statement.optionalText(7))
    }

    /// Every source of `kinds` the catalog knows, looked up by path: one query for the rows and one
    /// for the packs instead of one per file (an installation has one transcript per chat session,
    /// tens of thousands of files). Transcripts are saved through it, and it writes their packs.
    package func knownSources(kinds: Set<String>) throws -> KnownSources {
        try KnownSources(database: database, kinds: kinds)
    }

    /// Saves a `sources` row (invoices, gateway logs; transcripts go through ``KnownSources``).
    package func saveSource(_ source: SourceState, snapshot: Int64) throws {
        try Catalog.saveSourceRow(source, snapshot: snapshot, in: database)
    }

    static func saveSourceRow(_ source: SourceState, snapshot: Int64, in database: SQLiteDatabase) throws {
        try database.withStatement(
            """
            INSERT INTO sources(path, kind, size, mtime_ns, offset, line_count, fingerprint, parser_state, updated_snapshot)
            VALUES(?,?,?,?,?,?,?,?,?)
            ON CONFLICT(path) DO UPDATE SET kind=excluded.kind, size=excluded.size, mtime_ns=excluded.mtime_ns,
              offset=excluded.offset, line_count=excluded.line_count, fingerprint=excluded.fingerprint,
              parser_state=excluded.parser_state, updated_snapshot=excluded.updated_snapshot
            """
        ) { statement in
            try statement.run([
                .text(source.path), .text(source.kind), .int(source.size), .int(source.mtimeNanos), .int(source.offset),
                .int(source.lineCount), .text(source.fingerprint), source.parserState.map { .text($0) } ?? .null, .int(snapshot)
            ])
        }
    }

    /// Records that `path` contributed rows to `table` on `date` (to find them again on a rewrite).
    package func noteSourceDate(path: String, table: String, date: String) throws {
        try database.withStatement("INSERT OR IGNORE INTO source_dates(path, table_name, date) VALUES(?,?,?)") {
            try $0.run([.text(path), .text(table), .text(date)])
        }
    }

    package func sourceDates(path: String) throws -> [(table: String, date: String)] {
        let statement = try database.prepare("SELECT table_name, date FROM source_dates WHERE path = ? ORDER BY 1, 2")
        try statement.bind([.text(path)])
        var result: [(String, String)] = []
        while try statement.step() { result.append((statement.text(0), statement.text(1))) }
        return result
    }

    /// Forgets `path` and what it contributed (before it is read again from the start).
    package func forgetSource(path: String) throws {
        try database.prepare("DELETE FROM source_dates WHERE path = ?").run([.text(path)])
        try database.prepare("DELETE FROM sources WHERE path = ?").run([.text(path)])
    }
}
