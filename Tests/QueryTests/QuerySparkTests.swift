import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Lake
@testable import Query
@testable import TestSupport

/// The lake as a Spark user takes it over: PySpark (local mode) reads every table as plain
/// Parquet under `tables/` with the schema of its Delta log, defines our functions with what
/// `--print-macros spark` prints, and runs every shipped query unchanged; the rows equal
/// `homebase query`'s. The Spark session zone is deliberately not UTC: the answers must not
/// depend on it.
@Suite(.serialized) struct QuerySparkTests {
    static let sparkScript = """
        import sys, os, json, time, datetime, decimal, tempfile
        os.environ["TZ"] = "UTC"; time.tzset()  # how pyspark turns TIMESTAMP values into Python datetimes
        from pyspark.sql import SparkSession
        from pyspark.sql.types import StructType
        spec = json.loads(sys.stdin.read())
        scratch = tempfile.mkdtemp(prefix="homebase-spark-")
        spark = (SparkSession.builder.master("local[2]").appName("homebase-portable-sql")
                 .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                 .config("spark.sql.warehouse.dir", scratch + "/warehouse")
                 .config("spark.driver.extraJavaOptions", "-Dderby.system.home=" + scratch)
                 .config("spark.sql.session.timeZone", "America/Los_Angeles").getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        statement = []
        for line in spec["macros"].splitlines():
            if line.startswith("--") or not line.strip():
                continue
            statement.append(line)
            if line.rstrip().endswith(";"):
                spark.sql("\\n".join(statement).rstrip().rstrip(";"))
                statement = []
        assert not statement, "a macro statement without its closing semicolon"
        for name, root in spec["tables"].items():
            log = os.path.join(root, "_delta_log", "00000000000000000000.json")
            meta = [json.loads(l)["metaData"] for l in open(log) if '"metaData"' in l][0]
            schema = StructType.fromJson(json.loads(meta["schemaString"]))
            spark.read.schema(schema).option("basePath", root).parquet(root).createOrReplaceTempView(name)
        \(QueryOracleTests.pythonNorm)
        out = []
        for sql in spec["queries"]:
            frame = spark.sql(sql)
            out.append({"columns": frame.columns, "rows": [[norm(v) for v in row] for row in frame.collect()]})
        spark.stop()
        print(json.dumps(out))
        """

    /// Spark's answers to `queries` over the committed Parquet files of `dataDir`.
    static func spark(_ queries: [String], dataDir: String) throws -> [(columns: [String], rows: [[Any]])] {
        var tables: [String: String] = [:]
        for table in LakeTable.all { tables[table.name] = dataDir + "/tables/" + table.name }
        let spec: [String: Any] = ["macros": QueryFunctions.sparkMacros, "tables": tables, "queries": queries]
        let out = try PythonOracle.run(sparkScript, [], stdin: try JSONSerialization.data(withJSONObject: spec))
        let json = try #require(out.split(separator: "\n").last.map(String.init), "no output from Spark")
        let results = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        return try results.map { (try #require($0["columns"] as? [String]), try #require($0["rows"] as? [[Any]])) }
    }

    @Test func everyShippedQueryRunsUnchangedOnSpark() throws {
        let dataDir = try QueryOracleTests.samples.get().path + "/data"
        let queries = try NamedQuery.list(directory: QueryOracleTests.root + "/queries")
        #expect(queries.count >= 10)
        let narrow: [String: SQLiteValue] = [
            "from": .text("2026-05-10"), "to": .text("2026-06-05"), "tz": .text("Asia/Kathmandu"), "limit": .int(5)
        ]
        var runs: [(label: String, sql: String, ours: QueryResult)] = []
        for query in queries {
            let declared = Set(query.parameters.map(\.name))
            for (label, given) in [("defaults", [String: SQLiteValue]()), ("narrow", narrow.filter { declared.contains($0.key) })] {
                let parameters = query.parameters(given: given)
                let ours = try QueryEngine(dataDir: dataDir).run(query.sql, parameters: parameters)
                runs.append(("\(query.name) (\(label))", QueryOracleTests.substitute(query.sql, parameters), ours))
            }
        }
        // Local time around the 2026 clock changes (Berlin, New York, Lord Howe's 30-minute shift,
        // Kathmandu's +05:45) and a year end, every 30 minutes.
        var stamps: [String] = []
        for day in ["2026-03-08", "2026-03-29", "2026-04-05", "2026-10-04", "2026-11-01", "2026-12-31"] {
            let start = try #require(ISO8601Time.micros(day + "T00:00:00Z")) - 12 * 3_600_000_000
            for k in 0..<48 { stamps.append(ISOStamp.string(micros: start + Int64(k) * 1_800_000_000)) }
        }
        let engine = try QueryEngine(dataDir: dataDir)
        for zone in ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"] {
            // Spark reads the literals as TIMESTAMP (they end in Z, so the session zone plays no part).
            let ours = try engine.run(Self.localTimeSQL(stamps, zone: zone, cast: false))
            #expect(ours.rows.count == stamps.count)
            runs.append(("local time \(zone)", Self.localTimeSQL(stamps, zone: zone, cast: true), ours))
        }
        let theirs = try Self.spark(runs.map(\.sql), dataDir: dataDir)
        #expect(theirs.count == runs.count)
        for (run, answer) in zip(runs, theirs) {
            #expect(!run.ours.rows.isEmpty || run.label.hasSuffix("(narrow)"), "\(run.label) returns nothing on the samples")
            QueryOracleTests.compare(run.label, ours: run.ours, theirs: answer)
        }
    }

    static func localTimeSQL(_ stamps: [String], zone: String, cast: Bool) -> String {
        let values = stamps.map { cast ? "(TIMESTAMP '\($0)', '\($0)')" : "('\($0)', '\($0)')" }.joined(separator: ", ")
        return """
            WITH v(ts, label) AS (VALUES \(values))
            SELECT label, local_date(ts, '\(zone)') AS d, local_hour(ts, '\(zone)') AS h, local_week(ts, '\(zone)') AS w,
                   local_month(ts, '\(zone)') AS m
            FROM v ORDER BY label
            """
    }
}
