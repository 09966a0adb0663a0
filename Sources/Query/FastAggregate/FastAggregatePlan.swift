import Foundation
import Parquet
import SQLiteStore

/// A statement the aggregate fast path answers without SQLite:
///
///     SELECT <group terms and aggregates>
///     FROM <lake table>
///     [WHERE <column> <op> <literal> [AND …]]   -- =, !=, <, <=, >, >=, BETWEEN, IN (…), IS [NOT] NULL
///     [GROUP BY <terms>] [ORDER BY <output columns> [ASC|DESC], …] [LIMIT n]
///
/// A group term is a column or `local_date|local_hour|local_week|local_month(ts, <zone>)`; an
/// aggregate is `count(*)`, `count|sum|total|avg|min|max|stddev(column)`, `percentile(column, p)`,
/// `median(column)` or `sum(CASE WHEN <condition> THEN 1 ELSE 0 END)`.
/// Recognised conservatively: every column, literal and type combination whose SQLite meaning
/// the scan reproduces exactly (a named parameter counts as the literal of its bound value);
/// anything else (other expressions, OR, DISTINCT, HAVING, joins, text compared with numbers, …)
/// gives nil and SQLite runs the statement.
struct FastAggregatePlan {
    enum Aggregate: String, CaseIterable { case count, sum, total, avg, min, max, stddev }

    /// The `local_*` functions `QueryFunctions` registers, of `ts` in one zone.
    enum LocalUnit: String, CaseIterable {
        case date = "local_date", hour = "local_hour", week = "local_week", month = "local_month"
    }

    /// What a group is keyed by.
    enum Term: Equatable {
        /// A column of the table (`table.dateColumn` is `date`).
        case column(Int)
        /// `local_…(ts, zone)` with the zone's IANA name.
        case local(LocalUnit, zone: String)
        /// `coalesce(column, 'text')` of a text column.
        case coalesce(Int, [UInt8])
    }

    enum Item: Equatable {
        /// A GROUP BY term.
        case term(Term)
        /// An aggregate of a column, or `count(*)` (column nil).
        case aggregate(Aggregate, column: Int?)
        /// `percentile(column, p)` (p as given, 0 to 100) or `median(column)` (p 0.5).
        case percentile(column: Int, p: Double)
        /// `sum(CASE WHEN <filter> THEN 1 ELSE 0 END)`: the group's rows that pass the filter.
        case countWhen(Filter)
        /// `count(DISTINCT column)`.
        case countDistinct(Int)
        /// Arithmetic, `CAST(… AS DOUBLE)` and `nullif` over aggregates.
        case expression(AggregateExpression)
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
    var groupBy: [Term] = []
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
        var used = columnsComputed  // an array, not a Set<Int>: a handful of columns, and no hashing metadata at start-up
        used += filters.map(\.column)
        var sorted: [Int] = []
        for c in used.sorted() where c != table.dateColumn && sorted.last != c { sorted.append(c) }
        return sorted
    }

