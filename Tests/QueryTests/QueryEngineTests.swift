import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Lake
@testable import Analytics
@testable import Query
@testable import TestSupport

/// `homebase query` over a hand-written lake: six calls on five UTC days in two snapshots, so every
/// expected value below is arithmetic on the rows in `calls` (shown beside each check).
@Suite(.serialized) struct QueryEngineTests {
    static let first: [QueryTestLake.Call] = [
        .init(ts: "2026-02-01T10:00:00Z", model: "m1", cost: 1, latency: 100),
        .init(ts: "2026-02-01T11:00:00Z", model: "m2", cost: 2, latency: 200),
        .init(ts: "2026-02-02T10:00:00Z", model: "m1", cost: 4, latency: 400, status: "error", errorClass: "rate_limit"),
        .init(ts: "2026-02-03T23:30:00Z", model: "m1", cost: 8, latency: nil),
        .init(ts: "2026-02-04T00:15:00Z", model: "m2", cost: 16, latency: 1000, message: "a,\"b\"\nc")
    ]
    static let second: [QueryTestLake.Call] = [.init(ts: "2026-02-05T12:00:00Z", model: "m1", cost: 32, latency: 50)]

    /// Snapshot 1 committed 2026-02-10T00:00Z, snapshot 2 on 2026-02-20T00:00Z.
    static func lake() throws -> QueryTestLake {
        let lake = QueryTestLake()
        try lake.commit(first, committedMicros: try #require(ISO8601Time.micros("2026-02-10T00:00:00Z")))
        try lake.commit(second, committedMicros: try #require(ISO8601Time.micros("2026-02-20T00:00:00Z")))
        return lake
    }

    /// One statement on a fresh engine: its rows and what the requests table read.
    func scan(_ lake: QueryTestLake, _ sql: String, asOf: String? = nil) throws -> (QueryResult, LakeScanStats) {
        let engine = try QueryEngine(dataDir: lake.dataDir, asOf: asOf)
        let result = try engine.run(sql)
        return (result, try #require(engine.scanStats["requests"]))
    }

    @Test func datePruningReadsOnlyTheMatchingParts() throws {
        let lake = try Self.lake()
        defer { lake.remove() }
        // (sql, Σ cost, parts read): costs by day 02-01: 1+2, 02-02: 4, 02-03: 8, 02-04: 16, 02-05: 32.
        let cases: [(String, Double, Int)] = [
            ("date = '2026-02-02'", 4, 1),
            ("date IN ('2026-02-01', '2026-02-05')", 1 + 2 + 32, 2),
            ("date BETWEEN '2026-02-02' AND '2026-02-04'", 4 + 8 + 16, 3),
            ("date > '2026-02-03'", 16 + 32, 2),
            ("date < '2026-02-02'", 1 + 2, 1),
            ("date >= '2026-02-04' AND date <= '2026-02-04'", 16, 1),
            ("'2026-02-03' <= date AND model = 'm1'", 8 + 32, 3),
            ("1 = 1", 63, 5)
        ]
        for (condition, cost, parts) in cases {
            let (result, stats) = try scan(lake, "SELECT sum(cost_usd) FROM requests WHERE \(condition)")
            #expect(result.rows == [[.double(cost)]], "\(condition)")
            #expect(stats.partsRead == parts, "\(condition)")
        }
        // A non-text bound prunes nothing but SQLite still compares: TEXT '2026-02-02' ≠ 20260202.
        #expect(try scan(lake, "SELECT count(*) FROM requests WHERE date = 20260202").0.rows == [[.int(0)]])
        // A join on date hands each outer date to the inner scan: 2·2 (02-01) + 1 + 1 + 1 + 1 = 8 pairs.
        #expect(try scan(lake, "SELECT count(*) FROM requests a JOIN requests b ON a.date = b.date").0.rows == [[.int(8)]])
    }

    /// A bound on `ts` prunes the parts whose day cannot meet it (every ts of a part dated D is
    /// text in [D + "T00:00:00.000000Z", D + "T23:59:59.999999Z"]); SQLite still checks each
    /// row, so the sums are the rows'.
    @Test func tsBoundsPruneParts() throws {
        let lake = try Self.lake()
        defer { lake.remove() }
        let ts = { (iso: String) in UTCDate.isoString(micros: ISO8601Time.micros(iso)!) }  // the stored spelling
        // (sql, Σ cost, parts read), by hand from `first` and `second`:
        let cases: [(String, Double, Int)] = [
            ("ts >= '2026-02-02' AND ts < '2026-02-03'", 4, 1),  // 02-02 only
            ("ts >= '\(ts("2026-02-03T23:00:00Z"))' AND ts < '\(ts("2026-02-04T01:00:00Z"))'", 8 + 16, 2),  // across midnight
            ("ts > '2026-02-04T23:59:59.999999Z'", 32, 1),  // 02-05 only
            ("ts < '2026-02-01T10:30:00'", 1, 1),  // 02-01 only: 10:00 is < 10:30
            ("ts <= '2026-02-01'", 0, 0),  // '2026-02-01' < every ts of that day
            ("ts = '\(ts("2026-02-02T10:00:00Z"))'", 4, 1),
            ("ts >= '2026-02-06'", 0, 0)
        ]
        for (condition, cost, parts) in cases {
            let (result, stats) = try scan(lake, "SELECT coalesce(sum(cost_usd), 0) FROM requests WHERE \(condition)")
            #expect(result.rows == [[.double(cost)]] || (cost == 0 && result.rows == [[.int(0)]]), "\(condition): \(result.rows)")
            #expect(stats.partsRead == parts, "\(condition)")
        }
        // The rule itself, by hand, for a part dated 2026-02-02.
        #expect(DatePrune.tsMayMeet("2026-02-02", op: "B", bound: "2026-02-02T23:59:59.999999Z"))  // >= its last instant
        #expect(!DatePrune.tsMayMeet("2026-02-02", op: "b", bound: "2026-02-02T23:59:59.999999Z"))  // > it
        #expect(!DatePrune.tsMayMeet("2026-02-02", op: "B", bound: "2026-02-03"))
        #expect(!DatePrune.tsMayMeet("2026-02-02", op: "a", bound: "2026-02-02T00:00:00.000000Z"))  // < its first instant
        #expect(DatePrune.tsMayMeet("2026-02-02", op: "A", bound: "2026-02-02T00:00:00.000000Z"))  // <= it
        #expect(!DatePrune.tsMayMeet("2026-02-02", op: "q", bound: "2026-02-02"))
    }

    @Test func readsOnlyTheColumnsUsed() throws {
        let lake = try Self.lake()
        defer { lake.remove() }
        let (sum, sumStats) = try scan(lake, "SELECT model, sum(cost_usd) FROM requests GROUP BY model ORDER BY model")
        let expected: [[SQLiteValue]] = [[.text("m1"), .double(45)], [.text("m2"), .double(18)]]  // m1: 1 + 4 + 8 + 32, m2: 2 + 16
        #expect(sum.rows == expected)
        #expect(sumStats.columnsRead == ["model", "cost_usd"])
        let (count, countStats) = try scan(lake, "SELECT count(*), count(DISTINCT date) FROM requests")
        #expect(count.rows == [[.int(6), .int(5)]])
        #expect(countStats.columnsRead.isEmpty && countStats.rowsRead == 6)
    }

    @Test func rowsComeInDateOrderWithoutASort() throws {
        let lake = try Self.lake()
        defer { lake.remove() }
        // Calls per day: 02-01 2, 02-02 1, 02-03 1, 02-04 1, 02-05 1 (in snapshot order the 02-05 part comes last anyway,
        // so the descending and IN cases check that SQLite still sorts when we do not claim the order).
        let byDay: [[SQLiteValue]] = [
            [.text("2026-02-01"), .int(2)], [.text("2026-02-02"), .int(1)], [.text("2026-02-03"), .int(1)],
            [.text("2026-02-04"), .int(1)], [.text("2026-02-05"), .int(1)]
        ]
        #expect(try scan(lake, "SELECT date, count(*) FROM requests GROUP BY date").0.rows == byDay)
        #expect(try scan(lake, "SELECT date, count(*) FROM requests WHERE date >= '2026-02-01' GROUP BY date ORDER BY date").0.rows == byDay)
        #expect(try scan(lake, "SELECT date, count(*) FROM requests GROUP BY date ORDER BY date DESC").0.rows == byDay.reversed())
        let inList = try scan(lake, "SELECT date FROM requests WHERE date IN ('2026-02-04', '2026-02-02') ORDER BY date").0.rows
        #expect(inList == [[.text("2026-02-02")], [.text("2026-02-04")]])
        let plan = try scan(lake, "EXPLAIN QUERY PLAN SELECT * FROM requests WHERE date > '2026-02-01' ORDER BY date").0.rows
        #expect(!plan.flatMap { $0 }.contains { if case .text(let t) = $0 { t.contains("TEMP B-TREE") } else { false } }, "\(plan)")
    }

    @Test func columnsTypesAndTimestampText() throws {
        let lake = try Self.lake()
        defer { lake.remove() }
        let (all, _) = try scan(lake, "SELECT * FROM requests ORDER BY ts LIMIT 1")
        #expect(all.columns == LakeTable.requests.schema.columns.map(\.name) + ["date"])
        let row = try #require(all.rows.first)
        #expect(row.first == .text("2026-02-01T10:00:00.000000Z") && row.last == .text("2026-02-01"))
        let (typed, _) = try scan(
            lake,
            """
            SELECT typeof(ts), typeof(input_tokens), typeof(cost_usd), typeof(cost_priced_usd), typeof(tool_calls), error_message
            FROM requests WHERE date = '2026-02-04'
            """)
        let types: [SQLiteValue] = [.text("text"), .text("integer"), .text("real"), .text("null"), .text("integer"), .text("a,\"b\"\nc")]
        #expect(typed.rows == [types])
        // Timestamps compare as text in time order: the two calls after 2026-02-03T12:00Z cost 8 + 16 ... + 32.
        #expect(try scan(lake, "SELECT sum(cost_usd) FROM requests WHERE ts > '2026-02-03T12:00:00Z'").0.rows == [[.double(56)]])
    }

    @Test func asOfPicksTheSnapshot() throws {
        let lake = try Self.lake()
        defer { lake.remove() }
        let count = "SELECT count(*) FROM requests"
        #expect(try scan(lake, count).0.rows == [[.int(6)]])
        #expect(try scan(lake, count, asOf: "1").0.rows == [[.int(5)]])
        #expect(try scan(lake, count, asOf: "2026-02-15").0.rows == [[.int(5)]])  // end of 02-15 < 02-20
        #expect(try scan(lake, count, asOf: "2026-02-20T00:00:00Z").0.rows == [[.int(6)]])
        #expect(try scan(lake, count, asOf: "2026-02-09").0.rows == [[.int(0)]])  // before snapshot 1
        for bad in ["3", "0", "yesterday"] {
            let (code, _, err) = lake.cli(["--as-of", bad, count])
            #expect(code == .usage && err.contains("--as-of"), "\(bad): \(err)")
        }
    }

    @Test func statisticsFunctionsByHand() throws {
        let lake = try Self.lake()
        defer { lake.remove() }
        // Latencies (NULL skipped) sorted: 50, 100, 200, 400, 1000.
        // p50: h = 4·0.5 = 2 → 200. p90: h = 3.6 → 400 + 0.6·(1000 − 400) = 760. p0 → 50, p100 → 1000.
        // p is a fraction up to 1 (so 1 is the maximum); above 1 it is the deprecated percent form (90 → 0.9).
        // stddev: mean 1750/5 = 350; squares 90000 + 62500 + 22500 + 2500 + 422500 = 600000; √(600000/4) = 387.298…
        let (all, _) = try scan(
            lake,
            """
            SELECT percentile(latency_ms, 0.5), percentile(latency_ms, 0.9), percentile(latency_ms, 0), percentile(latency_ms, 1),
                   median(latency_ms), stddev(latency_ms), percentile(latency_ms, 90), percentile(latency_ms, 100) FROM requests
            """)
        let expected: [SQLiteValue] = [
            .double(200), .double(760), .double(50), .double(1000), .double(200), .double(150_000.0.squareRoot()), .double(760), .double(1000)
        ]
        #expect(all.rows == [expected])
        // Per model: m1 latencies 100, 400, 50 → median 100; m2 200, 1000 → median 600, p25: h = 0.25 → 200 + 0.25·800 = 400.
        let (byModel, _) = try scan(
            lake, "SELECT model, median(latency_ms), percentile(latency_ms, 0.25) FROM requests GROUP BY model ORDER BY model")
        let perModel: [[SQLiteValue]] = [[.text("m1"), .double(100), .double(75)], [.text("m2"), .double(600), .double(400)]]
        #expect(byModel.rows == perModel)
        // No rows → NULL; one value → stddev NULL (sample deviation needs two).
        let (empty, _) = try scan(
            lake, "SELECT percentile(latency_ms, 0.5), median(latency_ms), stddev(latency_ms) FROM requests WHERE date = '2030-01-01'")
        #expect(empty.rows == [[.null, .null, .null]])
        #expect(try scan(lake, "SELECT stddev(latency_ms) FROM requests WHERE date = '2026-02-05'").0.rows == [[.null]])
        let (code, _, err) = lake.cli(["SELECT percentile(latency_ms, 101) FROM requests"])
        #expect(code == .usage && err.contains("p must be a fraction from 0 to 1"))
    }

    @Test func localTimeFunctionsByHand() throws {
        let lake = try Self.lake()
        defer { lake.remove() }
        let (result, _) = try scan(
            lake,
            """
            SELECT local_date('2026-03-29T00:59:59Z', 'Europe/Berlin'), local_hour('2026-03-29T00:59:59Z', 'Europe/Berlin'),
                   local_hour('2026-03-29T01:00:00Z', 'Europe/Berlin'), local_date('2026-03-28T23:30:00Z', 'Europe/Berlin'),
                   local_date('2026-01-01T03:00:00Z', 'America/New_York'), local_week('2026-01-01T03:00:00Z', 'America/New_York'),
                   local_month('2026-01-01T03:00:00Z', 'America/New_York'), local_hour('2026-06-01T00:00:00Z', 'Asia/Kathmandu'),
                   local_date(NULL, 'UTC')
            """)
        // Berlin: 00:59:59Z is 01:59:59 CET; 01:00Z is 03:00 CEST (clocks skip 02:00); 23:30Z on the 28th is 00:30 on the 29th.
        // New York, 03:00Z on 2026-01-01 is 22:00 EST on Wednesday 2025-12-31: week from Monday 2025-12-29.
        // Kathmandu is UTC+05:45 → 05:45, hour 5.
        let expected: [SQLiteValue] = [
            .text("2026-03-29"), .int(1), .int(3), .text("2026-03-29"), .text("2025-12-31"), .text("2025-12-29"),
            .text("2025-12"), .int(5), .null
        ]
        #expect(result.rows == [expected])
        let (code, _, err) = lake.cli(["SELECT local_date(ts, 'Mars/Olympus') FROM requests"])
        #expect(code == .usage && err.contains("unknown time zone 'Mars/Olympus'"))
    }

    @Test func badSQLGivesMessagePositionAndExit2() throws {
        let lake = try Self.lake()
        defer { lake.remove() }
        // Line 3 is "WHERE cost_usd > >": "WHERE " is columns 1-6, cost_usd 7-14, the second '>' column 18.
        let (code, out, err) = lake.cli(["SELECT model\nFROM requests\nWHERE cost_usd > >"])
        #expect(code == .usage && out.isEmpty)
        #expect(err.contains("line 3, column 18") && err.contains("near \">\": syntax error"), "\(err)")
        // "SELECT nope FROM requests": the unknown column starts at byte 7 → column 8.
        let (code2, _, err2) = lake.cli(["SELECT nope FROM requests"])
        #expect(code2 == .usage && err2.contains("no such column: nope") && err2.contains("column 8"), "\(err2)")
        let (code3, _, err3) = lake.cli(["SELECT 1; SELECT 2"])
        #expect(code3 == .usage && err3.contains("one statement"))
        #expect(lake.cli(["SELECT 1; -- a comment"]).0 == .success)
    }

    /// A misspelt table or column gets the nearest name (edit distance ≤ a third of the name,
    /// a swap of neighbours one edit) and, for a table, the list of the lake's tables; a name near nothing gets no guess.
    @Test func misspeltNamesGetTheNearestOne() throws {
        let lake = try Self.lake()
        defer { lake.remove() }
        let (code, _, err) = lake.cli(["SELECT count(*) FROM requestz"])
        #expect(code == .usage && err.contains("no such table: requestz; did you mean requests? (the lake's tables: requests, "), "\(err)")
        #expect(err.contains("gateway_events") && err.contains("quarantine"), "\(err)")
        // "modle" is one swap from "model" (limit max(1, 5 / 3) = 1); "zzqqzz" is near nothing.
        let (_, _, err2) = lake.cli(["SELECT modle FROM requests"])
        #expect(
            err2.contains(
                "no such column: modle; did you mean model? (a column of requests, gateway_events, requests_rollup, requests_latency_rollup)"),
            "\(err2)")
        let (_, _, err2b) = lake.cli(["SELECT zzqqzz FROM requests"])
        #expect(err2b.contains("no such column: zzqqzz") && !err2b.contains("did you mean"), "\(err2b)")
        // "cost_usdd" is one edit from cost_usd (limit 3); requests and its rollup hold it.
        let (_, _, err3) = lake.cli(["SELECT cost_usdd FROM requests"])
        #expect(err3.contains("no such column: cost_usdd; did you mean cost_usd? (a column of requests, requests_rollup)"), "\(err3)")
        // A qualifier that names a lake table lists that table's columns when nothing is near.
        let (_, _, err4) = lake.cli(["SELECT r.zzz FROM requests r"])
        #expect(err4.contains("no such column: r.zzz") && !err4.contains("did you mean"), "\(err4)")
        let (_, _, err5) = lake.cli(["SELECT requests.zzzzzzzz FROM requests"])
        #expect(err5.contains("(the columns of requests: ts, agent_id, session_id,") && err5.contains(", date)"), "\(err5)")
        // The message keeps its position.
        #expect(err3.contains("column 8"), "\(err3)")
        #expect(lake.cli(["SELECT nothing_like_it FROM requests"]).2.contains("no such column: nothing_like_it\n"))
    }

    @Test func editDistanceByHand() {
        func d(_ a: String, _ b: String) -> Int { SQLErrorHint.distance(Array(a.unicodeScalars), Array(b.unicodeScalars)) }
        #expect(d("kitten", "sitting") == 3)
        #expect(d("", "abc") == 3 && d("abc", "") == 3 && d("abc", "abc") == 0)
        #expect(d("flaw", "lawn") == 2)
        #expect(d("modle", "model") == 1 && d("ab", "ba") == 1 && d("abc", "ca") == 3)  // OSA: "ca" from "abc" is 3, not 2
        #expect(SQLErrorHint.closest(to: "MODELS", among: ["model", "models"]) == "models")  // case-insensitive, exact wins
        #expect(SQLErrorHint.closest(to: "xy", among: ["ab"]) == nil)  // 2 edits > max(1, 2 / 3)
    }

    @Test func writesAreRefusedAndTheCatalogIsUntouched() throws {
        let lake = try Self.lake()
        defer { lake.remove() }
        let catalogPath = lake.dataDir + "/catalog.sqlite"
        let before = try Data(contentsOf: URL(fileURLWithPath: catalogPath))
        let attached = lake.dir.file("other.db")
        for sql in [
            "DELETE FROM requests", "INSERT INTO requests(model) VALUES ('x')", "UPDATE requests SET cost_usd = 0",
            "DROP TABLE requests", "CREATE TABLE t(x)", "CREATE TEMP TABLE t AS SELECT 1", "ATTACH '\(attached)' AS o",
            "ATTACH '\(catalogPath)' AS c", "PRAGMA writable_schema = 1", "VACUUM INTO '\(attached)'", "CREATE VIRTUAL TABLE v USING requests"
        ] {
            let (code, _, err) = lake.cli([sql])
            #expect(code == .usage && !err.isEmpty, "\(sql) → \(code) \(err)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: catalogPath)) == before)
        #expect(!FileManager.default.fileExists(atPath: attached))
        #expect(try scan(lake, "SELECT count(*) FROM requests").0.rows == [[.int(6)]])
    }

    @Test func emptyLakeGivesEmptyResults() throws {
        let lake = QueryTestLake()
        defer { lake.remove() }
        for table in LakeTable.all {
            let (code, out, _) = lake.cli(["--format", "csv", "SELECT * FROM \(table.name)"])
            #expect(code == .success && out == (table.schema.columns.map(\.name) + ["date"]).joined(separator: ",") + "\n")
        }
        let (code, out, _) = lake.cli(["--format", "jsonl", "SELECT count(*) AS n, sum(cost_usd) AS c FROM requests"])
        #expect(code == .success && out == "{\"n\":0,\"c\":null}\n")
    }

    /// A query file saved with CRLF (Windows) or CR line ends has the same summary and parameters
    /// as with LF, and its defaults are bound without a trailing "\r"; a CSV field holding a CRLF
    /// is quoted, so Python's csv module reads the row back whole.
    @Test func crlfQueryFilesAndFields() throws {
        for query in try NamedQuery.list(directory: PythonOracle.repositoryRoot.path + "/queries") {
            for ending in ["\r\n", "\r"] {
                let other = NamedQuery.parse(sql: query.sql.replacingOccurrences(of: "\n", with: ending), path: query.path)
                #expect(other.summary == query.summary && other.parameters == query.parameters, "\(query.name) with \(ending.debugDescription)")
            }
            #expect(!query.parameters.isEmpty || query.sql.range(of: ":[a-z]", options: .regularExpression) == nil, "\(query.name)")
        }
        let lake = QueryTestLake()
        defer { lake.remove() }
        let queries = lake.dataDir + "/../crlf-queries"
        try FileManager.default.createDirectory(atPath: queries, withIntermediateDirectories: true)
        try "-- Days from :from on.\r\n-- Parameters:\r\n--   :from  first day (default 2026-02-04)\r\nSELECT :from AS f, length(:from) AS n;\r\n"
            .write(toFile: queries + "/since.sql", atomically: true, encoding: .utf8)
        let (code, out, err) = lake.cli(["--queries", queries, "--file", "since", "--format", "csv"])
        #expect(code == .success && out == "f,n\n2026-02-04,10\n", "\(out)\(err)")
        // A CTE column named with a quote followed by a combining mark: the fast path's rewrite
        // quotes it byte by byte (a Character-level replace left the quote single: a syntax error).
        let (cteCode, cteOut, cteErr) = lake.cli([
            "--format", "csv", "WITH a AS (SELECT model AS \"x\"\"\u{301}y\", count(*) AS n FROM requests GROUP BY model) SELECT * FROM a"
        ])
        #expect(cteCode == .success && cteOut == "\"x\"\"\u{301}y\",n\n", "\(cteOut)\(cteErr)")
        let (_, csv, _) = lake.cli(["--format", "csv", "SELECT 'one\r\ntwo' AS t, 1 AS n"])
        #expect(csv == "t,n\n\"one\r\ntwo\",1\n", "\(csv.debugDescription)")
        let rows = try PythonOracle.run("import csv, io, sys, json; print(json.dumps(list(csv.reader(io.StringIO(sys.argv[1], newline='')))))", [csv])
        #expect(rows.trimmingCharacters(in: .whitespacesAndNewlines) == #"[["t", "n"], ["one\r\ntwo", "1"]]"#, "\(rows)")
    }

    @Test func outputFormats() throws {
        let lake = QueryTestLake()
        defer { lake.remove() }
        let sql = "SELECT 'a,\"b\"' AS s, 1 AS n, NULL AS z, 2.5 AS r UNION ALL SELECT 'x', -20, 'y', 0.1"
        #expect(lake.cli(["--format", "csv", sql]).1 == "s,n,z,r\n\"a,\"\"b\"\"\",1,,2.5\nx,-20,y,0.1\n")
        #expect(
            lake.cli(["--format", "jsonl", sql]).1
                == "{\"s\":\"a,\\\"b\\\"\",\"n\":1,\"z\":null,\"r\":2.5}\n{\"s\":\"x\",\"n\":-20,\"z\":\"y\",\"r\":0.1}\n")
        #expect(
            lake.cli(["--format", "json", sql]).1
                == "[\n{\"s\":\"a,\\\"b\\\"\",\"n\":1,\"z\":null,\"r\":2.5},\n{\"s\":\"x\",\"n\":-20,\"z\":\"y\",\"r\":0.1}\n]\n")
        #expect(lake.cli(["--format", "json", "SELECT 1 WHERE 0"]).1 == "[]\n")
        // Widths: s = 5 ('a,"b"'), n = 3 ('-20'), z = 4 ('NULL'), r = 3; numbers right-aligned.
        #expect(
            lake.cli(["--format", "table", sql]).1 == """
                s        n  z       r
                -----  ---  ----  ---
                a,"b"    1  NULL  2.5
                x      -20  y     0.1
                (2 rows)

                """)
        #expect(lake.cli(["--format", "xml", sql]).0 == .usage)
    }

