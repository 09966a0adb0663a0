import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Parquet
@testable import Lake
@testable import Ingest
@testable import Analytics
@testable import Query
@testable import TestSupport

/// Every query in `queries/` run through `homebase query` and through DuckDB over the same live
/// Parquet parts of the ingested `samples/` (our functions given their DuckDB meaning by macros
/// this test writes itself); numpy checks the statistics on random data.
@Suite(.serialized) struct QueryOracleTests {
    static let root = PythonOracle.repositoryRoot.path

    /// The `samples/` lake, ingested once for the suite.
    static let samples: Result<TemporaryDirectory, Error> = Result {
        let dir = TemporaryDirectory("homebase-query-oracle")
        let options = IngestOptions(
            dataDir: dir.path + "/data", openclawDirs: [root + "/samples/openclaw"],
            gatewayDirs: [root + "/samples/gateway"], parallelism: 2, now: { 1_800_000_000_000_000 })
        _ = try Ingestor(options: options).run()
        return dir
    }

    /// Our SQL functions defined for DuckDB by this test, from their documented meaning, not from
    /// the text `--duckdb-macros` prints (that would test our macros against themselves):
    /// percentile p a fraction (above 1: percent) with linear interpolation; local_* the wall-clock date, hour,
    /// Monday of the week and month of `ts` in zone `tz`.
    static let oracleMacros = """
        CREATE MACRO percentile(x, p) AS quantile_cont(x, if(p > 1, p / 100.0, p));
        CREATE MACRO local_date(ts, tz) AS CAST((CAST(ts AS TIMESTAMPTZ) AT TIME ZONE tz) AS DATE);
        CREATE MACRO local_hour(ts, tz) AS extract('hour' FROM (CAST(ts AS TIMESTAMPTZ) AT TIME ZONE tz));
        CREATE MACRO local_week(ts, tz) AS local_date(ts, tz) - CAST(isodow(local_date(ts, tz)) - 1 AS INTEGER);
        CREATE MACRO local_month(ts, tz) AS strftime(local_date(ts, tz), '%Y-%m');
        """

    /// Python: another engine's value as ours compare it (timestamps as the lake's ISO text in UTC,
    /// dates ISO, decimals as floats); a naive datetime is taken as local time, so run with TZ=UTC.
    static let pythonNorm = """
        import datetime, decimal
        def norm(v):
            if isinstance(v, datetime.datetime):
                return v.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%fZ')
            if isinstance(v, datetime.date):
                return v.isoformat()
            if isinstance(v, decimal.Decimal):
                return float(v)
            return v
        """

    static let duckdbScript = """
        import sys, json, datetime, decimal, duckdb
        spec = json.loads(sys.stdin.read())
        con = duckdb.connect()
        con.execute("SET TimeZone='UTC'")
        con.execute(spec["macros"])
        for name, table in spec["tables"].items():
            if table["files"]:
                con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({table['files']!r}, hive_partitioning=true)")
            else:
                con.execute(f"CREATE TABLE {name} ({table['ddl']})")
        \(pythonNorm)
        out = []
        for sql in spec["queries"]:
            cur = con.execute(sql)
            out.append({"columns": [d[0] for d in cur.description], "rows": [[norm(v) for v in row] for row in cur.fetchall()]})
        print(json.dumps(out))
        """

