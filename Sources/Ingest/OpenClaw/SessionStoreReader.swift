import Foundation
import HomeBaseCore
import SQLiteStore

/// Reads an OpenClaw SQLite session store (`openclaw-agent.sqlite`) while the gateway may be
/// writing to it: opened read-only (WAL respected, no `immutable`), every query a short read
/// transaction of its own, `busy_timeout` set. Two tables hold transcripts:
/// `transcript_events(session_id, seq, event_json, created_at)` (live sessions) and
/// `session_transcript_archives` (deleted and reset sessions, whole JSONL per row, plain or zstd).
package final class SessionStoreReader {
    /// A store we cannot read: not a database, or a table or column missing. Says what was expected.
    package struct Failure: Error, CustomStringConvertible, Sendable {
        package var path: String
        package var message: String
        package var description: String { "\(path): \(message)" }
    }

    /// One session of the store: its last `seq` now and how many well-typed events it has.
    package struct Session: Sendable, Equatable {
        package var id: String
        package var maxSeq: Int64
        package var events: Int64 = 0
    }

    /// One event: its `seq`, its `rowid` (0 when the table has none) and the stored body bytes.
    package struct Event: Sendable {
        package var seq: Int64
        package var rowid: Int64 = 0
        package var body: [UInt8]
    }

    /// Where reading a session stopped: events up to (`seq`, `rowid`) are read. Events sharing a
    /// `seq` are told apart by `rowid`, so none is skipped however many share one.
    package struct Position: Sendable, Equatable, Comparable {
        package var seq: Int64
        package var rowid: Int64
        package static let start = Position(seq: .min, rowid: .min)
        package static func < (a: Position, b: Position) -> Bool { (a.seq, a.rowid) < (b.seq, b.rowid) }
    }

    /// One row of `session_transcript_archives` (metadata only; the blob is streamed on demand).
    package struct Archive: Sendable, Equatable {
        package var rowid: Int64
        package var sessionId: String
        package var generation: String
        package var reason: String
        package var encoding: String
        package var size: Int64
        package var sha256: String
        package var name: String
        package var createdAt: Int64
        package var published: Bool
    }

    /// An event row whose `session_id` or `seq` has the wrong type: not readable as a transcript line.
    package struct OddEvent: Sendable {
        package var rowid: Int64
        package var reason: String
        package var excerpt: String
    }

    package static let table = "transcript_events"
    package static let archiveTable = "session_transcript_archives"
    package static let expected = "transcript_events(session_id, seq, event_json[, created_at]) as in OpenClaw's openclaw-agent.sqlite"

    package let path: String
    let database: SQLiteDatabase
    let hasCreatedAt: Bool
    /// False for a `WITHOUT ROWID` table: events are then told apart by `seq` alone.
    package let hasRowid: Bool
    /// The store has a usable `session_transcript_archives` table.
    package let hasArchives: Bool
    /// Why the archive table is present but unusable (columns missing), or nil.
    package let archiveProblem: String?
    /// Prepared once, reset after every use (a statement left stepping would hold its read transaction).
    private var eventsStatement: SQLiteStatement?
    private var eventStatement: SQLiteStatement?

    /// Opens the store read-only and checks its schema.
    /// - Throws: ``Failure`` naming the path and what was expected.
    package init(path: String) throws {
        self.path = path
        do {
            database = try SQLiteDatabase(path: path, readOnly: true)
        } catch {
            throw Failure(path: path, message: "cannot open the SQLite session store: \(error.message)")
        }
        var kind = ""
        var names: Set<String> = []
        var archiveNames: Set<String> = []
        do {
            kind = try Self.objectType(database, Self.table) ?? ""
            names = try Self.columns(database, Self.table)
            if try Self.objectType(database, Self.archiveTable) == "table" { archiveNames = try Self.columns(database, Self.archiveTable) }
        } catch {
            throw Failure(path: path, message: "cannot read the SQLite session store: \(error)")
        }
        guard !kind.isEmpty else {
            throw Failure(path: path, message: "no table \(Self.table); expected \(Self.expected). Not read")
        }
        guard kind == "table" else {
            throw Failure(
                path: path,
                message: "\(Self.table) is a \(kind), not a table; expected \(Self.expected). Not read "
                    + "(a view could be endless; point Home Base at OpenClaw's own store)")
        }
        let missing = ["session_id", "seq", "event_json"].filter { !names.contains($0) }
        guard missing.isEmpty else {
            throw Failure(
                path: path,
                message: "table \(Self.table) has no column \(missing.joined(separator: ", ")) "
                    + "(it has \(names.sorted().joined(separator: ", "))); expected \(Self.expected). Not read")
        }
        hasCreatedAt = names.contains("created_at")
        hasRowid = (try? database.prepare("SELECT rowid FROM \(Self.table) LIMIT 0")) != nil
        let needed = ["session_id", "generation", "reason", "encoding", "archive_blob", "archive_sha256", "archive_name", "created_at"]
        let archiveMissing = needed.filter { !archiveNames.contains($0) }
        hasArchives = !archiveNames.isEmpty && archiveMissing.isEmpty
        archiveProblem =
            archiveNames.isEmpty || archiveMissing.isEmpty
            ? nil
            : "table \(Self.archiveTable) has no column \(archiveMissing.joined(separator: ", ")); its archived transcripts are not read"
    }

    private static func objectType(_ database: SQLiteDatabase, _ name: String) throws -> String? {
        let statement = try database.prepare("SELECT type FROM sqlite_master WHERE name = ?")
        defer { statement.reset() }
        try statement.bind([.text(name)])
        return try statement.step() ? statement.text(0) : nil
    }

    private static func columns(_ database: SQLiteDatabase, _ table: String) throws -> Set<String> {
        let info = try database.prepare("SELECT name FROM pragma_table_info('\(table)')")
        defer { info.reset() }
        var names: Set<String> = []
        while try info.step() { names.insert(info.text(0)) }
        return names
    }

    /// Every session with its current last `seq`. Only `(session_id, seq)` is read, which the
    /// primary key covers: the event bodies (often in overflow pages) are not touched. Rows whose
    /// `session_id` is not text or whose `seq` is not an integer are left to ``oddEvents()``.
    package func sessions() throws -> [Session] {
        let statement = try query(
            """
            SELECT session_id, max(seq), count(*) FROM \(Self.table)
            WHERE typeof(session_id) = 'text' AND typeof(seq) = 'integer' GROUP BY session_id
            """)
        defer { statement.reset() }
        var result: [Session] = []
        while try step(statement) {
            result.append(Session(id: statement.text(0), maxSeq: statement.int64(1), events: statement.int64(2)))
        }
        return result
    }

    /// Events that cannot be placed in a session: a `session_id` that is not text or a `seq` that
    /// is not an integer (NULL, real, text). They are quarantined, never silently skipped.
    package func oddEvents(limit: Int = 10_000) throws -> (count: Int64, sample: [OddEvent]) {
        let condition = "typeof(session_id) != 'text' OR typeof(seq) != 'integer'"
        let count = try scalar("SELECT count(*) FROM \(Self.table) WHERE \(condition)")
        guard count > 0 else { return (0, []) }
        let rowid = hasRowid ? "rowid" : "0"
        let statement = try query(
            """
            SELECT \(rowid), typeof(session_id), CAST(session_id AS TEXT), typeof(seq), CAST(seq AS TEXT),
                   substr(CAST(event_json AS TEXT), 1, 1024)
            FROM \(Self.table) WHERE \(condition) LIMIT \(limit)
            """)
        defer { statement.reset() }
        var sample: [OddEvent] = []
        while try step(statement) {
            let reason =
                "event with session_id \(statement.text(1)) '\(statement.text(2))' and seq \(statement.text(3)) '\(statement.text(4))': "
                + "OpenClaw writes a text session_id and an integer seq, so this row cannot be placed in a session; not counted "
                + "(repair the row in \(path) and run ingest again)"
            sample.append(OddEvent(rowid: statement.int64(0), reason: reason, excerpt: statement.text(5)))
        }
        return (count, sample)
    }

    /// `created_at` of the session's first event, as text ("" without that column): sessions are
    /// read in this order so that a session comes before a compaction successor that copied it.
    package func firstCreated(session: String) throws -> String {
        guard hasCreatedAt else { return "" }
        let statement = try query(
            "SELECT CAST(created_at AS TEXT) FROM \(Self.table) WHERE session_id = ? AND typeof(seq) = 'integer' ORDER BY seq LIMIT 1")
        defer { statement.reset() }
        try bind(statement, [.text(session)])
        return try step(statement) ? statement.text(0) : ""
    }

    /// Up to `limit` events of `session` after `after` and with `seq <= through`, in (`seq`, `rowid`) order.
    package func events(session: String, after: Position, through: Int64, limit: Int) throws -> [Event] {
        let rowid = hasRowid ? "rowid" : "0"
        let page = hasRowid ? "(seq > ? OR (seq = ? AND rowid > ?))" : "(seq > ? OR (seq = ? AND 0 > ?))"
        let statement =
            try eventsStatement
            ?? query(
                """
                SELECT seq, \(rowid), event_json FROM \(Self.table)
                WHERE session_id = ? AND typeof(seq) = 'integer' AND \(page) AND seq <= ? ORDER BY seq, \(rowid) LIMIT ?
                """)
        eventsStatement = statement
        defer { statement.reset() }  // ends this read transaction now, not when the statement is reused
        try bind(statement, [.text(session), .int(after.seq), .int(after.seq), .int(after.rowid), .int(through), .int(Int64(limit))])
        var result: [Event] = []
        while try step(statement) { result.append(Event(seq: statement.int64(0), rowid: statement.int64(1), body: statement.bytes(2))) }
        return result
    }

    /// The body of the event at `position`, or nil when there is no such row.
    package func event(session: String, at position: Position) throws -> [UInt8]? {
        let rowid = hasRowid ? "rowid" : "0"
        let statement = try eventStatement ?? query("SELECT event_json FROM \(Self.table) WHERE session_id = ? AND seq = ? AND \(rowid) = ?")
        eventStatement = statement
        defer { statement.reset() }
        try bind(statement, [.text(session), .int(position.seq), .int(position.rowid)])
        return try step(statement) ? statement.bytes(0) : nil
    }

    /// Every archived transcript of the store, oldest first (metadata only).
    package func archives() throws -> [Archive] {
        guard hasArchives else { return [] }
        let statement = try query(
            """
            SELECT rowid, CAST(session_id AS TEXT), CAST(generation AS TEXT), CAST(reason AS TEXT), CAST(encoding AS TEXT),
                   length(archive_blob), lower(CAST(archive_sha256 AS TEXT)), CAST(archive_name AS TEXT),
                   CAST(created_at AS INTEGER), published_at IS NOT NULL
            FROM \(Self.archiveTable) ORDER BY created_at, session_id, generation
            """)
        defer { statement.reset() }
        var result: [Archive] = []
        while try step(statement) {
            result.append(
                Archive(
                    rowid: statement.int64(0), sessionId: statement.text(1), generation: statement.text(2),
                    reason: statement.text(3), encoding: statement.text(4), size: statement.int64(5),
                    sha256: statement.text(6), name: statement.text(7), createdAt: statement.int64(8),
                    published: statement.int64(9) != 0))
        }
        return result
    }

    /// The archive row's blob, streamed.
    package func archiveBlob(rowid: Int64) throws -> SQLiteBlob {
        do { return try SQLiteBlob(database, table: Self.archiveTable, column: "archive_blob", rowid: rowid) } catch {
            throw Failure(path: path, message: error.description)
        }
    }

    /// A 64-bit FNV-1a of a body, hex: remembered for the last event read, to notice a store that changed under the mark.
    package static func hash(_ body: [UInt8]) -> String {
        var hash = FNV1a()
        body.withUnsafeBytes { hash.add(bytes: $0) }
        return String(hash.value, radix: 16)
    }

    // MARK: Errors with the store's path

    private func scalar(_ sql: String) throws -> Int64 {
        let statement = try query(sql)
        defer { statement.reset() }
        return try step(statement) ? statement.int64(0) : 0
    }

    private func query(_ sql: String) throws -> SQLiteStatement {
        do { return try database.prepare(sql) } catch { throw Failure(path: path, message: error.description) }
    }

    private func bind(_ statement: SQLiteStatement, _ values: [SQLiteValue]) throws {
        do { try statement.bind(values) } catch { throw Failure(path: path, message: error.description) }
    }

    private func step(_ statement: SQLiteStatement) throws -> Bool {
        do { return try statement.step() } catch { throw Failure(path: path, message: error.description) }
    }
}
