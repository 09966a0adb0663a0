import Foundation

/// Reads `transcript_events(session_id, seq, event_json, created_at)` of one OpenClaw SQLite
/// session store while the gateway may be writing to it: opened read-only (WAL respected, no
/// `immutable`), every query a short read transaction of its own, `busy_timeout` set.
package final class SessionStoreReader {
    /// A store we cannot read: not a database, or a table or column missing. Says what was expected.
    package struct Failure: Error, CustomStringConvertible, Sendable {
        package var path: String
        package var message: String
        package var description: String { "\(path): \(message)" }
    }

    /// One session of the store and its last `seq` now.
    package struct Session: Sendable, Equatable {
        package var id: String
        package var maxSeq: Int64
    }

    /// One event: its `seq` and the stored body bytes (normally the JSON of one transcript line).
    package struct Event: Sendable {
        package var seq: Int64
        package var body: [UInt8]
    }

    package static let table = "transcript_events"
    package static let expected = "transcript_events(session_id, seq, event_json[, created_at]) as in OpenClaw's openclaw-agent.sqlite"

    package let path: String
    let database: SQLiteDatabase
    /// `dev:inode app:<application_id> cols:<name type,...>`: changes when the file is replaced.
    package let identity: String
    let hasCreatedAt: Bool
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
        var columns: [(name: String, type: String)] = []
        let application: Int64
        do {
            application = try database.scalarInt("PRAGMA application_id") ?? 0
            let info = try database.prepare("SELECT name, type FROM pragma_table_info('\(Self.table)')")
            while try info.step() { columns.append((info.text(0), info.text(1).uppercased())) }
        } catch {
            throw Failure(path: path, message: "cannot read the SQLite session store: \(error.message)")
        }
        guard !columns.isEmpty else {
            throw Failure(path: path, message: "no table \(Self.table); expected \(Self.expected). Not read")
        }
        let names = Set(columns.map(\.name))
        let missing = ["session_id", "seq", "event_json"].filter { !names.contains($0) }
        guard missing.isEmpty else {
            throw Failure(path: path, message: "table \(Self.table) has no column \(missing.joined(separator: ", ")) "
                + "(it has \(columns.map(\.name).joined(separator: ", "))); expected \(Self.expected). Not read")
        }
        hasCreatedAt = names.contains("created_at")
        var info = stat()
        let fileID = stat(path, &info) == 0 ? "\(info.st_dev):\(info.st_ino)" : "?"
        identity = "\(fileID) app:\(application) cols:" + columns.map { "\($0.name) \($0.type)" }.joined(separator: ",")
    }

    /// Every session with its current last `seq`. Only `(session_id, seq)` is read, which an index
    /// on them covers: the event bodies (often in overflow pages) are not touched.
    package func sessions() throws -> [Session] {
        let statement = try query("SELECT session_id, max(seq) FROM \(Self.table) WHERE session_id IS NOT NULL GROUP BY session_id")
        defer { statement.reset() }
        var result: [Session] = []
        while try step(statement) { result.append(Session(id: statement.text(0), maxSeq: statement.int64(1))) }
        return result
    }

    /// `created_at` of the session's first event, as text ("" without that column): sessions are
    /// read in this order so that a session comes before a compaction successor that copied it.
    package func firstCreated(session: String) throws -> String {
        guard hasCreatedAt else { return "" }
        let statement = try query("SELECT CAST(created_at AS TEXT) FROM \(Self.table) WHERE session_id = ? ORDER BY seq LIMIT 1")
        defer { statement.reset() }
        try bind(statement, [.text(session)])
        return try step(statement) ? statement.text(0) : ""
    }

    /// Up to `limit` events of `session` with `after < seq <= through`, in `seq` order.
    package func events(session: String, after: Int64, through: Int64, limit: Int) throws -> [Event] {
        let statement = try eventsStatement ?? query("""
            SELECT seq, event_json FROM \(Self.table) WHERE session_id = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?
            """)
        eventsStatement = statement
        defer { statement.reset() }  // ends this read transaction now, not when the statement is reused
        try bind(statement, [.text(session), .int(after), .int(through), .int(Int64(limit))])
        var result: [Event] = []
        while try step(statement) { result.append(Event(seq: statement.int64(0), body: statement.bytes(1))) }
        return result
    }

    /// The body of one event, or nil when there is no such row.
    package func event(session: String, seq: Int64) throws -> [UInt8]? {
        let statement = try eventStatement ?? query("SELECT event_json FROM \(Self.table) WHERE session_id = ? AND seq = ?")
        eventStatement = statement
        defer { statement.reset() }
        try bind(statement, [.text(session), .int(seq)])
        return try step(statement) ? statement.bytes(0) : nil
    }

    /// A 64-bit FNV-1a of a body, hex: remembered for the last event read, to notice a replaced store.
    package static func hash(_ body: [UInt8]) -> String {
        var hash = FNV1a()
        hash.add(body)
        return String(hash.value, radix: 16)
    }

    // MARK: Errors with the store's path

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