    /// What `--duckdb-macros` prints means the same in DuckDB as the test's own definitions, on
    /// instants around DST changes, midnight and year ends in four zones.
    @Test func shippedDuckDBMacrosAgreeWithTheOracles() throws {
        let out = try PythonOracle.run(
            """
            import sys, duckdb
            def run(macros):
                con = duckdb.connect(); con.execute("SET TimeZone='UTC'"); con.execute(macros)
                return con.execute(\"\"\"
                    SELECT ts, tz, local_date(ts, tz), local_hour(ts, tz), local_week(ts, tz), local_month(ts, tz)
                    FROM (SELECT unnest([TIMESTAMPTZ '2026-03-08 06:59:59Z', TIMESTAMPTZ '2026-03-08 07:00:00Z',
                                         TIMESTAMPTZ '2026-03-29 00:30:00Z', TIMESTAMPTZ '2026-12-31 23:30:00Z',
                                         TIMESTAMPTZ '2027-01-03 22:00:00Z', TIMESTAMPTZ '2026-11-01 05:30:00Z']) AS ts),
                         (SELECT unnest(['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata']) AS tz)
                    ORDER BY 1, 2\"\"\").fetchall()
            a, b = run(sys.argv[1]), run(sys.argv[2])
            print(len(a), a == b)
            """, [QueryFunctions.duckDBMacros, Self.oracleMacros])
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "24 True", "\(out)")
    }

    /// DuckDB's answers to `queries`, with views over the live parts of `dataDir` (latest snapshot).
    static func duckdb(_ queries: [String], dataDir: String) throws -> [(columns: [String], rows: [[Any]])] {
        var tables: [String: Any] = [:]
        for table in LakeTable.all {
            let parts = try LakeScan(dataDir: dataDir, table: table).parts.map { dataDir + "/" + $0.path }
            let ddl = table.schema.columns.map { "\"\($0.name)\" \(duckType($0))" } + ["\"date\" DATE"]
            tables[table.name] = ["files": parts, "ddl": ddl.joined(separator: ", ")]
        }
        let spec: [String: Any] = ["macros": Self.oracleMacros, "tables": tables, "queries": queries]
        let out = try PythonOracle.run(duckdbScript, [], stdin: try JSONSerialization.data(withJSONObject: spec))
        let results = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]])
        return try results.map { result in
            (try #require(result["columns"] as? [String]), try #require(result["rows"] as? [[Any]]))
        }
    }

    static func duckType(_ column: ColumnSchema) -> String {
        if column.logicalType == .timestampMicrosUTC { return "TIMESTAMPTZ" }
        switch column.physicalType {
        case .int32: return "INTEGER"
        case .int64: return "BIGINT"
        case .double, .float: return "DOUBLE"
        case .boolean: return "BOOLEAN"
        default: return "VARCHAR"
        }
    }

    /// Equal as values: numbers within 1e-9 relative (sums may add in another order), text exact.
    static func same(_ ours: SQLiteValue, _ theirs: Any) -> Bool {
        switch ours {
        case .null: return theirs is NSNull
        case .text(let text): return (theirs as? String) == text
        case .int(let v): return close(Double(v), theirs)
        case .double(let v): return close(v, theirs)
        case .blob: return false
        }
    }

    static func close(_ a: Double, _ theirs: Any) -> Bool {
        guard let number = theirs as? NSNumber, !(theirs is String) else { return false }
        let b = number.doubleValue
        return abs(a - b) <= 1e-9 * max(1, abs(a), abs(b))
    }

    /// `sql` with `:name` replaced by literals, as DuckDB gets it (numbers bare, text quoted).
    static func substitute(_ sql: String, _ parameters: [String: SQLiteValue]) -> String {
        var text = sql
        for (name, value) in parameters.sorted(by: { $0.key.count > $1.key.count }) {
            let literal: String
            switch value {
            case .int(let v): literal = String(v)
            case .double(let v): literal = String(v)
            case .text(let v): literal = "'" + v.replacingOccurrences(of: "'", with: "''") + "'"
            default: literal = "NULL"
            }
            text = text.replacingOccurrences(of: ":" + name, with: literal)
        }
        return text
    }

    static func compare(_ label: String, ours: QueryResult, theirs: (columns: [String], rows: [[Any]])) {
        #expect(ours.columns == theirs.columns, "\(label): columns")
        #expect(ours.rows.count == theirs.rows.count, "\(label): \(ours.rows.count) rows, DuckDB \(theirs.rows.count)")
        for (i, (mine, other)) in zip(ours.rows, theirs.rows).enumerated() {
            let agrees = mine.count == other.count && zip(mine, other).allSatisfy { same($0, $1) }
            #expect(agrees, "\(label) row \(i): ours \(mine), DuckDB \(other)")
        }
    }

    @Test func namedQueriesAgreeWithDuckDB() throws {
        let dataDir = try Self.samples.get().path + "/data"
        let queries = try NamedQuery.list(directory: Self.root + "/queries")
        #expect(queries.count >= 10)
        let narrow: [String: SQLiteValue] = [
            "from": .text("2026-05-10"), "to": .text("2026-06-05"), "tz": .text("America/New_York"), "limit": .int(5)
        ]
        var runs: [(String, String, QueryResult)] = []
        for query in queries {
            #expect(!query.summary.isEmpty, "\(query.name) has no summary line")
            let declared = Set(query.parameters.map(\.name))
            for (label, given) in [("defaults", [String: SQLiteValue]()), ("narrow", narrow.filter { declared.contains($0.key) })] {
                let parameters = query.parameters(given: given)
                let ours = try QueryEngine(dataDir: dataDir).run(query.sql, parameters: parameters)
                runs.append(("\(query.name) (\(label))", Self.substitute(query.sql, parameters), ours))
            }
            #expect(!runs[runs.count - 2].2.rows.isEmpty, "\(query.name) returns nothing on the samples")
        }
        let theirs = try Self.duckdb(runs.map(\.1), dataDir: dataDir)
        for (run, answer) in zip(runs, theirs) { Self.compare(run.0, ours: run.2, theirs: answer) }
    }

    @Test func ownQueriesOverEveryTableAgreeWithDuckDB() throws {
        let dataDir = try Self.samples.get().path + "/data"
        // Every table, whole, in an order both engines agree on (NULLs placed explicitly: their defaults differ).
        let sqls =
            LakeTable.all.map { table in
                "SELECT * FROM \(table.name) ORDER BY date, " + table.schema.columns.map { "\"\($0.name)\" NULLS FIRST" }.joined(separator: ", ")
            } + [
                "SELECT count(*) AS n, sum(total_tokens) AS t, min(ts) AS a, max(ts) AS b FROM requests WHERE date IN ('2026-05-03', '2026-06-17', '2027-01-01')",
                "SELECT model, stddev(cost_usd) AS s, median(cost_usd) AS m, percentile(total_tokens, 33.3) AS p FROM requests GROUP BY model ORDER BY model"
            ]
        let engine = try QueryEngine(dataDir: dataDir)
        let ours = try sqls.map { try engine.run($0) }
        #expect(ours[0].rows.count == 1052)  // requests comes first in LakeTable.all; samples/README.md: 1052 calls
        for ((sql, mine), answer) in zip(zip(sqls, ours), try Self.duckdb(sqls, dataDir: dataDir)) {
            Self.compare(sql, ours: mine, theirs: answer)
        }
    }

    @Test func localTimeAgreesWithDuckDBAcrossDSTChanges() throws {
        let dataDir = try Self.samples.get().path + "/data"
        // Every 30 minutes around the 2026 clock changes of Berlin, New York and Lord Howe (a 30-minute shift).
        var stamps: [String] = []
        for day in ["2026-03-08", "2026-03-29", "2026-04-05", "2026-10-04", "2026-10-25", "2026-11-01", "2026-12-31"] {
            let start = try #require(ISO8601Time.micros(day + "T00:00:00Z")) - 12 * 3_600_000_000
            for k in 0..<48 { stamps.append(ISOStamp.string(micros: start + Int64(k) * 1_800_000_000)) }
        }
        let values = stamps.map { "('\($0)')" }.joined(separator: ",")
        var sqls: [String] = []
        for zone in ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"] {
            sqls.append(
                """
                WITH v(ts) AS (VALUES \(values))
                SELECT ts, local_date(ts, '\(zone)') AS d, local_hour(ts, '\(zone)') AS h, local_week(ts, '\(zone)') AS w,
                       local_month(ts, '\(zone)') AS m FROM v ORDER BY ts
                """)
        }
        let engine = try QueryEngine(dataDir: dataDir)
        for ((sql, mine), answer) in zip(zip(sqls, try sqls.map { try engine.run($0) }), try Self.duckdb(sqls, dataDir: dataDir)) {
            #expect(mine.rows.count == stamps.count)
            Self.compare(String(sql.suffix(60)), ours: mine, theirs: answer)
        }
    }

    @Test func statisticsAgreeWithNumpy() throws {
        var random = SplitMix64(seed: 11)
        // 7 groups of 1...400 values, some repeated, some negative, some NULL, and one of 6,000
        // (past `RadixSort.threshold`, so the radix sort orders it).
        var rows: [(Int, Double?)] = []
        for group in 0..<8 {
            for _ in 0..<(group == 7 ? 6_000 : 1 + Int(random.next() % 400)) {
                let draw = Double(Int64(random.next() % 200_000) - 50_000) / 7
                rows.append((group, random.next() % 10 == 0 ? nil : (group == 3 ? draw.rounded() : draw)))
            }
        }
        let values = rows.map { "(\($0.0), \($0.1.map { String($0) } ?? "NULL"))" }.joined(separator: ",")
        let ps = [0.0, 0.01, 0.125, 0.25, 0.5, 0.666, 0.9, 0.95, 0.99, 0.999, 1]
        let columns = ps.map { "percentile(x, \($0))" }.joined(separator: ", ")
        let engine = try QueryEngine(dataDir: "/nonexistent")
        let ours = try engine.run("WITH v(g, x) AS (VALUES \(values)) SELECT g, \(columns), median(x), stddev(x) FROM v GROUP BY g ORDER BY g")
        let input = try JSONSerialization.data(withJSONObject: ["ps": ps, "rows": rows.map { [$0.0, $0.1 as Any? ?? NSNull()] }])
        let out = try PythonOracle.run(
            """
            import sys, json, numpy as np
            spec = json.loads(sys.stdin.read())
            groups = {}
            for g, x in spec["rows"]:
                groups.setdefault(g, [])
                if x is not None: groups[g].append(x)
            for g in sorted(groups):
                a = np.array(groups[g], dtype=float)
                row = [g] + [float(np.percentile(a, p * 100)) for p in spec["ps"]] + [float(np.median(a))]
                row.append(float(np.std(a, ddof=1)) if len(a) > 1 else None)
                print(json.dumps(row))
            """, [], stdin: input)
        let expected = out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [Any] }
        #expect(expected.count == 8)
        Self.compare("numpy", ours: ours, theirs: (ours.columns, expected))
    }
}
