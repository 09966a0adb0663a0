import Parquet
import SQLiteStore

/// A statement the aggregate fast path answers without SQLite:
///
///     SELECT <group columns and count(*) / count / sum / total / avg / min / max of a column>
///     FROM <lake table>
///     [WHERE <column> <op> <literal> [AND …]]   -- =, !=, <, <=, >, >=, BETWEEN, IN (…), IS [NOT] NULL
///     [GROUP BY <columns>] [ORDER BY <output columns> [ASC|DESC], …] [LIMIT n]
///
/// Recognised conservatively: every column, literal and type combination whose SQLite meaning
/// the scan reproduces exactly (a named parameter counts as the literal of its bound value);
/// anything else (expressions, OR, DISTINCT, HAVING, joins, text compared with numbers, …)
/// gives nil and SQLite runs the statement.
struct FastAggregatePlan {
    enum Aggregate: String, CaseIterable { case count, sum, total, avg, min, max }

    enum Item: Equatable {
        /// A column of the table (`table.dateColumn` is `date`).
        case column(Int)
        /// An aggregate of a column, or `count(*)` (column nil).
        case aggregate(Aggregate, column: Int?)
    }

    enum Literal: Equatable {
        case text([UInt8])
        case integer(Int64)
        case real(Double)
    }

    enum Test: Equatable {
        /// `column op literal`, op one of `=`, `!=`, `<`, `<=`, `>`, `>=`.
        case compare(String, Literal)
        case isNull(Bool)
        case anyEqual([Literal])
    }

    struct Filter: Equatable {
        var column: Int
        var test: Test
    }

    /// How a column reads in SQL, as far as the fast path is concerned.
    enum Kind: Equatable {
        case text, integer, real, date, tsMicros, other
    }

    let table: LakeVirtualTable
    var items: [Item] = []
    var aliases: [String?] = []
    var filters: [Filter] = []
    var groupBy: [Int] = []
    /// Output column index and descending.
    var orderBy: [(Int, Bool)] = []
    var limit: Int?

    func kind(_ column: Int) -> Kind {
        guard column != table.dateColumn else { return .date }
        let schema = table.table.schema.columns[column]
        switch ColumnSlot.render(schema) {
        case .plain: break
        case .micros: return .tsMicros
        default: return .other
        }
        switch schema.physicalType {
        case .fixedLenByteArray, .int96: return .other
        default: break
        }
        switch LakeVirtualTable.sqlType(schema) {
        case "TEXT": return .text
        case "INTEGER": return .integer
        case "REAL": return .real
        default: return .other
        }
    }

    /// The columns a scan decodes (all referenced but `date`), in table order.
    var columnsRead: [Int] {
        var used = groupBy  // an array, not a Set<Int>: a handful of columns, and no hashing metadata at start-up
        for item in items { if case .column(let c) = item { used.append(c) } else if case .aggregate(_, let c?) = item { used.append(c) } }
        used += filters.map(\.column)
        var sorted: [Int] = []
        for c in used.sorted() where c != table.dateColumn && sorted.last != c { sorted.append(c) }
        return sorted
    }

