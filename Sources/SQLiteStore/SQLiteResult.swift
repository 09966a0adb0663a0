import CSQLite

/// Where a function or virtual-table column writes its value (wraps an sqlite3_context).
package struct SQLiteResult {
    let context: OpaquePointer
    package func null() { sqlite3_result_null(context) }
    package func int(_ value: Int64) { sqlite3_result_int64(context, value) }
    package func double(_ value: Double) { sqlite3_result_double(context, value) }
    /// UTF-8 text; SQLite copies the bytes.
    package func text(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return sqlite3_result_text(context, "", 0, nil) }
        sqlite3_result_text(context, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), csqlite_transient())
    }
    package func text(_ string: String) {
        var string = string
        string.withUTF8 { text(UnsafeRawBufferPointer($0)) }
    }
    package func value(_ value: SQLiteValue) {
        switch value {
        case .null: null()
        case .int(let v): int(v)
        case .double(let v): double(v)
        case .text(let v): text(v)
        case .blob(let v): v.withUnsafeBytes { sqlite3_result_blob(context, $0.baseAddress, Int32($0.count), csqlite_transient()) }
        }
    }
    package func error(_ message: String) { sqlite3_result_error(context, message, -1) }
}
