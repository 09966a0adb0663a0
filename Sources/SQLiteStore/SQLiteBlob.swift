import CSQLite

/// Incremental reads of one BLOB cell (`sqlite3_blob_open`), so an archived transcript of any
/// size is streamed from the database instead of loaded whole. Holds a read transaction while open.
package final class SQLiteBlob {
    private let handle: OpaquePointer
    /// Bytes in the cell.
    package let count: Int
    private var offset = 0

    /// Opens `table.column` of the row with `rowid` read-only.
    package init(_ database: SQLiteDatabase, table: String, column: String, rowid: Int64) throws(SQLiteError) {
        var blob: OpaquePointer?
        let rc = sqlite3_blob_open(database.handle, "main", table, column, rowid, 0, &blob)
        guard rc == SQLITE_OK, let blob else {
            let message = String(cString: sqlite3_errmsg(database.handle))
            if let blob { sqlite3_blob_close(blob) }
            throw SQLiteError(code: rc, message: message, context: "opening \(table).\(column) of row \(rowid)")
        }
        handle = blob
        count = Int(sqlite3_blob_bytes(blob))
    }

    deinit { sqlite3_blob_close(handle) }

    /// Reads the next bytes into `buffer`; 0 at the end.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(SQLiteError) -> Int {
        let n = min(buffer.count, count - offset)
        guard n > 0 else { return 0 }
        let rc = sqlite3_blob_read(handle, buffer.baseAddress, Int32(n), Int32(offset))
        guard rc == SQLITE_OK else {
            throw SQLiteError(code: rc, message: "blob read failed", context: "reading bytes \(offset)..<\(offset + n)")
        }
        offset += n
        return n
    }
}
