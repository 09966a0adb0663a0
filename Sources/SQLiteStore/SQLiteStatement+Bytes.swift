import CSQLite

/// Raw column bytes, for values that may be TEXT or BLOB and must not go through `String`
/// (OpenClaw's `event_json` can hold compressed bytes that are not UTF-8).
extension SQLiteStatement {
    /// The column's bytes exactly as stored (TEXT without conversion, BLOB as is); empty for NULL.
    package func bytes(_ index: Int) -> [UInt8] {
        let column = Int32(index)
        // Per the SQLite docs: ask for the pointer first, then the byte count.
        guard let pointer = sqlite3_column_blob(handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, column))
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// Ends the statement's current use (and so its implicit read transaction) without finalizing it.
    package func reset() { sqlite3_reset(handle) }
}