    @Test func parametersAndNamedQueries() throws {
        let lake = try Self.lake()
        defer { lake.remove() }
        let sql = "SELECT count(*) FROM requests WHERE date >= :from"
        #expect(lake.cli(["--format", "csv", sql, "--param", "from=2026-02-04"]).1 == "count(*)\n2\n")  // 02-04 and 02-05
        let (missing, _, err) = lake.cli([sql])
        #expect(missing == .usage && err.contains(":from"))
        #expect(lake.cli([sql, "--param", "from=2026-02-04", "--param", "extra=1"]).0 == .usage)
        let queries = lake.dir.file("q")
        try FileManager.default.createDirectory(atPath: queries, withIntermediateDirectories: true)
        try """
        -- Calls on or after a day.
        -- Parameters:
        --   :from  first UTC date (default 2026-02-03)
        --   :limit  how many rows (default 1)
        SELECT count(*) AS n FROM requests WHERE date >= :from LIMIT :limit;
        """.write(toFile: queries + "/since.sql", atomically: true, encoding: .utf8)
        #expect(lake.cli(["--queries", queries, "--file", "since", "--format", "csv"]).1 == "n\n3\n")  // 02-03, 02-04, 02-05
        #expect(lake.cli(["--queries", queries, "--file", "since", "--format", "csv", "--param", "from=2026-02-05"]).1 == "n\n1\n")
        let (listed, out, _) = lake.cli(["--queries", queries, "--list"])
        #expect(listed == .success && out.contains("since") && out.contains("Calls on or after a day.") && out.contains(":from"))
        #expect(lake.cli(["--queries", queries, "--file", "nothere"]).0 == .usage)
    }