    /// The columns the groups and aggregates read (not the WHERE filters), possibly repeated.
    var columnsComputed: [Int] {
        var used: [Int] = []
        for term in groupBy {
            switch term {
            case .column(let c), .coalesce(let c, _): used.append(c)
            case .local: if let ts = table.tsColumn { used.append(ts) }
            }
        }
        for item in items {
            switch item {
            case .term: break  // in groupBy
            case .aggregate(_, let c?), .percentile(let c, _), .countDistinct(let c): used.append(c)
            case .aggregate(_, nil): break
            case .expression(let e): used += e.aggregates.compactMap(\.1)
            case .countWhen(let filter): used.append(filter.column)
            }
        }
        return used
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
        func symbol(_ s: String) -> Bool { exactly(.symbol(s)) }
        /// Consumes `token` when it is next.
        func exactly(_ token: SQLToken) -> Bool {
            if peek() == token { p += 1; return true }
            return false
        }
        let reserved: Set<String> = [
            "SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER", "LIMIT", "OFFSET", "HAVING", "AS", "AND", "OR", "NOT", "IN", "IS", "NULL",
            "BETWEEN", "ASC", "DESC", "DISTINCT", "ALL", "JOIN", "UNION", "WINDOW", "COLLATE", "LIKE", "GLOB", "ESCAPE", "CASE", "NULLS",
            "EXCEPT", "INTERSECT", "ON", "USING", "NATURAL", "LEFT", "INNER", "CROSS", "FILTER", "OVER", "VALUES", "WITH", "REGEXP", "MATCH",
            "WHEN", "THEN", "ELSE", "END"
        ]
        /// An identifier (bare and not reserved, or double-quoted).
        func name() -> String? {
            guard case .word(let w, let quoted)? = peek(), quoted || !reserved.contains(w.uppercased()) else { return nil }
            p += 1
            return w
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
        /// `<name> IS [NOT] NULL`, `<name> IN (…)` or `<name> <op> <literal>` after the name:
        /// one test (BETWEEN, two, is the caller's).
        func test() -> Test? {
            if keyword("IS") {
                let not = keyword("NOT")
                guard keyword("NULL") else { return nil }
                return .isNull(!not)
            }
            if keyword("IN") {
                guard symbol("(") else { return nil }
                var values: [Literal] = []
                repeat {
                    guard let v = literal() else { return nil }
                    values.append(v)
                } while symbol(",")
                guard symbol(")") else { return nil }
                return .anyEqual(values)
            }
            guard let op = comparison(), let v = literal() else { return nil }
            return .compare(op, v)
        }

        guard keyword("SELECT"), !(peek()?.isKeyword("DISTINCT") ?? true), !(peek()?.isKeyword("ALL") ?? true) else { return nil }
        // The items are parsed as names first; columns are resolved once the table is known.
        enum RawItem {
            case column(String)
            case aggregate(Aggregate, String?)
            case local(LocalUnit, String, zone: String)
            case percentile(String, Double)
            case countWhen(String, Test)
            case coalesce(String, [UInt8])
            case countDistinct(String)
            /// Aggregates' columns are indices into `leafNames`.
            case expression(AggregateExpression)
        }
        var leafNames: [String] = []
        /// Arithmetic over aggregates by precedence level (0: `+ -`, 1: `* /`, 2: a primary).
        func expression(_ level: Int) -> AggregateExpression? {
            if level < 2 {
                guard var left = expression(level + 1) else { return nil }
                let ops: [String] = level == 0 ? ["+", "-"] : ["*", "/"]
                while case .symbol(let s)? = peek(), ops.contains(s) {
                    p += 1
                    guard let right = expression(level + 1) else { return nil }
                    left = .arithmetic(Character(s), left, right)
                }
                return left
            }
            switch peek() {
            case .integer(let v)?: p += 1; return .integer(v)
            case .real(let v)?: p += 1; return .real(v)
            case .symbol("(")?:
                p += 1
                guard let inner = expression(0), symbol(")") else { return nil }
                return inner
            default: break
            }
            if keyword("CAST") {
                guard symbol("("), let inner = expression(0), keyword("AS"), keyword("DOUBLE") || keyword("REAL") || keyword("FLOAT"), symbol(")")
                else { return nil }
                return .castReal(inner)
            }
            guard let function = name()?.lowercased(), symbol("(") else { return nil }
            if function == "nullif" {
                guard let a = expression(0), symbol(","), let b = expression(0), symbol(")") else { return nil }
                return .nullIf(a, b)
            }
            guard let aggregate = Aggregate(rawValue: function) else { return nil }
            if symbol("*") {
                guard aggregate == .count, symbol(")") else { return nil }
                return .aggregate(.count, column: nil)
            }
            guard let column = name(), symbol(")") else { return nil }
            leafNames.append(column)
            return .aggregate(aggregate, column: leafNames.count - 1)
        }
        func rawItem() -> RawItem? {
            guard let first = name() else { return nil }
            guard symbol("(") else { return .column(first) }
            let function = first.lowercased()
            if let unit = LocalUnit(rawValue: function) {
                guard let ts = name(), symbol(","), case .text(let zone)? = literal(), symbol(")") else { return nil }
                return .local(unit, ts, zone: String(decoding: zone, as: UTF8.self))
            }
            if function == "coalesce" {
                guard let column = name(), symbol(","), case .string(let literal)? = peek() else { return nil }
                p += 1
                guard symbol(")") else { return nil }
                return .coalesce(column, literal)
            }
            if function == "count", keyword("DISTINCT") {
                guard let column = name(), symbol(")") else { return nil }
                return .countDistinct(column)
            }
            if function == "percentile" || function == "median" {
                guard let column = name() else { return nil }
                var fraction = 0.5
                if function == "percentile" {
                    guard symbol(",") else { return nil }
                    switch literal() {
                    case .integer(let v)?: fraction = Double(v)
                    case .real(let v)?: fraction = v
                    default: return nil
                    }
                }
                guard symbol(")") else { return nil }
                return .percentile(column, fraction)
            }
            guard let aggregate = Aggregate(rawValue: function) else { return nil }
            if symbol("*") {
                guard aggregate == .count, symbol(")") else { return nil }
                return .aggregate(.count, nil)
            }
            if aggregate == .sum, keyword("CASE") {
                // sum(CASE WHEN <name> <test> THEN 1 ELSE 0 END): integers in, an integer count out.
                guard keyword("WHEN"), let column = name(), let t = test(), keyword("THEN"), exactly(.integer(1)), keyword("ELSE"),
                    exactly(.integer(0)), keyword("END"), symbol(")")
                else { return nil }
                return .countWhen(column, t)
            }
            guard let column = name(), symbol(")") else { return nil }
            return .aggregate(aggregate, column)
        }
        var rawItems: [RawItem] = []
        var rawAliases: [String?] = []
        repeat {
            let start = p
            var parsed = rawItem()
            if case .symbol(let s)? = peek(), ["+", "-", "*", "/"].contains(s) { parsed = nil }
            if parsed == nil {
                p = start
                parsed = expression(0).map { .expression($0) }
            }
            guard let item = parsed else { return nil }
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
        func resolve(_ raw: RawItem) -> Item? {
            switch raw {
            case .column(let n): return column(n).map { .term(.column($0)) }
            case .aggregate(let a, nil): return .aggregate(a, column: nil)
            case .aggregate(let a, let n?): return column(n).map { .aggregate(a, column: $0) }
            case .local(let unit, let n, let zone):
                guard let c = column(n), c == table.tsColumn else { return nil }
                return .term(.local(unit, zone: zone))
            case .percentile(let n, let fraction): return column(n).map { .percentile(column: $0, p: fraction) }
            case .countWhen(let n, let t): return column(n).map { .countWhen(Filter(column: $0, test: t)) }
            case .expression(let e): return e.resolved { column(leafNames[$0]) }.map { .expression($0) }
            case .coalesce(let n, let literal): return column(n).map { .term(.coalesce($0, literal)) }
            case .countDistinct(let n): return column(n).map { .countDistinct($0) }
            }
        }
        for (raw, alias) in zip(rawItems, rawAliases) {
            aliases.append(alias)
            guard let item = resolve(raw) else { return nil }
            items.append(item)
        }

        if keyword("WHERE") {
            repeat {
                if let c = name().flatMap(column) {
                    if keyword("BETWEEN") {
                        guard let low = literal(), keyword("AND"), let high = literal() else { return nil }
                        filters.append(Filter(column: c, test: .compare(">=", low)))
                        filters.append(Filter(column: c, test: .compare("<=", high)))
                    } else {
                        guard let t = test() else { return nil }
                        filters.append(Filter(column: c, test: t))
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
                // A name is a column first, then an output alias (SQLite's order for GROUP BY).
                guard let raw = rawItem() else { return nil }
                var term: Term?
                if case .column(let n) = raw, column(n) == nil {
                    if let a = aliases.firstIndex(where: { $0?.lowercased() == n.lowercased() }), case .term(let t) = items[a] { term = t }
                } else if case .term(let t)? = resolve(raw) {
                    term = t
                }
                guard let term, !groupBy.contains(term) else { return nil }
                groupBy.append(term)
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
                        guard let item = resolve(raw) else { return nil }
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
            switch literal() {
            case .integer(let n)? where n >= 0 && n <= Int64(Int32.max): limit = Int(n)
            default: return nil  // a negative, real or text LIMIT: SQLite's conversions
            }
        }
        _ = symbol(";")
        guard p == tokens.count, valid() else { return nil }
    }

    /// The type rules: what SQLite would compare, convert or sort differently is left to it.
    private func valid() -> Bool {
        guard groupBy.count <= 3 else { return false }
        for term in groupBy {
            switch term {
            case .column(let c): guard [.text, .integer, .date].contains(kind(c)) else { return false }
            case .coalesce(let c, _): guard kind(c) == .text else { return false }  // text in, text out
            case .local(_, let zone):
                // An unknown zone is SQLite's error to report; `ts` in microseconds is what the scan converts.
                guard table.tsColumnIsMicros, TimeZone(identifier: zone) != nil else { return false }
            }
        }
        func fits(_ literal: Literal, _ k: Kind) -> Bool {
            switch (literal, k) {
            case (.text, .text), (.text, .date), (.text, .tsMicros), (.integer, .integer), (.real, .real): return true
            case (.integer(let v), .real): return v.magnitude <= 1 << 53  // exactly a double
            default: return false
            }
        }
        func fits(_ filter: Filter) -> Bool {
            let k = kind(filter.column)
            guard k != .other else { return false }
            switch filter.test {
            case .isNull: return true
            case .compare(_, let v): return fits(v, k)
            case .anyEqual(let values): return values.allSatisfy { fits($0, k) }
            }
        }
        for item in items {
            switch item {
            case .term(let t):
                guard groupBy.contains(t) else { return false }  // a bare term outside GROUP BY
            case .aggregate(let a, let c):
                guard let c else { continue }
                let k = kind(c)
                switch a {
                case .count: continue
                case .sum, .total, .avg, .stddev: guard k == .integer || k == .real else { return false }
                case .min, .max: guard [.integer, .real, .text, .date, .tsMicros].contains(k) else { return false }
                }
            case .percentile(let c, let fraction):
                // Outside 0…100 SQLite reports an error (at the first value).
                guard kind(c) == .integer || kind(c) == .real, (0...100).contains(fraction) else { return false }
            case .countWhen(let filter):
                guard fits(filter) else { return false }
            case .countDistinct(let c):
                guard [.text, .integer, .date].contains(kind(c)) else { return false }  // equal values are equal bytes or integers
            case .expression(let e):
                // Numbers only: text would be converted by SQLite's numeric rules.
                for (a, c) in e.aggregates {
                    guard let c else { continue }
                    let k = kind(c)
                    guard a == .count || k == .integer || k == .real else { return false }
                }
            }
        }
        return filters.allSatisfy(fits)
    }
}
