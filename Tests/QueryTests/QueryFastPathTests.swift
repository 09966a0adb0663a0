import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Parquet
@testable import Lake
@testable import Query
@testable import TestSupport

/// The aggregate fast path and `ts` row-group pruning: every answer is compared with SQLite's
/// own (the same statement with the fast path off), with counts worked out here from the calls,
/// and with DuckDB over the same Parquet files.
@Suite(.serialized) struct QueryFastPathTests {
    /// Row values strictly equal (doubles by bit pattern, so 0.0 and -0.0 differ).
    static func same(_ a: QueryResult, _ b: QueryResult) -> Bool {
        guard a.columns == b.columns, a.rows.count == b.rows.count else { return false }
        for (x, y) in zip(a.rows, b.rows) {
            guard x.count == y.count else { return false }
            for (u, v) in zip(x, y) {
                switch (u, v) {
                case (.double(let p), .double(let q)): if p.bitPattern != q.bitPattern { return false }
                default: if u != v { return false }
                }
            }
        }
        return true
    }

    /// A random lake: `days` days of calls sorted by time (small row groups, so a part has many),
    /// committed in two snapshots so some days have two parts; costs mix magnitudes so a sum in
    /// another order would differ in the last bits.
    static func randomLake(seed: UInt64, calls: Int, days: Int = 4) throws -> (QueryTestLake, [QueryTestLake.Call]) {
        var rng = SplitMix64(seed: seed)
        func pick<T>(_ values: [T]) -> T { values[Int(rng.next() % UInt64(values.count))] }
        let start = try #require(ISO8601Time.micros("2026-02-01T00:00:00Z"))
        var list: [QueryTestLake.Call] = []
        for _ in 0..<calls {
            let micros = start + Int64(rng.next() % UInt64(days * 86_400)) * 1_000_000 + Int64(rng.next() % 3) * 999_999
            var call = QueryTestLake.Call(ts: UTCDate.isoString(micros: micros))
            call.model = pick(["m1", "m2", "M1", "mé", "", "gpt-5"])
            call.provider = pick(["p1", "p2"])
            call.agent = pick(["main", "ops", "a"])
            call.cost = pick([0.1, 0.2, 0.3, 1e16, 1.0, -0.0, 1.0 / 3, 2.5e-7, 7])
            call.latency = pick([nil, 100, 250.5, 1e-3, 3000])
            call.status = pick(["ok", "ok", "error"])
            call.errorClass = call.status == "error" ? pick([nil, "rate_limit", "timeout"]) : nil
            list.append(call)
        }
        list.sort { $0.ts < $1.ts }
        let lake = QueryTestLake()
        let half = list.count / 2
        let options = WriterOptions(rowGroupBytes: 2_000 + Int(rng.next() % 4_000), dictionaryPageLimit: pick([64, 1 << 20]))
        try lake.commit(Array(list[..<half]), committedMicros: start + 10 * 86_400_000_000, options: options)
        try lake.commit(Array(list[half...]), committedMicros: start + 11 * 86_400_000_000, options: options)
        return (lake, list)
    }

    /// Random statements of the fast path's shape (and some just outside it).
    static func randomQueries(seed: UInt64, count: Int, tsValues: [String]) -> [String] {
        var rng = SplitMix64(seed: seed)
        func pick<T>(_ values: [T]) -> T { values[Int(rng.next() % UInt64(values.count))] }
        let zones = ["UTC", "Europe/Berlin", "Asia/Kathmandu", "America/St_Johns", "Pacific/Chatham"]
        let groupColumns = [
            "model", "provider", "agent_id", "status", "error_class", "date", "tool_calls", "input_tokens",
            "local_date(ts, '\(pick(zones))')", "local_hour(ts, '\(pick(zones))')", "LOCAL_WEEK(ts, '\(pick(zones))')",
            "local_month(ts, '\(pick(zones))')", "coalesce(error_class, 'none')", "COALESCE(model, '')"
        ]
        let aggregates = [
            "count(*)", "count(latency_ms)", "sum(cost_usd)", "avg(latency_ms)", "total(cost_usd)", "min(model)", "max(latency_ms)",
            "sum(input_tokens)", "avg(input_tokens)", "min(date)", "max(error_class)", "count(error_class)", "sum(latency_ms)",
            "min(cost_usd)", "max(tool_calls)", "total(input_tokens)", "COUNT(*)", "max(ts)", "min(ts)", "stddev(latency_ms)",
            "stddev(input_tokens)", "percentile(latency_ms, 0.95)", "percentile(cost_usd, 50)", "median(input_tokens)",
            "percentile(latency_ms, 1)", "sum(CASE WHEN status = 'error' THEN 1 ELSE 0 END)",
            "sum(case when error_class is null then 1 else 0 end)", "sum(CASE WHEN date = '2026-02-02' THEN 1 ELSE 0 END)",
            "sum(CASE WHEN latency_ms >= 250 THEN 1 ELSE 0 END)", "sum(CASE WHEN model IN ('m1', 'mé') THEN 1 ELSE 0 END)",
            "sum(CASE WHEN ts < '2026-02-03' THEN 1 ELSE 0 END)", "sum(cost_usd) / count(*)", "sum(input_tokens) / count(*)",
            "CAST(sum(input_tokens) AS DOUBLE) / nullif(sum(tool_calls), 0)", "count(*) - count(latency_ms)", "sum(input_tokens) * 3 + 1",
            "avg(latency_ms) * 2.5", "nullif(min(latency_ms), 100)", "(count(*) + 1) / 2", "max(tool_calls) / 0", "sum(cost_usd) - total(cost_usd)",
            "CAST(count(*) AS REAL) / (count(error_class) - 1)", "max(input_tokens) * 9223372036854775807", "count(DISTINCT model)",
            "count(DISTINCT error_class)", "count(distinct date)", "count(DISTINCT input_tokens)"
        ]
        let days = ["2026-02-01", "2026-02-02", "2026-02-03", "2026-02-04", "2026-02-05"]
        var queries: [String] = []
        for _ in 0..<count {
            let groups = Array(Set((0..<Int(rng.next() % 3)).map { _ in pick(groupColumns) })).sorted()
            var items: [String] = groups
            var aliases: [String] = groups
            for k in 0..<(1 + Int(rng.next() % 3)) {
                let a = pick(aggregates)
                if rng.next() % 2 == 0 {
                    items.append("\(a) AS a\(k)")
                    aliases.append("a\(k)")
                } else {
                    items.append(a)
                    aliases.append(a)
                }
            }
            var conditions: [String] = []
            for _ in 0..<Int(rng.next() % 3) {
                let t1 = pick(tsValues), t2 = pick(tsValues)
                conditions.append(
                    pick([
                        "date >= '\(pick(days))'", "date = '\(pick(days))'", "'\(pick(days))' <= date",
                        "date BETWEEN '\(pick(days))' AND '\(pick(days))'",
                        "ts >= '\(min(t1, t2))' AND ts < '\(max(t1, t2))'", "ts BETWEEN '\(min(t1, t2))' AND '\(max(t1, t2))'",
                        "ts > '\(pick(days))'", "ts <= '\(t1)'", "ts = '\(t1)'", "ts != '\(t2)'", "ts IN ('\(t1)', '\(t2)')",
                        "model = 'm1'", "model IN ('m1', 'mé', '')", "model > 'M'", "latency_ms > 100", "latency_ms IS NULL",
                        "error_class IS NOT NULL", "cost_usd <= 0.5", "input_tokens >= 50", "status != 'ok'", "latency_ms = 100",
                        "tool_calls = 0", "ts < 5", "model = 1", "input_tokens > 2.5", "latency_ms >= -1"
                    ]))
            }
            var sql = "SELECT " + items.joined(separator: ", ") + " FROM requests"
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            if !groups.isEmpty { sql += " GROUP BY " + groups.joined(separator: ", ") }
            switch rng.next() % 4 {
            case 0: break
            case 1: sql += " ORDER BY \(1 + Int(rng.next() % UInt64(items.count))) DESC"
            case 2: sql += " ORDER BY " + pick(aliases) + (rng.next() % 2 == 0 ? " DESC" : "") + ", 1"
            default: sql += " ORDER BY " + pick(aliases) + " ASC LIMIT \(rng.next() % 4)"
            }
            queries.append(sql)
        }
        return queries
    }