    /// `queries/retry_success.sql` against chains followed here from the generated calls: random
    /// sessions of turns whose attempts link by `retry_of`, failing or not, some long, some classes
    /// NULL, spread over days (a chain may cross midnight).
    @Test func retrySuccessFollowsTheChains() throws {
        var rng = SplitMix64(seed: 23)
        var calls: [QueryTestLake.Call] = []
        var micros = try #require(ISO8601Time.micros("2026-03-01T20:00:00Z"))
        var chains: [String: (chains: Int, succeeded: Int, attempts: Int, longest: Int)] = [:]
        for session in 0..<60 {
            let agent = ["main", "ops"][session % 2]
            for turn in 0..<Int(1 + rng.next() % 4) {
                let length = rng.next() % 5 == 0 ? Int(2 + rng.next() % 6) : Int(1 + rng.next() % 3)
                var previous: String?
                var firstClass: String?
                var success: Int?
                var followed = 0
                for attempt in 1...length {
                    let ok = rng.next() % 3 == 0
                    let entry = "t\(turn)a\(attempt)-\(calls.count)"  // as `QueryTestLake` stores it: the id, then the call's index
                    micros += Int64(rng.next() % 7_200) * 1_000_000
                    var call = QueryTestLake.Call(ts: ISOStamp.string(micros: micros))
                    call.agent = agent
                    call.session = "s\(session)"
                    call.entry = "t\(turn)a\(attempt)-"
                    call.retryOf = previous
                    call.status = ok ? "ok" : "error"
                    call.errorClass = ok ? nil : [nil, "rate_limit", "timeout", "server_error"][Int(rng.next() % 4)]
                    calls.append(call)
                    if attempt == 1 { firstClass = call.errorClass ?? "unknown" }
                    // A chain starts at a failure that retries nothing and follows retries while the last attempt failed.
                    if attempt == 1 && ok { break }
                    followed = attempt
                    if ok { success = attempt; break }
                    previous = entry
                }
                guard let firstClass, followed > 0 else { continue }
                var c = chains[firstClass] ?? (0, 0, 0, 0)
                c.chains += 1
                if let success { c.succeeded += 1; c.attempts += success }
                c.longest = max(c.longest, followed)
                chains[firstClass] = c
            }
        }
        let lake = QueryTestLake()
        defer { lake.remove() }
        try lake.commit(calls, committedMicros: 1)
        let query = try NamedQuery.load(path: PythonOracle.repositoryRoot.path + "/queries/retry_success.sql")
        let rows = try QueryEngine(dataDir: lake.dataDir).run(query.sql, parameters: query.parameters(given: [:])).rows
        let expected = chains.sorted { ($0.value.chains, $1.key) > ($1.value.chains, $0.key) }.map { key, c -> [SQLiteValue] in
            [
                .text(key), .int(Int64(c.chains)), .int(Int64(c.succeeded)), .double(Double(c.succeeded) / Double(c.chains)),
                c.succeeded == 0 ? .null : .double(Double(c.attempts) / Double(c.succeeded)), .int(Int64(c.longest))
            ]
        }
        #expect(chains.values.contains { $0.longest >= 4 } && chains.count == 4)
        #expect(rows.count == expected.count)
        for (got, want) in zip(rows, expected) {
            #expect(got.count == want.count && got[0...2] == want[0...2] && got[5] == want[5], "\(got) vs \(want)")
            for k in [3, 4] {
                switch (got[k], want[k]) {
                case (.double(let a), .double(let b)): #expect(abs(a - b) < 1e-12, "\(got) vs \(want)")
                default: #expect(got[k] == want[k], "\(got) vs \(want)")
                }
            }
        }
    }

    @Test func unreadablePartIsFailureNotUsage() throws {
        let lake = try Self.lake()
        defer { lake.remove() }
        let part = try #require(try Catalog(dataDir: lake.dataDir, readOnly: true).liveParts(table: "requests").first)
        try Data("not parquet".utf8).write(to: URL(fileURLWithPath: lake.dataDir + "/" + part.path))
        let (code, _, err) = lake.cli(["SELECT sum(cost_usd) FROM requests"])
        #expect(code == .failure && err.contains("reading the lake"), "\(err)")
        #expect(lake.cli(["SELECT count(*) FROM requests WHERE date = '2026-02-05'"]).0 == .success)  // other parts still read
    }
}

/// `query --format csv` quotes like every other CSV Home Base writes: text formula-guarded, numbers bare.
@Suite struct QueryCSVTests {
    @Test func textIsGuardedNumbersAreNot() {
        #expect(QueryOutput.csvField(.text("=cmd|' /C calc'!A0")) == "'=cmd|' /C calc'!A0")
        #expect(QueryOutput.csvField(.text("a,b")) == "\"a,b\"")
        #expect(QueryOutput.csvField(.int(-5)) == "-5")
        #expect(QueryOutput.csvField(.null) == "")
    }
}