    /// Parses `sql` against `tables`; nil when the statement is outside the subset.
    /// `parameters`: the values `QueryEngine` binds, by name; a named parameter stands where a
    /// literal may, with the literal's meaning (bound values, like literals, have no affinity).
    init?(sql: String, tables: [LakeVirtualTable], parameters: [String: SQLiteValue] = [:]) {
        guard let tokens = SQLToken.tokenize(sql) else { return nil }
        var p = 0
        func peek() -> SQLToken? { p < tokens.count ? tokens[p] : nil }
        func keyword(_ k: String) -> Bool {
            if peek()?.isKeyword(k) == true { p += 1; return true }
            return false
        }
        func symbol(_ s: String) -> Bool {
            if peek() == .symbol(s) { p += 1; return true }
            return false
        }
        let reserved: Set<String> = [
            "SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER", "LIMIT", "OFFSET", "HAVING", "AS", "AND", "OR", "NOT", "IN", "IS", "NULL",
            "BETWEEN", "ASC", "DESC", "DISTINCT", "ALL", "JOIN", "UNION", "WINDOW", "COLLATE", "LIKE", "GLOB", "ESCAPE", "CASE", "NULLS",
            "EXCEPT", "INTERSECT", "ON", "USING", "NATURAL", "LEFT", "INNER", "CROSS", "FILTER", "OVER", "VALUES", "WITH", "REGEXP", "MATCH"
        ]
        /// An identifier (bare and not reserved, or double-quoted).
        func name() -> String? {
            guard case .word(let w, let quoted)? = peek(), quoted || !reserved.contains(w.uppercased()) else { return nil }
            p += 1
            return w
        }

        guard keyword("SELECT"), !(peek()?.isKeyword("DISTINCT") ?? true), !(peek()?.isKeyword("ALL") ?? true) else { return nil }
        // The items are parsed as names first; columns are resolved once the table is known.
        enum RawItem { case column(String), aggregate(Aggregate, String?) }
        func rawItem() -> RawItem? {
            guard let first = name() else { return nil }
            guard symbol("(") else { return .column(first) }
            guard let aggregate = Aggregate(rawValue: first.lowercased()) else { return nil }
            if symbol("*") {
                guard aggregate == .count, symbol(")") else { return nil }
                return .aggregate(.count, nil)
            }
            guard let column = name(), symbol(")") else { return nil }
            return .aggregate(aggregate, column)
        }
        var rawItems: [RawItem] = []
        var rawAliases: [String?] = []
        repeat {
            guard let item = rawItem() else { return nil }
            rawItems.append(item)
            if keyword("AS") {
                guard let alias = name() else { return nil }
                rawAliases.append(alias)
            } else if let alias = name() {
                rawAliases.append(alias)
            } else {
                rawAliases.append(nil)
            }
        } while symbol(",")
        guard keyword("FROM"), let tableName = name(),
            let table = tables.first(where: { $0.table.name.lowercased() == tableName.lowercased() })
        else { return nil }
        self.table = table
        let names = table.table.schema.columns.map { $0.name.lowercased() } + ["date"]
        func column(_ name: String) -> Int? { names.firstIndex(of: name.lowercased()) }
        for (raw, alias) in zip(rawItems, rawAliases) {
            aliases.append(alias)
            switch raw {
            case .column(let n):
                guard let c = column(n) else { return nil }
                items.append(.column(c))
            case .aggregate(let a, let n):
                guard let n else { items.append(.aggregate(a, column: nil)); continue }
                guard let c = column(n) else { return nil }
                items.append(.aggregate(a, column: c))
            }
        }

        func literal() -> Literal? {
            let negative = symbol("-")
            switch peek() {
            case .string(let s)? where !negative: p += 1; return .text(s)
            case .integer(let v)?: p += 1; return .integer(negative ? -v : v)
            case .real(let v)?: p += 1; return .real(negative ? -v : v)
            case .parameter(let name)? where !negative:
                p += 1
                switch parameters[name] {
                case .text(let s)?: return .text(Array(s.utf8))
                case .int(let v)?: return .integer(v)
                case .double(let v)?: return .real(v)
                default: return nil  // NULL, a blob or unbound: SQLite decides
                }
            default: return nil
            }
        }
        func comparison() -> String? {
            guard case .symbol(let s)? = peek(), ["=", "!=", "<", "<=", ">", ">="].contains(s) else { return nil }
            p += 1
            return s
        }
        if keyword("WHERE") {
            repeat {
                if let c = name().flatMap(column) {
                    if keyword("IS") {
                        let not = keyword("NOT")
                        guard keyword("NULL") else { return nil }
                        filters.append(Filter(column: c, test: .isNull(!not)))
                    } else if keyword("BETWEEN") {
                        guard let low = literal(), keyword("AND"), let high = literal() else { return nil }
                        filters.append(Filter(column: c, test: .compare(">=", low)))
                        filters.append(Filter(column: c, test: .compare("<=", high)))
                    } else if keyword("IN") {
                        guard symbol("(") else { return nil }
                        var values: [Literal] = []
                        repeat {
                            guard let v = literal() else { return nil }
                            values.append(v)
                        } while symbol(",")
                        guard symbol(")") else { return nil }
                        filters.append(Filter(column: c, test: .anyEqual(values)))
                    } else {
                        guard let op = comparison(), let v = literal() else { return nil }
                        filters.append(Filter(column: c, test: .compare(op, v)))
                    }
                } else {
                    guard let v = literal(), let op = comparison(), let c = name().flatMap(column) else { return nil }
                    let flipped = ["<": ">", "<=": ">=", ">": "<", ">=": "<="][op] ?? op
                    filters.append(Filter(column: c, test: .compare(flipped, v)))
                }
            } while keyword("AND")
        }
        if keyword("GROUP") {
            guard keyword("BY") else { return nil }
            repeat {
                guard let c = name().flatMap(column), !groupBy.contains(c) else { return nil }
                groupBy.append(c)
            } while symbol(",")
        }
        if keyword("ORDER") {
            guard keyword("BY") else { return nil }
            repeat {
                var index: Int?
                if case .integer(let k)? = peek() {
                    p += 1
                    guard k >= 1, k <= items.count else { return nil }
                    index = Int(k) - 1
                } else {
                    guard let raw = rawItem() else { return nil }
                    if case .column(let n) = raw, let a = aliases.firstIndex(where: { $0?.lowercased() == n.lowercased() }) {
                        index = a
                    } else {
                        let item: Item
                        switch raw {
                        case .column(let n):
                            guard let c = column(n) else { return nil }
                            item = .column(c)
                        case .aggregate(let a, let n):
                            guard let n else { item = .aggregate(a, column: nil); break }
                            guard let c = column(n) else { return nil }
                            item = .aggregate(a, column: c)
                        }
                        index = items.firstIndex(of: item)
                    }
                }
                guard let index else { return nil }
                let descending = keyword("DESC")
                if !descending { _ = keyword("ASC") }
                orderBy.append((index, descending))
            } while symbol(",")
        }
        if keyword("LIMIT") {
            guard case .integer(let n)? = peek(), n >= 0, n <= Int64(Int32.max) else { return nil }
            p += 1
            limit = Int(n)
        }
        _ = symbol(";")
        guard p == tokens.count, valid() else { return nil }
    }