    /// Many generated statements on random lakes: the fast path's answer equals SQLite's, value
    /// for value and type for type, and the fast path answers most of them.
    @Test func fastPathEqualsSQLiteOnRandomLakes() throws {
        var answered = 0, total = 0
        for seed in UInt64(1)...6 {
            let (lake, calls) = try Self.randomLake(seed: seed, calls: 150 + Int(seed) * 40)
            defer { lake.remove() }
            let fast = try QueryEngine(dataDir: lake.dataDir)
            let slow = try QueryEngine(dataDir: lake.dataDir)
            slow.fastPath = false
            let stamps = calls.map { UTCDate.isoString(micros: ISO8601Time.micros($0.ts)!) } + ["2026-02-02", "2026-02-03T12", "2026-02-09"]
            for sql in Self.randomQueries(seed: seed * 7919, count: 150, tsValues: stamps) {
                let a = try fast.run(sql)
                let used = fast.lastUsedFastPath
                let b = try slow.run(sql)
                #expect(!slow.lastUsedFastPath)
                #expect(Self.same(a, b), "\(sql)\nfast: \(a.rows)\nsqlite: \(b.rows)")
                answered += used ? 1 : 0
                total += 1
            }
        }
        #expect(answered * 10 >= total * 6, "fast path answered \(answered) of \(total)")
    }

