/// Statements prepared once per connection and reused: the catalog runs the same few statements
/// once or more per source file, and parsing their SQL each time showed in ingest profiles
/// (`sqlite3Parser`) on fleets of tens of thousands of small session files.
extension SQLiteDatabase {
    /// Runs `body` with the cached statement for `sql` (prepared on first use), reset afterwards
    /// so no read transaction stays open between uses.
    package func withStatement<T>(_ sql: String, _ body: (SQLiteStatement) throws -> T) throws -> T {
        let statement: SQLiteStatement
        if let known = statementCache[sql] {
            statement = known
        } else {
            statement = try prepare(sql)
            statement.releaseConnection()  // the cache lives in the connection: no cycle
            statementCache[sql] = statement
        }
        defer { statement.reset() }
        return try body(statement)
    }
}