    /// The type rules: what SQLite would compare, convert or sort differently is left to it.
    private func valid() -> Bool {
        guard groupBy.count <= 3 else { return false }
        for c in groupBy {
            guard [.text, .integer, .date].contains(kind(c)) else { return false }
        }
        for item in items {
            switch item {
            case .column(let c):
                guard groupBy.contains(c) else { return false }  // a bare column outside GROUP BY
            case .aggregate(let a, let c):
                guard let c else { continue }
                let k = kind(c)
                switch a {
                case .count: continue
                case .sum, .total, .avg: guard k == .integer || k == .real else { return false }
                case .min, .max: guard [.integer, .real, .text, .date].contains(k) else { return false }
                }
            }
        }
        func fits(_ literal: Literal, _ k: Kind) -> Bool {
            switch (literal, k) {
            case (.text, .text), (.text, .date), (.text, .tsMicros), (.integer, .integer), (.real, .real): return true
            case (.integer(let v), .real): return v.magnitude <= 1 << 53  // exactly a double
            default: return false
            }
        }
        for filter in filters {
            let k = kind(filter.column)
            guard k != .other else { return false }
            switch filter.test {
            case .isNull: continue
            case .compare(_, let v): guard fits(v, k) else { return false }
            case .anyEqual(let values): guard values.allSatisfy({ fits($0, k) }) else { return false }
            }
        }
        return true
    }
}