    /// Aggregate CTEs computed by the fast path under a statement SQLite runs: random bodies as
    /// CTEs, read back whole (in the order SQLite's own evaluation gives), joined, filtered with
    /// comparisons whose meaning depends on the column's affinity, and with `typeof`; every answer
    /// equals SQLite's alone, value for value.
    @Test func aggregateCTEsEqualSQLite() throws {
        var computed = 0, total = 0
        for seed in UInt64(7)...9 {
            let (lake, calls) = try Self.randomLake(seed: seed, calls: 300)
            defer { lake.remove() }
            let fast = try QueryEngine(dataDir: lake.dataDir)
            let slow = try QueryEngine(dataDir: lake.dataDir)
            slow.fastPath = false
            let stamps = calls.map { UTCDate.isoString(micros: ISO8601Time.micros($0.ts)!) }
            var statements: [(String, [String: SQLiteValue])] = Self.randomQueries(seed: seed * 31, count: 40, tsValues: stamps).map {
                ("WITH t AS (\($0)) SELECT * FROM t", [:])
            }
            let byModel = "SELECT model, count(*) AS n, sum(cost_usd) AS cost, max(input_tokens) AS most FROM requests GROUP BY model"
            let byDay = "SELECT date, provider, count(*) AS calls FROM requests WHERE date BETWEEN :from AND :to GROUP BY date, provider"
            statements += [
                ("WITH m AS (\(byModel)) SELECT model, typeof(model), n, typeof(n), cost FROM m WHERE model = 1 OR n >= '5' OR most = '30'", [:]),
                (
                    "WITH m AS (\(byModel)), d AS (\(byDay)) SELECT d.date, d.provider, m.model, d.calls * m.n FROM d JOIN m ON m.n > d.calls ORDER BY 1, 2, 3",
                    ["from": .text("2026-02-02"), "to": .text("2026-02-04")]
                ),
                (
                    "WITH m AS (\(byModel)) SELECT m.model, count(*) FROM m JOIN requests r ON r.model = m.model AND r.cost_usd > m.cost / m.n GROUP BY m.model ORDER BY m.model",
                    [:]
                ),
                ("WITH m AS (\(byModel)) SELECT model, n FROM m WHERE model > 5 AND n < '1' ORDER BY model", [:]),
                ("WITH e AS (SELECT model, count(*) AS n FROM requests WHERE model = 'nothing' GROUP BY model) SELECT count(*), sum(n) FROM e", [:]),
                ("WITH x AS (SELECT count(*) AS n FROM requests), y AS (SELECT n + 1 AS k FROM x) SELECT * FROM x, y", [:])
            ]
            for (sql, parameters) in statements {
                let a = try fast.run(sql, parameters: parameters)
                let used = fast.lastUsedFastPath
                let b = try slow.run(sql, parameters: parameters)
                #expect(Self.same(a, b), "\(sql)\nfast: \(a.rows)\nsqlite: \(b.rows)")
                computed += used ? 1 : 0
                total += 1
            }
        }
        #expect(computed * 10 >= total * 5, "CTEs computed in \(computed) of \(total) statements")
        // Left to SQLite: recursive, a column list, a name that is a lake table, a body outside the subset.
        let (lake, _) = try Self.randomLake(seed: 3, calls: 50)
        defer { lake.remove() }
        let engine = try QueryEngine(dataDir: lake.dataDir)
        for sql in [
            "WITH RECURSIVE t AS (SELECT model, count(*) AS n FROM requests GROUP BY model) SELECT * FROM t",
            "WITH t(a, b) AS (SELECT model, count(*) FROM requests GROUP BY model) SELECT * FROM t",
            "WITH requests AS (SELECT 'zz' AS model), t AS (SELECT model, count(*) AS n FROM requests GROUP BY model) SELECT * FROM t",
            "WITH t AS (SELECT model, count(*) AS n FROM requests WHERE model LIKE 'm%' GROUP BY model) SELECT * FROM t"
        ] {
            let rows = try engine.run(sql).rows
            #expect(!engine.lastUsedFastPath, "\(sql)")
            if sql.hasPrefix("WITH requests") { #expect(rows == [[.text("zz"), .int(1)]]) }  // the CTE, not the lake table
        }
    }

    /// `queries/errors_by_class.sql` against counts made here from the calls: failed calls per
    /// class (NULL as 'unknown') and provider over that provider's calls, most errors first.
    @Test func errorsByClassByHand() throws {
        let (lake, calls) = try Self.randomLake(seed: 17, calls: 500)
        defer { lake.remove() }
        var perProvider: [String: Int] = [:]
        var errors: [String: Int] = [:]
        for call in calls {
            perProvider[call.provider, default: 0] += 1
            if call.status == "error" { errors[(call.errorClass ?? "unknown") + "\u{0}" + call.provider, default: 0] += 1 }
        }
        let expected: [[SQLiteValue]] = errors.map { key, n -> (String, String, Int) in
            let parts = key.split(separator: "\u{0}").map(String.init)
            return (parts[0], parts[1], n)
        }.sorted { ($1.2, $0.0, $0.1) < ($0.2, $1.0, $1.1) }.map { c, p, n in
            [.text(c), .text(p), .int(Int64(n)), .int(Int64(perProvider[p]!)), .double(Double(n) / Double(perProvider[p]!))]
        }
        let query = try NamedQuery.load(path: PythonOracle.repositoryRoot.path + "/queries/errors_by_class.sql")
        let engine = try QueryEngine(dataDir: lake.dataDir)
        let result = try engine.run(query.sql, parameters: query.parameters(given: [:]))
        #expect(engine.lastUsedFastPath)
        #expect(result.columns == ["error_class", "provider", "errors", "calls", "error_rate"])
        #expect(result.rows == expected)
    }

    /// Hostile statements: the shipped queries, random fast-path statements and aggregate CTEs,
    /// mutated word by word (deleted, doubled, swapped, replaced by pieces of the grammar). Neither
    /// path may trap, and the fast path answers exactly when SQLite does, with SQLite's answer.
    @Test func mutatedStatementsAgreeWithSQLite() throws {
        let (lake, calls) = try Self.randomLake(seed: 77, calls: 240)
        defer { lake.remove() }
        let fast = try QueryEngine(dataDir: lake.dataDir)
        let slow = try QueryEngine(dataDir: lake.dataDir)
        slow.fastPath = false
        fast.timeLimit = 5
        slow.timeLimit = 5
        let stamps = calls.map { UTCDate.isoString(micros: ISO8601Time.micros($0.ts)!) }
        // Comment lines dropped: the words are joined on one line, where `--` would end the statement.
        let shipped = try NamedQuery.list(directory: PythonOracle.repositoryRoot.path + "/queries").map { query in
            query.sql.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }.joined(separator: "\n")
        }
        let bases =
            shipped + Self.randomQueries(seed: 5, count: 30, tsValues: stamps) + [
                "WITH a AS (SELECT model, count(*) AS n FROM requests GROUP BY model), b AS (SELECT model, sum(cost_usd) AS c FROM requests GROUP BY model) SELECT a.model, n, c / n FROM a JOIN b ON a.model = b.model ORDER BY 1"
            ]
        let pieces = [
            "(", ")", ",", "NULL", "'x'", "0", "-1", "1e999", "count(*)", "DISTINCT", "CASE", "WHEN", "THEN", "ELSE", "END", "AS", "*", "/", "+",
            "-", "local_date(ts, 'UTC')", "local_hour(ts, 'Nowhere/Zone')", "coalesce(model, 'a')", "percentile(latency_ms, 2)", ":from", "ts",
            "date", "model", "GROUP BY", "ORDER BY", "LIMIT", "WITH", "RECURSIVE", "nullif(", "CAST(", "DOUBLE", "sum(CASE WHEN", ";", "."
        ]
        var rng = SplitMix64(seed: 2026)
        var agreed = 0, answered = 0
        let rounds = 1_500
        for n in 0..<rounds {
            var words = bases[n % bases.count].split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
            // One change in three statements of five, two in one: more and almost none would parse.
            for _ in 0..<[0, 1, 1, 1, 2][Int(rng.next() % 5)] where !words.isEmpty {
                let i = Int(rng.next() % UInt64(words.count))
                switch rng.next() % 4 {
                case 0: words.remove(at: i)
                case 1: words.insert(words[i], at: i)
                case 2: if i + 1 < words.count { words.swapAt(i, i + 1) }
                default: words[i] = pieces[Int(rng.next() % UInt64(pieces.count))]
                }
            }
            let sql = words.joined(separator: " ")
            var parameters: [String: SQLiteValue] = [:]
            for (name, value) in [
                ("from", SQLiteValue.text("2026-02-02")), ("to", .text("2026-02-04")), ("tz", .text("Asia/Kathmandu")), ("limit", .int(3))
            ]
            where sql.contains(":" + name) {
                parameters[name] = value
            }
            let expected: QueryResult?
            do { expected = try slow.run(sql, parameters: parameters) } catch { expected = nil }
            do {
                let got = try fast.run(sql, parameters: parameters)
                if let expected {
                    #expect(Self.same(got, expected), "\(sql)\nfast: \(got.rows)\nsqlite: \(expected.rows)")
                    agreed += 1
                    answered += fast.lastUsedFastPath ? 1 : 0
                } else {
                    Issue.record("the fast path answered what SQLite refused: \(sql)")
                }
            } catch {
                #expect(expected == nil, "the fast path failed where SQLite answered: \(sql): \(error)")
            }
        }
        #expect(agreed > 350 && answered > 250, "\(agreed) of \(rounds) answered by both, \(answered) of them by the fast path")
    }

