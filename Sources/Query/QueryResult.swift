import SQLiteStore
/// The rows of one query, as SQLite typed them (integer, real, text, NULL).
package struct QueryResult: Sendable, Equatable {
    package var columns: [String]
    package var rows: [[SQLiteValue]]
}
