import Foundation
import HomeBaseCore
import SQLiteStore
import Lake
import Query
import Pipeline

/// `homebase query`: SQL over the lake through SQLite virtual tables, and the named `queries/`.
struct QueryCommand: Command {
    let name = "query"
    let summary = "run SQL (or a named query from queries/) over the lake, read-only"
    /// Built when asked for: its interpolations are not paid by every run of the command.
    var help: String {
        """
        usage: homebase query [--data DIR] [--as-of SNAPSHOT|TIME] [--format table|csv|jsonl|json]
                              "SQL" | --file queries/NAME.sql | --file NAME  [--param name=value ...]
               homebase query --list [--queries DIR]
               homebase query --print-macros duckdb|spark

        Runs one SQL statement through SQLite over the live Parquet parts of one snapshot. Tables:
        \(LakeTable.all.map(\.name).joined(separator: ", ")), each with the partition column `date`
        ('YYYY-MM-DD', last, as DuckDB's hive_partitioning shows it); timestamps are ISO-8601 UTC text
        ('2026-02-09T10:00:00.000000Z'). WHERE conditions on `date` (=, <, <=, >, >=, BETWEEN, IN) skip
        whole partitions, and only the columns a query names are read.

        Functions: percentile(x, p) (exact, linear interpolation, p from 0 to 1; p above 1 is the
        deprecated percent form), median(x), stddev(x) (sample), local_date(ts, tz), local_hour(ts, tz),
        local_week(ts, tz) (Monday), local_month(ts, tz) ('YYYY-MM') for IANA zones such as
        'Europe/Berlin'. --print-macros duckdb|spark prints the macros that give these names the same
        meaning in DuckDB or Spark SQL, so the built-in queries run there unchanged (--duckdb-macros
        is the older spelling of --print-macros duckdb).

          --data DIR        the lake and catalog (default: data_dir of --config FILE, $HOMEBASE_CONFIG
                            or ./homebase.json, else ./homebase-data)
          --as-of X         a snapshot id, or a time (2026-02-09T12:00:00Z, or a date meaning the end
                            of that UTC day): the newest snapshot committed by then (default: newest)
          --format F        table (default), csv, jsonl or json
          --file F          run a query file; a bare NAME is looked up in the queries directory
          --param k=v       binds :k (integers and numbers as numbers, anything else as text);
                            query files declare defaults in their header
          --list            the named queries, their summaries and parameters
          --queries DIR     where named queries live (default: queries/ in the data directory or the
                            working directory, over the built-in queries)
          --stats           after the result, print to stderr what each table read (parts, rows, columns)
          --timeout SECONDS stop a query running longer than this (default 300; 0: no limit), exit 1

        Queries are read-only: the catalog is opened read-only, the tables refuse writes, and only
        SELECT / WITH ... SELECT statements run. An empty lake gives an empty result.
        Exit codes: 0 success, 1 the lake could not be read or the time limit passed, 2 bad SQL
        (message and position) or usage.
        """
    }

