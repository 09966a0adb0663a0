import CSQLite

/// A statement SQLite would not compile: its message and the byte offset it points at (or nil).
package struct SQLiteSyntaxError: Error, CustomStringConvertible, Sendable {
    package var message: String
    package var offset: Int?
    package var code: Int32
    package var description: String { message }
}

extension SQLiteDatabase {
    /// An in-memory database for users' queries, attaching nothing (`restrictToReads` closes the rest).
    package static func queryEngine() throws(SQLiteError) -> SQLiteDatabase {
        let database = try SQLiteDatabase(path: ":memory:")
        sqlite3_limit(database.handle, SQLITE_LIMIT_ATTACHED, 0)
        return database
    }

    /// From now on only SELECT, reading columns, functions and recursive CTEs compile; all else is
    /// denied. Call after the virtual tables were first used (connecting one updates the schema).
    package func restrictToReads() throws(SQLiteError) {
        let rc = sqlite3_set_authorizer(
            handle,
            { _, action, _, _, _, _ in
                switch action {
                case SQLITE_SELECT, SQLITE_READ, SQLITE_FUNCTION, SQLITE_RECURSIVE: return SQLITE_OK
                default: return SQLITE_DENY
                }
            }, nil)
        guard rc == SQLITE_OK else { throw SQLiteError(code: rc, message: lastMessage, context: "setting the query authorizer") }
    }

    /// Compiles the first statement of `sql`; returns it (nil if only comments/space) and the
    /// byte offset where the rest begins. A failure carries SQLite's message and error offset.
    package func prepareFirst(_ sql: String) throws(SQLiteSyntaxError) -> (statement: SQLiteStatement?, rest: Int) {
        var utf8 = Array(sql.utf8)
        utf8.append(0)
        var statement: OpaquePointer?
        var restOffset = 0
        let rc = utf8.withUnsafeBufferPointer { buffer -> Int32 in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v2(handle, base, Int32(buffer.count - 1), &statement, &tail)
            restOffset = tail.map { $0 - base } ?? buffer.count - 1
            return rc
        }
        guard rc == SQLITE_OK else {
            let offset = Int(sqlite3_error_offset(handle))
            throw SQLiteSyntaxError(message: lastMessage, offset: offset >= 0 ? offset : nil, code: rc)
        }
        return (statement.map { SQLiteStatement($0, database: self) }, restOffset)
    }
}

extension SQLiteStatement {
    /// The parameter names in order (`:from` → ":from"); nil entries for anonymous `?`.
    package var parameterNames: [String?] {
        (0..<Int(sqlite3_bind_parameter_count(handle))).map { i in
            sqlite3_bind_parameter_name(handle, Int32(i + 1)).map { String(cString: $0) }
        }
    }

    /// The value of result column `index` of the current row.
    package func value(_ index: Int) -> SQLiteValue {
        SQLiteValue(sqlite3_column_value(handle, Int32(index)))
    }

    /// Steps like `step()`, but reports a failure with SQLite's message and code only.
    package func stepReportingSQL() throws(SQLiteSyntaxError) -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw SQLiteSyntaxError(message: lastMessage, offset: nil, code: rc)
    }
}