    /// Named parameters stand for literals: every statement's answer with its parameters bound
    /// equals SQLite's, value for value, and the ones of the fast path's shape take it (the
    /// shipped queries that are simple aggregates among them, by default and for a narrower range
    /// and another zone); a parameter where the subset has no literal, or bound to NULL, leaves
    /// the statement to SQLite.
    @Test func namedParametersAreLiterals() throws {
        let (lake, _) = try Self.randomLake(seed: 41, calls: 400)
        defer { lake.remove() }
        let fast = try QueryEngine(dataDir: lake.dataDir)
        let slow = try QueryEngine(dataDir: lake.dataDir)
        slow.fastPath = false
        let cases: [(String, [String: SQLiteValue], Bool)] = [
            (
                "SELECT model, count(*), sum(cost_usd) FROM requests WHERE date BETWEEN :from AND :to GROUP BY model ORDER BY model",
                ["from": .text("2026-02-02"), "to": .text("2026-02-03")], true
            ),
            ("SELECT count(*) FROM requests WHERE input_tokens > :n AND latency_ms <= @ms", ["n": .int(20), "ms": .double(250.5)], true),
            ("SELECT count(*) FROM requests WHERE :m = model", ["m": .text("mé")], true),
            ("SELECT count(*) FROM requests WHERE model IN (:a, 'm2', $b)", ["a": .text("m1"), "b": .text("")], true),
            ("SELECT count(*) FROM requests WHERE ts >= :t AND ts < :u", ["t": .text("2026-02-02"), "u": .text("2026-02-03T12")], true),
            ("SELECT provider, count(*) FROM requests WHERE date >= :d GROUP BY provider", ["d": .int(5)], false),
            ("SELECT count(*) FROM requests WHERE model = :m", ["m": .null], false),
            ("SELECT count(*) FROM requests WHERE latency_ms > -:x", ["x": .int(1)], false),
            ("SELECT model, count(*) FROM requests GROUP BY model LIMIT :n", ["n": .int(2)], true),
            ("SELECT model, count(*) FROM requests GROUP BY model LIMIT :n", ["n": .text("2")], false),
            ("SELECT model, count(*) FROM requests GROUP BY model LIMIT :n", ["n": .int(-1)], false),
            ("SELECT local_date(ts, :tz) AS d, count(*) FROM requests GROUP BY d", ["tz": .null], false)
        ]
        for (sql, parameters, expectFast) in cases {
            let a = try fast.run(sql, parameters: parameters)
            let used = fast.lastUsedFastPath
            let b = try slow.run(sql, parameters: parameters)
            #expect(Self.same(a, b), "\(sql)\nfast: \(a.rows)\nsqlite: \(b.rows)")
            if expectFast { #expect(used, "\(sql)") }
        }
        let shipped = [
            "cost_by_provider", "cost_by_day_model", "calls_by_local_day", "hourly_load", "hourly_spend", "monthly_cost",
            "latency_percentiles_by_model", "top_sessions_by_cost", "cost_by_agent", "top_error_messages"
        ]
        for name in shipped {
            let query = try NamedQuery.load(path: PythonOracle.repositoryRoot.path + "/queries/\(name).sql")
            let tz: [String: SQLiteValue] = query.parameters.contains { $0.name == "tz" } ? ["tz": .text("Asia/Kathmandu")] : [:]
            for range: [String: SQLiteValue] in [[:], ["from": .text("2026-02-02"), "to": .text("2026-02-03")].merging(tz) { a, _ in a }] {
                let parameters = query.parameters(given: range)
                let a = try fast.run(query.sql, parameters: parameters)
                #expect(fast.lastUsedFastPath, "\(name) \(range)")
                #expect(Self.same(a, try slow.run(query.sql, parameters: parameters)), "\(name) \(range)")
                #expect(!a.rows.isEmpty)
            }
        }
    }

    /// By hand: types and NULLs of an empty table, of groups, and SQLite's integer vs real sums.
    @Test func typesAndNullsByHand() throws {
        let empty = QueryTestLake()
        defer { empty.remove() }
        let engine = try QueryEngine(dataDir: empty.dataDir)
        let none = try engine.run("SELECT count(*), sum(cost_usd), avg(latency_ms), total(cost_usd), min(model), count(model) FROM requests")
        #expect(engine.lastUsedFastPath)
        #expect(none.rows == [[.int(0), .null, .null, .double(0), .null, .int(0)]])
        #expect(try engine.run("SELECT model, count(*) FROM requests GROUP BY model").rows.isEmpty)
        #expect(engine.lastUsedFastPath)

        let lake = QueryTestLake()
        defer { lake.remove() }
        try lake.commit(
            [
                .init(ts: "2026-02-01T10:00:00Z", model: "b", cost: 1.5, latency: nil),
                .init(ts: "2026-02-01T11:00:00Z", model: "a", cost: 2, latency: 10),
                .init(ts: "2026-02-02T10:00:00Z", model: "b", cost: 4, latency: nil, errorClass: "x")
            ], committedMicros: 1)
        let e = try QueryEngine(dataDir: lake.dataDir)
        // Tokens are 10·(n+1): 10, 20, 30; integer sums stay integers, avg is real.
        let r = try e.run(
            "SELECT model, count(*) AS n, sum(input_tokens), avg(input_tokens), sum(latency_ms), max(error_class), min(date) FROM requests GROUP BY model ORDER BY n DESC"
        )
        #expect(e.lastUsedFastPath)
        #expect(r.columns == ["model", "n", "sum(input_tokens)", "avg(input_tokens)", "sum(latency_ms)", "max(error_class)", "min(date)"])
        #expect(
            r.rows == [
                [.text("b"), .int(2), .int(40), .double(20), .null, .text("x"), .text("2026-02-01")],
                [.text("a"), .int(1), .int(20), .double(20), .double(10), .null, .text("2026-02-01")]
            ])
        // Costs 1.5, 2, 4; tokens 10, 20, 30: arithmetic on the sums, integer division truncating.
        #expect(try e.run("SELECT sum(cost_usd) * 2, sum(input_tokens) / 7, count(*) / 0 FROM requests").rows == [[.double(15), .int(8), .null]])
        #expect(e.lastUsedFastPath)
        // Models b, a, b; error classes NULL, NULL, x: coalesce names the NULL group, count(DISTINCT) skips NULL.
        #expect(
            try e.run(
                "SELECT coalesce(error_class, 'none') AS c, count(*), count(DISTINCT model), count(DISTINCT error_class) FROM requests GROUP BY c"
            ).rows
                == [[.text("none"), .int(2), .int(2), .int(0)], [.text("x"), .int(1), .int(1), .int(1)]])
        #expect(e.lastUsedFastPath)
        // Outside the subset: SQLite answers.
        for sql in [
            "SELECT count(*) FROM requests WHERE model = 'a' OR model = 'b'", "SELECT count(DISTINCT cost_usd) FROM requests",
            "SELECT model, count(*) FROM requests GROUP BY model HAVING count(*) > 1", "SELECT sum(cost_usd) * latency_ms FROM requests",
            "SELECT median(latency_ms + 1) FROM requests", "SELECT count(*) FROM requests WHERE ts >= 5"
        ] {
            _ = try e.run(sql)
            #expect(!e.lastUsedFastPath, "\(sql)")
        }
    }

    /// Local-time groups, percentiles, stddev and conditional counts by hand: four calls around
    /// Berlin's spring clock change (01:00Z on 2026-03-29) and Kathmandu's +05:45.
    @Test func localGroupsAndStatisticsByHand() throws {
        let lake = QueryTestLake()
        defer { lake.remove() }
        try lake.commit(
            [
                .init(ts: "2026-03-28T23:30:00Z", cost: 1, latency: 100),  // Berlin 03-29 00:30 (+1), Kathmandu 03-29 05:15
                .init(ts: "2026-03-29T00:30:00Z", cost: 2, latency: 200, status: "error"),  // Berlin 01:30 (+1)
                .init(ts: "2026-03-29T01:30:00Z", cost: 4, latency: 400),  // Berlin 03:30 (+2)
                .init(ts: "2026-03-29T22:30:00Z", cost: 8, latency: nil, status: "error")  // Berlin 03-30 00:30, Kathmandu 03-30 04:15
            ], committedMicros: 1)
        let e = try QueryEngine(dataDir: lake.dataDir)
        func run(_ sql: String) throws -> [[SQLiteValue]] {
            let rows = try e.run(sql).rows
            #expect(e.lastUsedFastPath, "\(sql)")
            return rows
        }
        let errors = "sum(CASE WHEN status = 'error' THEN 1 ELSE 0 END)"
        #expect(
            try run("SELECT local_date(ts, 'Europe/Berlin') AS d, count(*), \(errors), sum(cost_usd) FROM requests GROUP BY d ORDER BY d")
                == [[.text("2026-03-29"), .int(3), .int(1), .double(7)], [.text("2026-03-30"), .int(1), .int(1), .double(8)]])
        #expect(
            try run("SELECT local_hour(ts, 'Europe/Berlin') AS h, count(*) FROM requests GROUP BY h ORDER BY h DESC")
                == [[.int(3), .int(1)], [.int(1), .int(1)], [.int(0), .int(2)]])
        #expect(
            try run("SELECT local_hour(ts, 'Asia/Kathmandu') AS h, count(*) FROM requests GROUP BY local_hour(ts, 'Asia/Kathmandu')")
                == [[.int(4), .int(1)], [.int(5), .int(1)], [.int(6), .int(1)], [.int(7), .int(1)]])
        #expect(
            try run("SELECT local_week(ts, 'Europe/Berlin') AS w, local_month(ts, 'Europe/Berlin') AS m, count(*) FROM requests GROUP BY w, m")
                == [[.text("2026-03-23"), .text("2026-03"), .int(3)], [.text("2026-03-30"), .text("2026-03"), .int(1)]])
        // Latencies 100, 200, 400 (one NULL): p95 at h = 2·0.95 = 1.9 → 200 + 0.9·200 = 380; median 200;
        // stddev of 100, 200, 400: mean 700/3, squares sum 46 666.67, / 2 → √23 333.3 = 152.752…
        let stats = try run(
            "SELECT percentile(latency_ms, 0.95), median(latency_ms), percentile(latency_ms, 95), stddev(latency_ms), min(ts), max(ts) FROM requests")
        #expect(stats.count == 1 && stats[0].count == 6)
        if case .double(let p95) = stats[0][0], case .double(let median) = stats[0][1], case .double(let percent) = stats[0][2],
            case .double(let sd) = stats[0][3]
        {
            #expect(abs(p95 - 380) < 1e-9 && median == 200 && percent == p95)
            #expect(abs(sd - (70_000.0 / 3).squareRoot()) < 1e-9)
        } else {
            Issue.record("not doubles: \(stats)")
        }
        #expect(stats[0][4] == .text("2026-03-28T23:30:00.000000Z") && stats[0][5] == .text("2026-03-29T22:30:00.000000Z"))
        // A group without latencies: NULL percentile and stddev; one value: NULL stddev.
        // error: 200 and a NULL (one value, no stddev); ok: 100, 400 → median 250, Welford's m2 = 300·150 = 45 000.
        #expect(
            try run("SELECT status, percentile(latency_ms, 0.5), stddev(latency_ms) FROM requests GROUP BY status ORDER BY status")
                == [[.text("error"), .double(200), .null], [.text("ok"), .double(250), .double(45_000.0.squareRoot())]])
        #expect(
            try run("SELECT status, percentile(latency_ms, 0.5), stddev(cost_usd) FROM requests WHERE cost_usd >= 4 GROUP BY status")
                == [[.text("error"), .null, .null], [.text("ok"), .double(400), .null]])
        // No rows: SQLite's sum of nothing is NULL, count 0.
        #expect(try run("SELECT \(errors), count(*), median(latency_ms) FROM requests WHERE cost_usd > 100") == [[.null, .int(0), .null]])
    }

    /// SQLite's arithmetic on aggregate values, worked out by hand from its VDBE rules.
    @Test func aggregateArithmeticIsSQLites() {
        let apply = AggregateExpression.apply
        #expect(apply("/", .int(7), .int(2)) == .int(3))
        #expect(apply("/", .int(-7), .int(2)) == .int(-3))  // truncates toward zero
        #expect(apply("/", .int(1), .int(0)) == .null)
        #expect(apply("/", .double(1), .int(0)) == .null)
        #expect(apply("/", .int(.min), .int(-1)) == .double(9.223372036854775808e18))  // the one overflowing division
        #expect(apply("+", .int(.max), .int(1)) == .double(9.223372036854775808e18))  // overflow: real arithmetic
        #expect(apply("*", .int(1 << 40), .int(1 << 40)) == .double(1_208_925_819_614_629_174_706_176))
        #expect(apply("-", .int(5), .double(0.5)) == .double(4.5))
        #expect(apply("+", .null, .int(1)) == .null)
        #expect(apply("*", .double(.infinity), .int(0)) == .null)  // NaN is NULL
        let e = AggregateExpression.nullIf(.integer(1), .real(1))
        #expect(e.evaluate { .null } == .null)  // 1 = 1.0
        #expect(AggregateExpression.nullIf(.integer(2), .real(1)).evaluate { .null } == .int(2))
        #expect(AggregateExpression.castReal(.integer(3)).evaluate { .null } == .double(3))
        #expect(AggregateExpression.nullIf(.aggregate(.sum, column: 1), .integer(0)).evaluate { .null } == .null)
    }

    /// Every local-time unit in zones with 1-hour, 30-minute and 45-minute offsets, every 30
    /// minutes around 2026's clock changes, through both paths (SQLite's functions agree with
    /// DuckDB's in `QueryOracleTests`); a `ts` outside 0001-9999 fails both with SQLite's error.
    @Test func localGroupsEqualSQLiteAcrossClockChanges() throws {
        let lake = QueryTestLake()
        defer { lake.remove() }
        var calls: [QueryTestLake.Call] = []
        for day in ["2026-03-08", "2026-03-29", "2026-04-05", "2026-10-04", "2026-10-25", "2026-11-01", "2026-12-31"] {
            let start = try #require(ISO8601Time.micros(day + "T00:00:00Z")) - 12 * 3_600_000_000
            for k in 0..<48 {
                calls.append(.init(ts: ISOStamp.string(micros: start + Int64(k) * 1_800_000_000), cost: Double(k) / 7, latency: Double(k * 37 % 11)))
            }
        }
        try lake.commit(calls, committedMicros: 1, options: WriterOptions(rowGroupBytes: 700))
        let fast = try QueryEngine(dataDir: lake.dataDir)
        let slow = try QueryEngine(dataDir: lake.dataDir)
        slow.fastPath = false
        for zone in ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham", "UTC"] {
            for unit in ["local_date", "local_hour", "local_week", "local_month"] {
                let sql = "SELECT \(unit)(ts, :tz) AS k, count(*), sum(cost_usd), percentile(latency_ms, 0.9) FROM requests GROUP BY k ORDER BY k"
                let a = try fast.run(sql, parameters: ["tz": .text(zone)])
                #expect(fast.lastUsedFastPath, "\(sql) \(zone)")
                let b = try slow.run(sql, parameters: ["tz": .text(zone)])
                #expect(Self.same(a, b), "\(unit) \(zone)\nfast: \(a.rows)\nsqlite: \(b.rows)")
                #expect(a.rows.map { $0[1] }.reduce(0) { if case .int(let n) = $1 { return $0 + n } else { return $0 } } == Int64(calls.count))
            }
        }
        var far = QueryTestLake.Call(ts: "2026-01-01T00:00:00Z")
        far.rawMicros = CallRange.maxMicros + 1
        try lake.commit([far], committedMicros: 2)
        let afterFast = try QueryEngine(dataDir: lake.dataDir)
        let afterSlow = try QueryEngine(dataDir: lake.dataDir)
        afterSlow.fastPath = false
        for engine in [afterFast, afterSlow] {
            #expect(throws: QueryError.self) { try engine.run("SELECT local_date(ts, 'UTC') AS d, count(*) FROM requests GROUP BY d") }
        }
    }

    /// Integer sums that overflow, by hand: SQLite's `sum` fails with "integer overflow" (the fast
    /// path leaves it to SQLite, which reports it), `total` and `avg` turn real; a group that does
    /// not overflow keeps its integer sum.
    @Test func integerOverflowIsSQLites() throws {
        let lake = QueryTestLake()
        defer { lake.remove() }
        let half = Int64.max / 2 + 1  // 2^62: two of them are 2^63, one past Int64.max
        var calls: [QueryTestLake.Call] = []
        for (model, tokens) in [("big", half), ("big", half), ("small", 5), ("small", -7)] {
            var call = QueryTestLake.Call(ts: "2026-02-01T10:00:00Z", model: model)
            call.tokens = tokens
            calls.append(call)
        }
        try lake.commit(calls, committedMicros: 1)
        for fast in [true, false] {
            let e = try QueryEngine(dataDir: lake.dataDir)
            e.fastPath = fast
            #expect(throws: QueryError.self) { try e.run("SELECT model, sum(input_tokens) FROM requests GROUP BY model") }
            let rows = try e.run(
                "SELECT model, total(input_tokens), avg(input_tokens), max(input_tokens) - min(input_tokens) FROM requests GROUP BY model"
            ).rows
            #expect(
                rows == [
                    [.text("big"), .double(9.223372036854775808e18), .double(4.611686018427387904e18), .int(0)],
                    [.text("small"), .double(-2), .double(-1), .int(12)]
                ])
            #expect(try e.run("SELECT sum(input_tokens) FROM requests WHERE model = 'small'").rows == [[.int(-2)]])
            #expect(e.lastUsedFastPath == fast)
        }
    }

    /// `ts` bounds exactly at row-group edges: each part holds one call per row group (tiny row
    /// groups), so every bound below is the first or last `ts` of a row group; the count is the
    /// calls whose stored text meets the bound, counted here; row groups that cannot match are
    /// skipped.
    @Test func tsBoundsAtRowGroupEdges() throws {
        let lake = QueryTestLake()
        defer { lake.remove() }
        var calls: [QueryTestLake.Call] = []
        for h in 0..<48 { calls.append(.init(ts: String(format: "2026-02-%02dT%02d:00:00Z", 1 + h / 24, h % 24), cost: Double(h))) }
        var far = QueryTestLake.Call(ts: "2026-01-01T00:00:00Z")
        far.rawMicros = CallRange.maxMicros + 1  // shown as an integer
        calls.append(far)
        try lake.commit(calls, committedMicros: 1, options: WriterOptions(rowGroupBytes: 1))
        // The out-of-range value reads as an integer, which a comparison with text (the column is
        // declared TEXT) turns into its decimal digits.
        let stored = calls.map { $0.rawMicros.map { String($0) } ?? UTCDate.isoString(micros: ISO8601Time.micros($0.ts)!) }
        let bounds = ["2026-02-01T05:00:00.000000Z", "2026-02-01T23:00:00.000000Z", "2026-02-02T00:00:00.000000Z", "2026-02-02T00", "2026-02-02"]
        for bound in bounds {
            for op in ["<", "<=", ">", ">=", "=", "!="] {
                let expected = stored.filter { s in
                    let c = s < bound ? -1 : (s == bound ? 0 : 1)
                    return RowTest.holds(op, c)
                }.count
                let sql = "SELECT count(*) FROM requests WHERE ts \(op) '\(bound)'"
                let fast = try QueryEngine(dataDir: lake.dataDir)
                let slow = try QueryEngine(dataDir: lake.dataDir)
                slow.fastPath = false
                let (a, b) = (try fast.run(sql), try slow.run(sql))
                #expect(fast.lastUsedFastPath)
                // Both paths skip a part whose day no ts meeting the bound can fall on, so the
                // out-of-range row (filed under 2026-01-01) is not seen by >, >= and = here.
                let far = String(CallRange.maxMicros + 1)
                let skipped = [">", ">=", "="].contains(op) && RowTest.holds(op, far < bound ? -1 : (far == bound ? 0 : 1)) ? 1 : 0
                #expect(a.rows == [[.int(Int64(expected - skipped))]], "\(sql): \(a.rows)")
                #expect(b.rows == a.rows, "\(sql)")
                if op == "<" || op == "<=" {  // one call per row group: the groups before the bound pass by their statistics
                    #expect(try #require(fast.scanStats["requests"]).rowGroupsProven > 0, "\(sql)")
                }
                if bound.hasPrefix("2026-02-01T") && (op == ">=" || op == ">" || op == "=") {  // inside a part: some of its row groups cannot match
                    #expect(try #require(slow.scanStats["requests"]).rowGroupsSkipped > 0, "\(sql)")
                    #expect(try #require(fast.scanStats["requests"]).rowGroupsSkipped > 0, "\(sql)")
                }
            }
        }
    }

    /// The same `ts` ranges through both paths and through DuckDB over the same files (the
    /// timestamp formatted as the lake's text, so the comparison is the same text comparison).
    @Test func tsRangesAgreeWithDuckDB() throws {
        let (lake, calls) = try Self.randomLake(seed: 42, calls: 400)
        defer { lake.remove() }
        var rng = SplitMix64(seed: 99)
        let stamps = calls.map { UTCDate.isoString(micros: ISO8601Time.micros($0.ts)!) }
        var ranges: [(String, String)] = [("2026-02-02", "2026-02-03"), ("2026-02-01T12", "2026-02-04T00:00:00.000000Z")]
        for _ in 0..<10 {
            let a = stamps[Int(rng.next() % UInt64(stamps.count))], b = stamps[Int(rng.next() % UInt64(stamps.count))]
            ranges.append((min(a, b), max(a, b)))
        }
        let fast = try QueryEngine(dataDir: lake.dataDir)
        let slow = try QueryEngine(dataDir: lake.dataDir)
        slow.fastPath = false
        var ours: [[String]] = []
        for (low, high) in ranges {
            let condition = "ts >= '\(low)' AND ts < '\(high)'"
            let counted = try fast.run("SELECT count(*), count(latency_ms) FROM requests WHERE \(condition)")
            #expect(fast.lastUsedFastPath)
            let listed = try slow.run("SELECT entry_id FROM requests WHERE \(condition) ORDER BY entry_id")
            #expect(counted.rows[0][0] == .int(Int64(listed.rows.count)))
            ours.append(listed.rows.map { row in if case .text(let t) = row[0] { return t } else { return "?" } })
        }
        let script = """
            import sys, json, duckdb
            spec = json.loads(sys.stdin.read())
            con = duckdb.connect()
            con.execute("SET TimeZone='UTC'")
            con.execute(f"CREATE VIEW requests AS SELECT * FROM read_parquet('{spec['dir']}/tables/requests/*/*.parquet', hive_partitioning=true)")
            out = []
            for low, high in spec["ranges"]:
                rows = con.execute("SELECT entry_id FROM requests WHERE strftime(ts, '%Y-%m-%dT%H:%M:%S.%fZ') >= ? AND strftime(ts, '%Y-%m-%dT%H:%M:%S.%fZ') < ? ORDER BY entry_id", [low, high]).fetchall()
                out.append([r[0] for r in rows])
            print(json.dumps(out))
            """
        let spec = try JSONSerialization.data(withJSONObject: ["dir": lake.dataDir, "ranges": ranges.map { [$0.0, $0.1] }])
        let output = try PythonOracle.run(script, stdin: spec)
        let duck = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String]])
        #expect(duck.count == ours.count)
        for (k, (d, o)) in zip(duck, ours).enumerated() {
            #expect(d.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) == o, "range \(ranges[k])")
        }
        #expect(ours.contains { !$0.isEmpty })
    }

    /// The SQL subset's parser: what it takes and what it leaves to SQLite.
    @Test func planRecognisesOnlyTheSubset() throws {
        let lake = QueryTestLake()
        defer { lake.remove() }
        let table = LakeVirtualTable(table: .requests, dataDir: lake.dataDir, parts: [])
        func plan(_ sql: String) -> FastAggregatePlan? { FastAggregatePlan(sql: sql, tables: [table]) }
        let p = try #require(
            plan(
                "select Model, COUNT(*) n, avg(latency_ms) from REQUESTS where ts >= '2026' and \"date\" in ('a','b') group by model order by n desc, 1 limit 5;"
            ))
        #expect(p.items == [.term(.column(5)), .aggregate(.count, column: nil), .aggregate(.avg, column: 16)])
        #expect(p.groupBy == [.column(5)])
        #expect(
            p.filters == [
                .init(column: 0, test: .compare(">=", .text(Array("2026".utf8)))), .init(column: 25, test: .anyEqual([.text([97]), .text([98])]))
            ])
        #expect(p.orderBy.map(\.0) == [1, 0] && p.orderBy.map(\.1) == [true, false])
        #expect(p.limit == 5)
        let local = try #require(
            plan(
                "SELECT Local_Hour(ts, 'Asia/Kathmandu') AS h, median(latency_ms), sum(CASE WHEN status != 'ok' THEN 1 ELSE 0 END), stddev(cost_usd) FROM requests GROUP BY h ORDER BY h"
            ))
        #expect(local.groupBy == [.local(.hour, zone: "Asia/Kathmandu")])
        let arithmetic = try #require(plan("SELECT CAST(sum(input_tokens) AS DOUBLE) / nullif(count(*) + sum(tool_calls) * 2, 0) AS r FROM requests"))
        #expect(
            arithmetic.items == [
                .expression(
                    .arithmetic(
                        "/", .castReal(.aggregate(.sum, column: 7)),
                        .nullIf(
                            .arithmetic("+", .aggregate(.count, column: nil), .arithmetic("*", .aggregate(.sum, column: 22), .integer(2))),
                            .integer(0))
                    ))
            ])
        #expect(
            local.items == [
                .term(.local(.hour, zone: "Asia/Kathmandu")), .percentile(column: 16, p: 0.5),
                .countWhen(.init(column: 18, test: .compare("!=", .text(Array("ok".utf8))))), .aggregate(.stddev, column: 12)
            ])
        #expect(
            plan(
                "SELECT model, count(*) AS n, sum(input_tokens), avg(input_tokens), sum(latency_ms), max(error_class), min(date) FROM requests GROUP BY model ORDER BY n DESC"
            ) != nil)
        for sql in [
            "SELECT model, count(*) FROM requests", "SELECT count(*) FROM requests r", "SELECT count(*) FROM requests WHERE (model = 'a')",
            "SELECT count(*) FROM requests WHERE model = :m", "SELECT count(*) FROM requests LIMIT 1 OFFSET 1", "SELECT sum(model) FROM requests",
            "SELECT ts, count(*) FROM requests GROUP BY ts", "SELECT count(*) FROM requests WHERE input_tokens = '5'",
            "SELECT count(*) FROM requests WHERE model LIKE 'a%'", "SELECT count(*) FROM requests ORDER BY model",
            "SELECT count(*) FROM requests; SELECT 1",
            "SELECT count(*) FROM requests WHERE latency_ms > 9007199254740993", "SELECT min(cost_usd, 1) FROM requests",
            "SELECT count(*) FROM requests WHERE model = 'a' COLLATE NOCASE", "SELECT count(*) FROM nope",
            "SELECT local_date(ts, 'Nowhere/Zone') AS d, count(*) FROM requests GROUP BY d", "SELECT local_date(ts, 'UTC'), count(*) FROM requests",
            "SELECT local_date(model, 'UTC') AS d, count(*) FROM requests GROUP BY d", "SELECT local_hour(ts, 5) AS h FROM requests GROUP BY h",
            "SELECT percentile(latency_ms, 101) FROM requests", "SELECT percentile(model, 0.5) FROM requests",
            "SELECT percentile(latency_ms, :p) FROM requests", "SELECT sum(CASE WHEN status = 'error' THEN 2 ELSE 0 END) FROM requests",
            "SELECT sum(CASE WHEN status = 'error' THEN 1 END) FROM requests", "SELECT sum(CASE status WHEN 'error' THEN 1 ELSE 0 END) FROM requests",
            "SELECT sum(CASE WHEN status = 5 THEN 1 ELSE 0 END) FROM requests", "SELECT model AS ts, count(*) FROM requests GROUP BY ts, model",
            "SELECT local_hour(ts, 'UTC') AS model, count(*) FROM requests GROUP BY model",
            "SELECT sum(input_tokens) + 1 AS s FROM requests ORDER BY sum(input_tokens) + 1", "SELECT count(*) + input_tokens FROM requests",
            "SELECT -count(*) FROM requests", "SELECT CAST(count(*) AS TEXT) FROM requests", "SELECT sum(model) / 2 FROM requests",
            "SELECT max(model) || 'x' FROM requests", "SELECT nullif(count(*)) FROM requests",
            "SELECT coalesce(model, 1) AS m, count(*) FROM requests GROUP BY m",
            "SELECT coalesce(input_tokens, 'x') AS m, count(*) FROM requests GROUP BY m",
            "SELECT count(DISTINCT cost_usd) FROM requests", "SELECT coalesce(model, 'a', 'b') AS m, count(*) FROM requests GROUP BY m"
        ] {
            #expect(plan(sql) == nil, "\(sql)")
        }
    }
}