    func run(_ arguments: [String], console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(
            arguments,
            spec: OptionSpec(
                valued: ["data", "as-of", "format", "file", "queries", "timeout", "config", "print-macros"],
                switches: ["list", "stats", "duckdb-macros"], repeatable: ["param"], maxPositionals: 1))
        if parsed.has("duckdb-macros") {
            console.out(QueryFunctions.duckDBMacros)
            return .success
        }
        if let engine = parsed.value("print-macros") {
            guard let macros = QueryFunctions.macros(for: engine) else {
                throw UsageError("--print-macros takes \(QueryFunctions.engines.joined(separator: " or ")), got '\(engine)'")
            }
            console.out(macros)
            return .success
        }
        let dataDir = try ConfigFlags.dataDir(parsed)
        // Only --list and --file look for query files: an inline statement does not set up
        // FileManager and path bridging it would never use.
        let files = { ShippedFiles(configFile: nil, dataDir: dataDir) }
        if let dir = parsed.value("queries"), !FileManager.default.fileExists(atPath: dir) {
            throw UsageError("no queries directory at \(dir) (leave --queries out for the built-in queries)")
        }
        if parsed.has("list") {
            try list(files(), only: parsed.value("queries"), console: console)
            return .success
        }
        let format =
            try parsed.value("format").map { text throws(UsageError) in
                guard let format = QueryFormat(rawValue: text) else { throw UsageError("--format must be table, csv, jsonl or json, got '\(text)'") }
                return format
            } ?? .table
        var given: [String: SQLiteValue] = [:]
        for pair in parsed.all("param") {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw UsageError("--param expects name=value, got '\(pair)'")
            }
            let key = String(pair[..<equals]).trimmingPrefix(":")
            given[String(key)] = QueryEngine.parameterValue(String(pair[pair.index(after: equals)...]))
        }
        let sql: String
        var parameters = given
        switch (parsed.positionals.first, parsed.value("file")) {
        case (let text?, nil):
            sql = text
        case (nil, let file?):
            let query = try QueryCommand.locate(file, in: files(), only: parsed.value("queries"))
            sql = query.sql
            parameters = query.parameters(given: given)
        case (.some, .some): throw UsageError("give either SQL or --file, not both")
        case (nil, nil): throw UsageError("expected SQL, --file NAME or --list (see --help)")
        }
        let timeout =
            try parsed.value("timeout").map { text throws(UsageError) in
                guard let seconds = Double(text), seconds.isFinite, seconds >= 0 else {
                    throw UsageError("--timeout must be a number of seconds (0: no limit), got '\(text)'")
                }
                return seconds
            } ?? QueryCommand.defaultTimeout
        do {
            let engine = try QueryEngine(dataDir: dataDir, asOf: parsed.value("as-of"))
            engine.timeLimit = timeout > 0 ? timeout : nil
            let output = QueryOutput(format: format) { console.out($0) }
            try engine.execute(sql, parameters: parameters, columns: output.begin, row: output.row)
            output.finish()
            if parsed.has("stats") {
                for (table, stats) in engine.scanStats.sorted(by: { $0.key < $1.key }) where stats.scans > 0 {
                    console.err(
                        "\(table): \(stats.partsRead) parts, \(stats.rowGroupsRead) row groups, \(stats.rowsRead) rows; columns: \(stats.columnsRead.sorted().joined(separator: ", "))"
                    )
                }
            }
            return .success
        } catch let error as QueryError {
            console.err("homebase query: \(error)")
            return error.isUsage ? .usage : .failure
        }
    }

    private func list(_ files: ShippedFiles, only directory: String?, console: Console) throws {
        let queries = try directory.map { try NamedQuery.list(directory: $0) } ?? NamedQuery.list(files: files)
        for query in queries {
            console.out("\(query.name)\n    \(query.summary)")
            let width = query.parameters.map(\.name.count).max() ?? 0
            for parameter in query.parameters {
                console.out("    :" + parameter.name + String(repeating: " ", count: width - parameter.name.count + 2) + parameter.help)
            }
        }
    }

    /// Seconds a query may run before it is stopped: 5 minutes.
    static let defaultTimeout: Double = 300

    /// A path as given if it exists, else `NAME[.sql]` in `--queries DIR` when given, else in
    /// `queries/` of the roots, else the built-in query of that name.
    static func locate(_ file: String, in files: ShippedFiles, only directory: String?) throws -> NamedQuery {
        if FileManager.default.fileExists(atPath: file) { return try NamedQuery.load(path: file) }
        let bare = file.hasPrefix("queries/") ? String(file.dropFirst(8)) : file
        let name = bare.hasSuffix(".sql") ? bare : bare + ".sql"
        if !bare.contains("/") {
            if let directory {
                let path = directory + "/" + name
                if FileManager.default.fileExists(atPath: path) { return try NamedQuery.load(path: path) }
            } else if let found = files.file("queries/" + name) {
                return NamedQuery.parse(sql: found.text, path: found.origin)
            }
        }
        throw UsageError("no query file '\(file)' (not a path, and not in \(directory ?? files.describe("queries"))); see --list)")
    }
}
