import CSQLite

/// A value to bind to a statement parameter.
package enum SQLiteValue: Sendable, Equatable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])
}

/// A compiled statement; reset and re-bound for each use.
package final class SQLiteStatement {
    let handle: OpaquePointer
    /// The connection, held so that a statement someone keeps never outlives it or what it
    /// registered (virtual tables). Nil once the connection caches the statement itself: the
    /// cache holding statements that hold the connection was a cycle, and every connection that
    /// cached one stayed open, with its files, until the process ended.
    private(set) var database: SQLiteDatabase?

    init(_ handle: OpaquePointer, database: SQLiteDatabase) {
        self.handle = handle
        self.database = database
    }

    /// For the connection's own cache: the statement no longer keeps the connection alive.
    func releaseConnection() { database = nil }

    /// The connection's last error message (read through SQLite, so also for cached statements).
    var lastMessage: String { String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))) }

    deinit { sqlite3_finalize(handle) }

    /// Resets the statement and binds `values` to parameters 1…n.
    package func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .int(let v): rc = sqlite3_bind_int64(handle, index, v)
            case .double(let v): rc = sqlite3_bind_double(handle, index, v)
            case .text(let v): rc = sqlite3_bind_text(handle, index, v, -1, csqlite_transient())
            case .blob(let v):
                rc = v.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), csqlite_transient()) }
            }
            guard rc == SQLITE_OK else {
                throw SQLiteError(code: rc, message: lastMessage, context: "binding parameter \(index)")
            }
        }
    }

    /// Advances to the next row; false when done.
    @discardableResult
    package func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw SQLiteError(code: rc, message: lastMessage, context: "running \(String(cString: sqlite3_sql(handle)).prefix(80))")
    }

    /// Binds, runs to completion, and resets.
    package func run(_ values: [SQLiteValue] = []) throws(SQLiteError) {
        try bind(values)
        while try step() {}
        sqlite3_reset(handle)
    }

    package var columnCount: Int { Int(sqlite3_column_count(handle)) }
    package func columnName(_ index: Int) -> String { String(cString: sqlite3_column_name(handle, Int32(index))) }
    package func isNull(_ index: Int) -> Bool { sqlite3_column_type(handle, Int32(index)) == SQLITE_NULL }
    package func int64(_ index: Int) -> Int64 { sqlite3_column_int64(handle, Int32(index)) }
    package func double(_ index: Int) -> Double { sqlite3_column_double(handle, Int32(index)) }
    package func text(_ index: Int) -> String {
        guard let pointer = sqlite3_column_text(handle, Int32(index)) else { return "" }
        return String(cString: pointer)
    }
    package func optionalText(_ index: Int) -> String? { isNull(index) ? nil : text(index) }
    package func optionalInt(_ index: Int) -> Int64? { isNull(index) ? nil : int64(index) }
}
