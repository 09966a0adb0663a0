import Foundation
import HomeBaseCore
import SQLiteStore
import Lake

/// Runs SQL over one snapshot of the lake: every `LakeTable.all` table is a read-only virtual
/// table over its live parts, with our statistics and time-zone functions registered. The
/// catalog is opened read-only; the query database is in memory and refuses anything but reads.
package final class QueryEngine {
    /// The snapshot every table shows (nil: the lake is empty).
    package let snapshot: Int64?
    private let database: SQLiteDatabase
    private let tables: [LakeVirtualTable]
    /// Wall-clock limit per statement in seconds (nil: none). `homebase query` sets `--timeout`.
    package var timeLimit: Double?
    /// Whether simple aggregates (`FastAggregatePlan`) are answered by a vectorised scan instead
    /// of SQLite; off when the environment sets `HOMEBASE_QUERY_FAST_PATH=0` (the differential
    /// tests compare both ways).
    package var fastPath = ProcessEnvironment.current["HOMEBASE_QUERY_FAST_PATH"] != "0"
    /// Whether the last statement was answered by the fast path.
    package private(set) var lastUsedFastPath = false

    /// `asOf`: a snapshot id, or an ISO-8601 time / `YYYY-MM-DD` (end of that UTC day) meaning the
    /// newest snapshot committed by then. Default: the newest snapshot.
    package init(dataDir: String, asOf: String? = nil) throws {
        // One read-only connection to the catalog for the snapshot and every table's parts.
        let catalog = FileManager.default.fileExists(atPath: dataDir + "/" + Catalog.fileName) ? try Catalog(dataDir: dataDir, readOnly: true) : nil
        snapshot = try QueryEngine.resolve(catalog, dataDir: dataDir, asOf: asOf)
        database = try SQLiteDatabase.queryEngine()
        var tables: [LakeVirtualTable] = []
        for table in LakeTable.all {
            var parts: [PartRecord] = []
            if let catalog, let snapshot { parts = try LakeScan(catalog: catalog, dataDir: dataDir, table: table, asOf: snapshot).parts }
            let virtual = LakeVirtualTable(table: table, dataDir: dataDir, parts: parts)
            try database.registerVirtualTable(table.name, virtual)
            tables.append(virtual)
        }
        self.tables = tables
        try QueryFunctions.register(on: database)
        for table in LakeTable.all { _ = try database.prepare("SELECT 1 FROM \"\(table.name)\" LIMIT 0") }  // connects each table
        try database.restrictToReads()
    }

    private static func resolve(_ catalog: Catalog?, dataDir: String, asOf: String?) throws -> Int64? {
        guard let catalog else {
            if let asOf { throw QueryError.badAsOf("no catalog in \(dataDir), so no snapshot '\(asOf)'") }
            return nil
        }
        guard let asOf else { return try catalog.latestSnapshot() }
        if let id = Int64(asOf) {
            let latest = try catalog.latestSnapshot() ?? 0
            guard id >= 1, id <= latest else { throw QueryError.badAsOf("no snapshot \(id) (snapshots are 1...\(latest))") }
            return id
        }
        let micros: Int64
        if let day = UTCDate.parseDate(asOf) {
            micros = (day + 1) * 86_400_000_000 - 1
        } else if let time = ISO8601Time.micros(asOf) {
            micros = time
        } else {
            throw QueryError.badAsOf("'\(asOf)' is neither a snapshot id nor a time like 2026-02-09 or 2026-02-09T12:00:00Z")
        }
        return try catalog.snapshot(atOrBefore: micros) ?? 0  // before the first snapshot: the lake was empty
    }

    /// What the virtual tables read so far, by table name.
    package var scanStats: [String: LakeScanStats] {
        Dictionary(uniqueKeysWithValues: tables.map { ($0.table.name, $0.stats) })
    }

    /// Runs one statement and collects its rows.
    package func run(_ sql: String, parameters: [String: SQLiteValue] = [:]) throws -> QueryResult {
        var result = QueryResult(columns: [], rows: [])
        try execute(sql, parameters: parameters, columns: { result.columns = $0 }, row: { result.rows.append($0) })
        return result
    }

    /// Runs one statement, handing over the column names and then each row as it comes.
    package func execute(
        _ sql: String, parameters: [String: SQLiteValue],
        columns: ([String]) throws -> Void, row: ([SQLiteValue]) throws -> Void
    ) throws {
        for table in tables { table.readFailure = nil }
        var statement: SQLiteStatement
        do {
            let (first, rest) = try database.prepareFirst(sql)
            guard let first else { throw QueryError.noStatement }
            statement = first
            let tail = String(decoding: Array(sql.utf8)[rest...], as: UTF8.self)
            let second = try? database.prepareFirst(tail)  // anything but comments and space after the first statement
            if second == nil || second?.statement != nil {
                throw QueryError.multipleStatements
            }
        } catch var error as SQLiteSyntaxError {
            error.message = SQLErrorHint.message(error.message, tables: tables.map { ($0.table.name, $0.columnNames) })
            throw QueryError.sql(error, in: sql)
        }
        try bind(statement, parameters)
        let count = statement.columnCount
        try columns((0..<count).map(statement.columnName))
        lastUsedFastPath = false
        if fastPath, let plan = FastAggregatePlan(sql: sql, tables: tables, parameters: parameters), plan.items.count == count {
            var rows: [[SQLiteValue]]?
            do {
                rows = try FastAggregateScan(plan: plan, timeLimit: timeLimit).run()
            } catch is FastPathDeclined {
                rows = nil  // SQLite answers (and reports an integer overflow as it does)
            } catch let error as QueryError {
                throw error
            } catch {
                throw QueryError.lake("\(error)")
            }
            if let rows {
                lastUsedFastPath = true
                for values in rows { try row(values) }
                return
            }
        }
        if fastPath, let rewrite = try aggregateCTEs(sql, parameters: parameters) {
            // The CTEs the fast path computed are bound values now; SQLite runs the rest.
            statement = try database.prepare(rewrite.sql)
            try bind(statement, parameters.merging(rewrite.parameters) { a, _ in a }, strict: false)
            lastUsedFastPath = true
        }
        let deadline = timeLimit.map { QueryDeadline(seconds: $0) }
        do {
            func steps() throws {
                while try statement.stepReportingSQL() {
                    try row((0..<count).map(statement.value))
                }
            }
            if let deadline { try deadline.run(on: database, steps) } else { try steps() }
        } catch let error as SQLiteSyntaxError {
            if let deadline, deadline.expired { throw QueryError.timeout(seconds: deadline.seconds) }
            if let failure = tables.lazy.compactMap(\.readFailure).first { throw QueryError.lake("\(failure)") }
            throw QueryError.sql(message: error.message, line: nil, column: nil, context: nil)
        }
    }

    /// `CTEAggregates`' rewrite of `sql`, with the fast path's errors as `execute` reports them.
    private func aggregateCTEs(_ sql: String, parameters: [String: SQLiteValue]) throws -> CTEAggregates.Rewrite? {
        do {
            return try CTEAggregates.rewrite(sql, tables: tables, parameters: parameters, timeLimit: timeLimit) { body in
                guard let (statement, _) = try? database.prepareFirst(body), let statement else { return nil }
                return (0..<statement.columnCount).map(statement.columnName)
            }
        } catch let error as QueryError {
            throw error
        } catch {
            throw QueryError.lake("\(error)")
        }
    }

    /// Binds `parameters` by name; `strict`: every given parameter must be used (the user's).
    private func bind(_ statement: SQLiteStatement, _ parameters: [String: SQLiteValue], strict: Bool = true) throws {
        var values: [SQLiteValue] = []
        var used = Set<String>()
        for name in statement.parameterNames {
            guard let name, let prefix = name.first, ":@$".contains(prefix) else {
                throw QueryError.sql(message: "use named parameters (:name), not '?'", line: nil, column: nil, context: nil)
            }
            let key = String(name.dropFirst())
            guard let value = parameters[key] else { throw QueryError.missingParameter(key) }
            used.insert(key)
            values.append(value)
        }
        if strict, let extra = parameters.keys.sorted().first(where: { !used.contains($0) }) { throw QueryError.unknownParameter(extra) }
        try statement.bind(values)
    }

    /// A command-line parameter value: an integer or a number when it reads as one, else text.
    package static func parameterValue(_ text: String) -> SQLiteValue {
        if let int = Int64(text) { return .int(int) }
        if let double = Double(text), text.allSatisfy({ "0123456789.eE+-".contains($0) }) { return .double(double) }
        return .text(text)
    }
}
