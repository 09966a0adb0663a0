import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Lake
@testable import Ingest
@testable import Analytics
@testable import Pipeline
@testable import Generate
@testable import HomeBaseCLI
@testable import TestSupport

/// `homebase analyze` on the command line: flags into options, the file it writes, exit codes,
/// and a range across a DST change (a 23-hour day) checked against DuckDB.
@Suite struct AnalysisCommandTests {
    @Test func analyzeAcrossSpringForwardWritesDeterministicJSON() throws {
        let (dir, _) = try GenerateFixture.generate(
            GeneratorOptions(
                days: 14, agents: 2, callsPerDay: 15, seed: 3,
                endDay: UTCDate.days(year: 2026, month: 3, day: 15)))
        defer { dir.remove() }
        let data = dir.path + "/data"
        _ = try Ingestor(
            options: IngestOptions(
                dataDir: data, openclawDirs: [dir.path + "/openclaw"], gatewayDirs: [dir.path + "/gateway"],
                parallelism: 2, now: { 1_790_000_000_000_000 })
        ).run()
        let clock: @Sendable () -> Int64 = { 1_800_000_000_123_456 }
        let arguments = [
            "--data", data, "--tz", "America/New_York", "--from", "2026-03-05", "--to", "2026-03-10",
            "--now", "2026-03-10T12:00:00Z", "--budget", "50", "--agent-budget", "main=5", "--agent-budget", "research=0.5",
            "--out", dir.path + "/a.json"
        ]
        let console = Console.capturing()
        let code = try AnalyzeCommand(clock: clock).run(arguments, console: console)
        let first = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/a.json"))
        let analysis = try AnalysisJSON.decode(first)
        // DuckDB counts the calls of the six New York days and the unpriced ones among them.
        let files = try LakeScan(dataDir: data, table: .requests).parts.map { data + "/" + $0.path }
        let counted = try PythonOracle.run(
            """
            import sys, json, duckdb
            con = duckdb.connect()
            con.execute("SET TimeZone = 'UTC'")
            r = con.execute(\"\"\"SELECT count(*), count(*) FILTER (WHERE cost_source = 'unpriced') FROM read_parquet(?)
                WHERE CAST(timezone('America/New_York', ts) AS DATE) BETWEEN DATE '2026-03-05' AND DATE '2026-03-10'\"\"\",
                [json.loads(sys.argv[1])]).fetchone()
            print(r[0], r[1])
            """, [String(decoding: try JSONSerialization.data(withJSONObject: files), as: UTF8.self)])
        let numbers = counted.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        try #require(numbers.count == 2, "\(counted)")
        #expect(numbers[0] > 0 && analysis.cost.total.calls == numbers[0])
        #expect(code == (numbers[1] > 0 ? .warnings : .success))
        #expect(
            console.capturedOut.contains("analysed \(numbers[0]) calls, 6 days (2026-03-05 to 2026-03-10, America/New_York)"),
            "\(console.capturedOut)")
        #expect(analysis.generated_at == "2027-01-15T08:00:00.123456Z")
        #expect(analysis.time_zone == "America/New_York")
        #expect(analysis.now == "2026-03-10T12:00:00.000000Z")
        #expect(analysis.range.days == ["2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09", "2026-03-10"])
        // 2026-03-08 in New York has 23 hours; the range has 6·24 − 1 of them.
        #expect(analysis.throughput.by_day["2026-03-08"]?.seconds == 82_800)
        #expect(analysis.throughput.by_day["2026-03-09"]?.seconds == 86_400)
        #expect(analysis.throughput.overall.seconds == Double(6 * 86_400 - 3600))
        // Month to date starts at local midnight of March 1st (05:00Z, EST).
        #expect(analysis.windows["month_to_date"]?.start == "2026-03-01T05:00:00.000000Z")
        #expect(analysis.budgets.month == "2026-03")
        #expect(analysis.budgets.overall?.budget_usd == 50)
        #expect(analysis.budgets.by_agent.keys.sorted() == ["main", "research"])
        // The hourly buckets: 168 of them, labelled in local time with the offset, the DST jump visible.
        #expect(analysis.anomalies.hours.count == 168)
        #expect(analysis.anomalies.hours.contains("2026-03-08T01:00-05:00"))
        #expect(analysis.anomalies.hours.contains("2026-03-08T03:00-04:00"))
        #expect(!analysis.anomalies.hours.contains { $0.hasPrefix("2026-03-08T02:") })
        let lake = AnalysisOracle.Lake.existing(dir: dir, dataDir: data)
        try AnalysisOracle.check(
            analysis,
            against: try lake.oracle(
                zone: "America/New_York", from: "2026-03-05", to: "2026-03-10",
                now: ISO8601Time.micros("2026-03-10T12:00:00Z")!))
        // Same arguments, same clock: the same bytes.
        _ = try AnalyzeCommand(clock: clock).run(arguments, console: Console.capturing())
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.path + "/a.json")) == first)
        // --out - prints the JSON.
        let stdout = Console.capturing()
        _ = try AnalyzeCommand(clock: clock).run(Array(arguments.dropLast(2)) + ["--out", "-"], console: stdout)
        #expect(stdout.capturedOut == String(decoding: first, as: UTF8.self))
    }

    @Test func badFlagsAreUsageErrors() throws {
        let command = AnalyzeCommand(clock: { 0 })
        let console = Console.capturing()
        for arguments in [
            ["--tz", "Mars/Olympus"], ["--from", "2026-02-30"], ["--from", "2026-03-02", "--to", "2026-03-01"],
            ["--now", "yesterday"], ["--budget", "-3"], ["--agent-budget", "main"], ["--agent-budget", "=4"],
            ["--as-of", "x"], ["--anomaly-threshold", "0"], ["--color"]
        ] {
            #expect(throws: UsageError.self, "\(arguments)") { try command.run(arguments, console: console) }
        }
        let parsed = try ArgumentScanner.scan(
            ["--agent-budget", "a=1.5", "--agent-budget", "b=2", "--budget", "10", "--tz", "UTC"],
            spec: OptionSpec(valued: ["budget", "tz"], repeatable: ["agent-budget"]))
        let options = try AnalyzeCommand.options(parsed, generatedAt: 7)
        #expect(options.agentBudgetsUSD == ["a": 1.5, "b": 2])
        #expect(options.budgetUSD == 10)
        #expect(options.generatedAt == 7)
        #expect(options.dataDir == "./homebase-data")
    }

    @Test func anEmptyLakeGivesAnEmptyAnalysis() throws {
        let dir = TemporaryDirectory("homebase-analyze-empty")
        defer { dir.remove() }
        let analysis = try Analyzer(options: AnalysisOptions(dataDir: dir.path, generatedAt: 5_000_000)).run()
        #expect(analysis.cost.total.calls == 0)
        #expect(analysis.range.days.isEmpty)
        #expect(analysis.now_source == "clock")
        #expect(analysis.forecasts.overall == nil)
        #expect(analysis.reconciliation == nil && analysis.recommendations == nil)
        #expect(try AnalysisJSON.decode(AnalysisJSON.encode(analysis)) == analysis)
    }
}
