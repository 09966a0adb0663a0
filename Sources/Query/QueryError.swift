import SQLiteStore
/// Why a query did not run. Everything but `.lake` is the user's to fix (exit 2); `.lake` means
/// a part file could not be read (exit 1).
package enum QueryError: Error, CustomStringConvertible, Equatable {
    /// SQLite's message, and where it points (1-based line and column) when it knows.
    case sql(message: String, line: Int?, column: Int?, context: String?)
    case readOnly(String)
    case noStatement
    case multipleStatements
    case missingParameter(String)
    case unknownParameter(String)
    case badAsOf(String)
    case lake(String)
    /// The statement ran past `--timeout` and was stopped (exit 1, like a lake failure).
    case timeout(seconds: Double)

    package var isUsage: Bool {
        switch self {
        case .lake, .timeout: return false
        default: return true
        }
    }

    package var description: String {
        switch self {
        case .sql(let message, let line, let column, let context):
            var text = "SQL error"
            if let line, let column { text += " at line \(line), column \(column)" }
            text += ": \(message)"
            if let context, let column { text += "\n  " + context + "\n  " + String(repeating: " ", count: column - 1) + "^" }
            return text
        case .readOnly(let message):
            return "queries are read-only: \(message) (only SELECT and WITH ... SELECT run here)"
        case .noStatement: return "no SQL statement given"
        case .multipleStatements: return "one statement per query: remove what follows the first ';'"
        case .missingParameter(let name): return "the query uses :\(name) but no --param \(name)=VALUE was given"
        case .unknownParameter(let name): return "--param \(name): the query has no :\(name)"
        case .badAsOf(let message): return "--as-of: \(message)"
        case .lake(let message): return "reading the lake: \(message)"
        case .timeout(let seconds):
            let shown = seconds == seconds.rounded() ? String(Int64(seconds)) : String(seconds)
            return
                "the query ran longer than the time limit of \(shown) s and was stopped; narrow it (a WHERE on date, a LIMIT, a recursive CTE that ends) or raise --timeout SECONDS"
        }
    }

    /// Turns SQLite's byte offset into line and column of `sql`, with that line for context.
    static func sql(_ error: SQLiteSyntaxError, in sql: String, base: Int = 0) -> QueryError {
        if error.code == 23 { return .readOnly(error.message) }  // SQLITE_AUTH: the authorizer said no
        guard let offset = error.offset else { return .sql(message: error.message, line: nil, column: nil, context: nil) }
        let bytes = Array(sql.utf8)
        let at = min(base + offset, bytes.count)
        let lineStart = bytes[..<at].lastIndex(of: 10).map { $0 + 1 } ?? 0
        let lineEnd = bytes[at...].firstIndex(of: 10) ?? bytes.count
        let line = bytes[..<at].filter { $0 == 10 }.count + 1
        let column = String(decoding: bytes[lineStart..<at], as: UTF8.self).count + 1
        return .sql(message: error.message, line: line, column: column, context: String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self))
    }
}
