import HomeBaseCore
import SQLiteStore

/// `WITH a AS (<aggregate>), b AS (…) SELECT …`: each common table expression whose body the
/// aggregate fast path answers (`FastAggregatePlan`) is computed by it, and SQLite runs the rest
/// of the statement over those rows, handed to it as a `VALUES` list of bound parameters (bound,
/// so every double keeps its bits). Each column keeps the affinity SQLite gives the original
/// body's column (a bare column of the lake its declared type, anything else none), and the rows
/// come in the order SQLite's own evaluation gives them, so the outer statement sees the same
/// values. Only plain `WITH` (not `RECURSIVE`), CTEs without a column list or `MATERIALIZED`, and
/// no CTE named like a lake table (it would change what a later body's `FROM` means).
struct CTEAggregates {
    /// The statement to run instead and the parameters it adds.
    struct Rewrite {
        var sql: String
        var parameters: [String: SQLiteValue]
        /// How many CTEs the fast path computed.
        var computed: Int
    }

    /// At most this many values are bound (SQLite's limit on parameters is 32 766).
    static let valueLimit = 30_000

    /// The rewrite of `sql`, or nil when no CTE of it is computed by the fast path.
    /// `columnNames` prepares a body alone and returns its result column names (nil if it fails).
    static func rewrite(
        _ sql: String, tables: [LakeVirtualTable], parameters: [String: SQLiteValue], timeLimit: Double?,
        columnNames: (String) -> [String]?
    ) throws -> Rewrite? {
        guard let (tokens, ranges) = SQLToken.tokenizeWithRanges(sql), tokens.first?.isKeyword("WITH") == true,
            !parameters.keys.contains(where: { $0.hasPrefix("hb_cte_") })
        else { return nil }
        let tableNames = Set(tables.map { $0.table.name.lowercased() })
        let bytes = Array(sql.utf8)
        var replacements: [(Range<Int>, String)] = []
        var added: [String: SQLiteValue] = [:]
        var p = 1
        var index = 0
        while true {
            guard p + 2 < tokens.count, case .word(let name, _) = tokens[p], !tableNames.contains(name.lowercased()),
                !tokens[p].isKeyword("RECURSIVE"),
                tokens[p + 1].isKeyword("AS"), tokens[p + 2] == .symbol("(")
            else { return nil }
            // The body: up to the matching parenthesis.
            let open = p + 2
            var depth = 0
            var close = open
            repeat {
                if tokens[close] == .symbol("(") { depth += 1 } else if tokens[close] == .symbol(")") { depth -= 1 }
                if depth > 0 { close += 1 }
            } while depth > 0 && close < tokens.count
            guard close < tokens.count, close > open + 1 else { return nil }
            let span = ranges[open + 1].lowerBound..<ranges[close - 1].upperBound
            let body = String(decoding: bytes[span], as: UTF8.self)
            if let values = try rows(body, tables: tables, parameters: parameters, timeLimit: timeLimit, columnNames: columnNames),
                added.count + values.rows.count * values.names.count <= valueLimit
            {
                var text = "SELECT "
                let first = values.rows.isEmpty ? "NULL" : nil
                text += zip(values.names, values.types).enumerated().map { k, column in
                    let value = first ?? "column\(k + 1)"
                    let typed = column.1.map { "CAST(\(value) AS \($0))" } ?? value
                    return typed + " AS " + CSVField.quoted(column.0)  // an SQL identifier quotes as a CSV field does
                }.joined(separator: ", ")
                if values.rows.isEmpty {
                    text += " WHERE 0"
                } else {
                    var lists: [String] = []
                    for (r, row) in values.rows.enumerated() {
                        var names: [String] = []
                        for (k, value) in row.enumerated() {
                            let parameter = "hb_cte_\(index)_\(r)_\(k)"
                            added[parameter] = value
                            names.append(":" + parameter)
                        }
                        lists.append("(" + names.joined(separator: ", ") + ")")
                    }
                    text += " FROM (VALUES " + lists.joined(separator: ", ") + ")"
                }
                replacements.append((span, text))
            }
            index += 1
            p = close + 1
            guard p < tokens.count, tokens[p] == .symbol(",") else { break }
            p += 1
        }
        guard !replacements.isEmpty else { return nil }
        var out: [UInt8] = []
        var at = 0
        for (span, text) in replacements {
            out += bytes[at..<span.lowerBound]
            out += Array(text.utf8)
            at = span.upperBound
        }
        out += bytes[at...]
        return Rewrite(sql: String(decoding: out, as: UTF8.self), parameters: added, computed: replacements.count)
    }

    /// The fast path's rows of one body, its column names and each column's affinity type (nil:
    /// none); nil when the body is outside the fast path or the scan declines.
    private static func rows(
        _ body: String, tables: [LakeVirtualTable], parameters: [String: SQLiteValue], timeLimit: Double?, columnNames: (String) -> [String]?
    ) throws -> (rows: [[SQLiteValue]], names: [String], types: [String?])? {
        guard let plan = FastAggregatePlan(sql: body, tables: tables, parameters: parameters), let names = columnNames(body),
            names.count == plan.items.count
        else { return nil }
        let types: [String?] = plan.items.map { item in
            guard case .term(.column(let c)) = item else { return nil }
            return c == plan.table.dateColumn ? "TEXT" : LakeVirtualTable.sqlType(plan.table.table.schema.columns[c])
        }
        do {
            return (try FastAggregateScan(plan: plan, timeLimit: timeLimit).run(), names, types)
        } catch is FastPathDeclined {
            return nil
        }
    }
}
