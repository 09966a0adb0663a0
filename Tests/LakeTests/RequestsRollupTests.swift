import Foundation
import Testing
@testable import HomeBaseCore
@testable import Parquet
@testable import Lake
@testable import Ingest
@testable import Generate
@testable import TestSupport
@testable import HomeBaseCLI

/// `requests_rollup` and `requests_latency_rollup` against DuckDB over the live `requests` parts:
/// the same GROUP BY, after ingests that add parts, a compaction that retires them and a
/// rewritten transcript read again; latency percentiles from the histograms against
/// `quantile_cont` over the raw rows; local days of a +05:45 zone from the buckets against
/// Python's zoneinfo over the raw timestamps.
@Suite(.serialized) struct RequestsRollupTests {
    /// The live parts of `table` at `snapshot` (default: the latest), as absolute paths.
    static func live(_ table: LakeTable, _ data: String, asOf snapshot: Int64? = nil) throws -> [String] {
        try LakeScan(dataDir: data, table: table, asOf: snapshot).parts.map { $0.location(dataDir: data) }
    }

    /// DuckDB: the GROUP BY over the raw rows and the sums over the rollup rows; "ok <groups> <bins>" when equal.
    static func oracle(_ data: String, asOf snapshot: Int64? = nil) throws -> String {
        let files = try [LakeTable.requests, .requestsRollup, .requestsLatencyRollup].map {
            try live($0, data, asOf: snapshot).joined(separator: ",")
        }
        return try PythonOracle.run(
            """
            import sys, math, duckdb
            req, roll, lat = [f"read_parquet({x.split(',')!r})" for x in sys.argv[1:4]]
            key = "agent_id, model, provider, status, error_class"
            raw = duckdb.sql(f'''SELECT epoch_us(ts) // 900000000 * 900000000 AS b, {key}, count(*),
                sum(CASE WHEN status = 'error' THEN 1 ELSE 0 END),
                sum(CASE WHEN retry_of IS NOT NULL AND retry_of <> '' THEN 1 ELSE 0 END),
                sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens),
                sum(total_tokens), sum(tool_calls), sum(cost_usd)
                FROM {req} GROUP BY ALL ORDER BY ALL''').fetchall()
            rolled = duckdb.sql(f'''SELECT epoch_us(bucket), {key}, sum(calls), sum(errors), sum(retries),
                sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens),
                sum(total_tokens), sum(tool_calls), sum(cost_usd)
                FROM {roll} GROUP BY ALL ORDER BY ALL''').fetchall()
            if len(raw) != len(rolled):
                print('groups', len(raw), len(rolled)); sys.exit(0)
            for x, y in zip(raw, rolled):
                if tuple(x[:-1]) != tuple(y[:-1]) or not math.isclose(x[-1], y[-1], rel_tol=1e-12, abs_tol=1e-12):
                    print('differ', x, y); sys.exit(0)
            bins = duckdb.sql(f"SELECT epoch_us(ts) // 900000000 * 900000000, {key}, latency_ms, count(*) FROM {req} GROUP BY ALL ORDER BY ALL").fetchall()
            hist = duckdb.sql(f"SELECT epoch_us(bucket), {key}, latency_ms, sum(calls) FROM {lat} GROUP BY ALL ORDER BY ALL").fetchall()
            if bins != hist:
                print('histograms differ', len(bins), len(hist)); sys.exit(0)
            print('ok', len(raw), len(bins))
            """, files
        )
        .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Every live `requests` part has both companions live, and no companion is live without its part.
    static func companionsInStep(_ data: String, asOf snapshot: Int64? = nil) throws -> Bool {
        let catalog = try Catalog(dataDir: data, readOnly: true)
        let parts = Set(try catalog.liveParts(table: "requests", asOf: snapshot).map(\.path))
        let expected = Set(parts.flatMap(RequestsRollup.companions))
        let found = Set(try RequestsRollup.tables.flatMap { try catalog.liveParts(table: $0.name, asOf: snapshot).map(\.path) })
        return !parts.isEmpty && expected == found
    }

    @Test func rollupEqualsGroupByAfterIngestsCompactionAndRewrite() throws {
        let source = TemporaryDirectory("homebase-rollup-source")
        defer { source.remove() }
        _ = try OpenClawGenerator.generate(
            GeneratorOptions(days: 5, agents: 3, callsPerDay: 40, seed: 23, endDay: 20_600, targetMB: nil), outDir: source.path)
        let root = source.path + "/openclaw"
        let files = try #require(FileManager.default.enumerator(atPath: root)).compactMap { $0 as? String }
            .filter { !(((root + "/" + $0) as NSString).pathExtension.isEmpty) }.sorted()
        #expect(files.count >= 4)
        let fixture = IngestFixture()
        defer { fixture.remove() }
        func copy(_ names: ArraySlice<String>) throws {
            for name in names {
                let target = fixture.stateDir + "/" + name
                try FileManager.default.createDirectory(
                    atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try? FileManager.default.removeItem(atPath: target)
                try FileManager.default.copyItem(atPath: root + "/" + name, toPath: target)
            }
        }

        // 1. Half the sessions, plus the hand-written one (an error, its retry, unknown latencies).
        try copy(files[..<(files.count / 2)])
        try fixture.write(agent: "hand", Lines.session)
        let first = try #require(try fixture.ingest().snapshot)
        #expect(try Self.oracle(fixture.dataDir).hasPrefix("ok "))
        #expect(try Self.companionsInStep(fixture.dataDir))

        // 2. The rest, compacting every partition with more than one part.
        try copy(files[(files.count / 2)...])
        let second = try fixture.ingest(compactAbove: 1)
        #expect(second.partsCompacted > 0 && second.snapshot != nil)
        #expect(try Self.oracle(fixture.dataDir).hasPrefix("ok "))
        #expect(try Self.companionsInStep(fixture.dataDir))
        let catalog = try Catalog(dataDir: fixture.dataDir, readOnly: true)
        let requests = try catalog.liveParts(table: "requests")
        #expect(Set(requests.map(\.date)).count == requests.count, "compaction left one part per date")

        // 3. The hand-written transcript rewritten shorter with one new call: read again.
        let a6 = Lines.assistant(
            "a6", ms: 1_770_700_000_000, entry: "2026-02-10T05:06:41.000Z", provider: "openai", model: "gpt-4o",
            input: 10, output: 5, cost: "0.001")
        try fixture.write(agent: "hand", Lines.session.split(separator: "\n").prefix(4).joined(separator: "\n") + "\n" + a6 + "\n")
        let third = try fixture.ingest()
        #expect(third.filesRewritten == 1 && third.calls == 1)
        let now = try Self.oracle(fixture.dataDir)
        #expect(now.hasPrefix("ok "), "\(now)")
        #expect(try Self.companionsInStep(fixture.dataDir))

        // The first snapshot still reads as it was: its rollup parts are its requests parts' companions.
        #expect(try Self.companionsInStep(fixture.dataDir, asOf: first))
        #expect(try Self.oracle(fixture.dataDir, asOf: first).hasPrefix("ok "))

        // `homebase query` sees both rollups: their sums are the requests table's.
        let sql = """
            SELECT (SELECT sum(calls) FROM requests_rollup) = (SELECT count(*) FROM requests),
                   (SELECT sum(calls) FROM requests_latency_rollup) = (SELECT count(*) FROM requests),
                   (SELECT sum(errors) FROM requests_rollup) = (SELECT count(*) FROM requests WHERE status = 'error'),
                   (SELECT sum(calls) FROM requests_rollup) > 0
            """
        let query = HostileFixture.run(QueryCommand(), ["--data", fixture.dataDir, "--format", "csv", sql])
        #expect(query.code == .success && query.out.hasSuffix("1,1,1,1\n"), "\(query)")

        try percentilesFromHistograms(fixture.dataDir)
        try localDaysFromBuckets(fixture.dataDir)
    }

    /// Per agent × model: p50/p90/p95/p99 of the merged histograms of all buckets equal DuckDB's
    /// `quantile_cont` over the raw `latency_ms` (and `Percentile.of` over the raw values, exactly).
    func percentilesFromHistograms(_ data: String) throws {
        var histograms: [String: LatencyHistogram] = [:]
        var rawValues: [String: [Double]] = [:]
        let scan = try LakeScan(dataDir: data, table: .requestsLatencyRollup)
        try scan.forEachPart(columns: ["agent_id", "model", "latency_ms", "calls"]) { _, columns in
            guard case .byteArray(let agents) = columns[0].values, case .byteArray(let models) = columns[1].values,
                case .double(let latency) = columns[2].values, case .int64(let calls) = columns[3].values
            else { throw RollupError("unexpected rollup column types") }
            for row in 0..<agents.count where columns[2].validity?[row] != false {
                histograms[agents.string(at: row) + "|" + models.string(at: row), default: LatencyHistogram()].add(latency[row], count: calls[row])
            }
        }
        try LakeScan(dataDir: data, table: .requests).forEachPart(columns: ["agent_id", "model", "latency_ms"]) { _, columns in
            guard case .byteArray(let agents) = columns[0].values, case .byteArray(let models) = columns[1].values,
                case .double(let latency) = columns[2].values
            else { throw RollupError("unexpected requests column types") }
            for row in 0..<agents.count where columns[2].validity?[row] != false {
                rawValues[agents.string(at: row) + "|" + models.string(at: row), default: []].append(latency[row])
            }
        }
        let out = try PythonOracle.run(
            """
            import sys, json, duckdb
            rows = duckdb.sql(f'''SELECT agent_id || '|' || model, quantile_cont(latency_ms, [0.5, 0.9, 0.95, 0.99])
                FROM read_parquet({sys.argv[1].split(',')!r}) WHERE latency_ms IS NOT NULL GROUP BY 1''').fetchall()
            print(json.dumps({k: v for k, v in rows}))
            """, [try Self.live(.requests, data).joined(separator: ",")])
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: [Double]])
        #expect(expected.count >= 3 && Set(expected.keys) == Set(histograms.keys), "\(expected.keys.sorted()) \(histograms.keys.sorted())")
        for (group, quantiles) in expected {
            let histogram = try #require(histograms[group])
            let sorted = (rawValues[group] ?? []).sorted()
            #expect(histogram.count == Int64(sorted.count))
            for (p, value) in zip([0.5, 0.9, 0.95, 0.99], quantiles) {
                let mine = try #require(histogram.quantile(p))
                #expect(abs(mine - value) <= 1e-9 * max(1, abs(value)), "\(group) p\(p): \(mine) vs DuckDB \(value)")
                #expect(mine == Percentile.of(sorted: sorted, p), "\(group) p\(p)")
            }
        }
    }

    /// Calls per local day in Asia/Kathmandu (+05:45) from the 15-minute buckets equal Python's
    /// zoneinfo over the raw timestamps.
    func localDaysFromBuckets(_ data: String) throws {
        let zone = "Asia/Kathmandu"
        let calendar = try #require(LocalCalendar(identifier: zone, fromDay: 20_000, toDay: 21_000))
        var days: [String: Int64] = [:]
        try LakeScan(dataDir: data, table: .requestsRollup).forEachPart(columns: ["bucket", "calls"]) { _, columns in
            guard case .int64(let buckets) = columns[0].values, case .int64(let calls) = columns[1].values else {
                throw RollupError("unexpected rollup column types")
            }
            for row in buckets.indices { days[String(calendar.day(ofMicros: buckets[row])), default: 0] += calls[row] }
        }
        let out = try PythonOracle.run(
            """
            import sys, json, duckdb, datetime, zoneinfo
            zone, epoch, days = zoneinfo.ZoneInfo(sys.argv[2]), datetime.date(1970, 1, 1), {}
            for (us,) in duckdb.sql(f"SELECT epoch_us(ts) FROM read_parquet({sys.argv[1].split(',')!r})").fetchall():
                local = datetime.datetime.fromtimestamp(us // 1000000, datetime.timezone.utc).astimezone(zone).date()
                key = str((local - epoch).days)
                days[key] = days.get(key, 0) + 1
            print(json.dumps(days))
            """, [try Self.live(.requests, data).joined(separator: ","), zone])
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Int64])
        #expect(expected.count >= 5 && days == expected, "\(days) vs \(expected)")
    }

    /// Retiring a `requests` part retires its companions in the same statement (the catalog
    /// trigger), whoever retires it; making it live again (a restore) revives them.
    @Test func catalogRetiresCompanionsWithTheirPart() throws {
        let dir = TemporaryDirectory("homebase-rollup-trigger")
        defer { dir.remove() }
        let catalog = try Catalog(dataDir: dir.path)
        let snapshot = try catalog.newSnapshot(runID: 1, committedMicros: 1, note: "test")
        for table in ["requests", "requests_rollup", "requests_latency_rollup", "gateway_events"] {
            for n in 1...2 {
                try catalog.addPart(
                    PartRecord(
                        table: table, date: "2026-05-01", path: "tables/\(table)/date=2026-05-01/part-1-\(n).parquet", rowCount: 1, byteSize: 1),
                    snapshot: snapshot)
            }
        }
        let first = try #require(try catalog.liveParts(table: "requests").first { $0.path.hasSuffix("part-1-1.parquet") })
        try catalog.retirePart(id: first.id, snapshot: snapshot + 1)
        func live(_ table: String) throws -> [String] {
            let statement = try catalog.database.prepare("SELECT path FROM parts WHERE table_name = ? AND removed_snapshot IS NULL ORDER BY path")
            try statement.bind([.text(table)])
            var names: [String] = []
            while try statement.step() { names.append(statement.text(0).components(separatedBy: "/").last ?? "") }
            return names
        }
        for table in ["requests", "requests_rollup", "requests_latency_rollup"] { #expect(try live(table) == ["part-1-2.parquet"]) }
        #expect(try live("gateway_events") == ["part-1-1.parquet", "part-1-2.parquet"])
        try catalog.database.execute("UPDATE parts SET path = 'history/' || path WHERE removed_snapshot IS NOT NULL")
        try catalog.database.execute("UPDATE parts SET removed_snapshot = NULL WHERE table_name = 'requests'")
        for table in ["requests", "requests_rollup", "requests_latency_rollup"] { #expect(try live(table).count == 2) }
    }

    /// A lake written before the rollups existed (simulated: the companions' catalog rows
    /// deleted, for half the parts and then all): `RequestsRollupScan` summarises those parts from
    /// their raw rows, giving the same columns as the companions did, and the next ingest writes
    /// the companions for good (DuckDB: the rollups equal the GROUP BY over the raw rows).
    @Test func scanFallsBackToRawPartsWithoutCompanions() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        _ = try OpenClawGenerator.generate(
            GeneratorOptions(days: 4, agents: 2, callsPerDay: 30, seed: 5, endDay: 20_600, targetMB: nil), outDir: fixture.dir.path)
        try fixture.write(agent: "hand", Lines.session)
        _ = try fixture.ingest()
        func read() throws -> (columns: [String: [ColumnData]], raw: Int) {
            var columns: [String: [ColumnData]] = [:]
            var raw = 0
            let scan = try RequestsRollupScan(dataDir: fixture.dataDir)
            try scan.forEachPart { part, rollup, latency, fromRaw in
                columns[part.path] = rollup + latency
                if fromRaw { raw += 1 }
            }
            #expect(scan.partsWithoutRollup.count == raw)
            return (columns, raw)
        }
        let stored = try read()
        #expect(stored.raw == 0 && stored.columns.count >= 4)
        let catalog = try Catalog(dataDir: fixture.dataDir)
        let parts = try catalog.liveParts(table: "requests")
        let half = parts.prefix(parts.count / 2).flatMap { RequestsRollup.companions(of: $0.path) }
        for path in half { try catalog.database.prepare("DELETE FROM parts WHERE path = ?").run([.text(path)]) }
        let mixed = try read()
        #expect(mixed.raw == parts.count / 2 && mixed.columns == stored.columns)
        try catalog.database.execute("DELETE FROM parts WHERE table_name IN ('requests_rollup', 'requests_latency_rollup')")
        let old = try read()
        #expect(old.raw == parts.count && old.columns == stored.columns)
        // The next ingest, with nothing new to read, rewrites those parts with their companions.
        let upgrade = try fixture.ingest()
        #expect(upgrade.snapshot != nil && upgrade.calls == 0)
        #expect(try Self.companionsInStep(fixture.dataDir))
        #expect(try read().raw == 0)
        #expect(try Self.oracle(fixture.dataDir).hasPrefix("ok "))
        let settled = try fixture.ingest()  // and only once
        #expect(settled.snapshot == nil && settled.partsWritten == 0)
    }

    /// The summary of a hand-made part: groups sorted, nulls first, sums and histogram by hand.
    @Test func summariseByHand() throws {
        var builders = LakeTable.requests.schema.columns.map(ColumnBuilder.init)
        let quarter = RequestsRollup.bucketMicros
        let base: Int64 = 1_780_000_200_000_000 - 1_780_000_200_000_000 % quarter  // a bucket start
        // ts offset, agent, model, status, error class, input tokens, cost, latency, retry_of
        let rows: [(Int64, String, String, String, String?, Int64, Double, Double?, String?)] = [
            (5, "b", "m", "ok", nil, 10, 0.5, 100, nil),
            (quarter - 1, "b", "m", "ok", nil, 20, 0.25, 100, ""),
            (quarter, "b", "m", "ok", nil, 1, 1, 300, nil),
            (7, "a", "m", "error", "rate_limit", 0, 0, nil, nil),
            (8, "a", "m", "ok", nil, 3, 0.125, 50, "x"),
            (9, "a", "m", "ok", nil, 4, 0.125, 50, nil)
        ]
        for row in rows {
            for (index, column) in LakeTable.requests.schema.columns.enumerated() {
                switch column.name {
                case "ts": builders[index].append(base + row.0)
                case "agent_id": builders[index].append(row.1)
                case "model": builders[index].append(row.2)
                case "provider": builders[index].append("p")
                case "status": builders[index].append(row.3)
                case "error_class": builders[index].append(row.4)
                case "input_tokens", "total_tokens": builders[index].append(row.5)
                case "cost_usd": builders[index].append(row.6)
                case "latency_ms": builders[index].append(row.7)
                case "retry_of": builders[index].append(row.8)
                case "tool_calls": builders[index].append(Int32(1))
                default:
                    switch column.physicalType {
                    case .int64: builders[index].append(Int64(0))
                    case .double: builders[index].append(column.nullable ? nil : Double(0))
                    default: builders[index].append(column.nullable ? nil : "")
                    }
                }
            }
        }
        let (rollup, latency) = try RequestsRollup.summarise(builders.indices.map { builders[$0].take() })
        let schema = LakeTable.requestsRollup.schema
        func strings(_ data: ColumnData) -> [String?] {
            guard case .byteArray(let values) = data.values else { return [] }
            return (0..<values.count).map { data.validity?[$0] == false ? nil : values.string(at: $0) }
        }
        func ints(_ data: ColumnData) -> [Int64] {
            guard case .int64(let values) = data.values else { return [] }
            return values
        }
        func column(_ name: String) -> ColumnData { rollup[schema.index(of: name) ?? 0] }
        // Groups: (bucket 0, a, error, rate_limit), (bucket 0, a, ok, null), (bucket 0, b, ok), (bucket 1, b, ok).
        #expect(ints(column("bucket")) == [base, base, base, base + quarter])
        #expect(strings(column("agent_id")) == ["a", "a", "b", "b"])
        #expect(strings(column("status")) == ["error", "ok", "ok", "ok"])
        #expect(strings(column("error_class")) == ["rate_limit", nil, nil, nil])
        #expect(ints(column("calls")) == [1, 2, 2, 1])
        #expect(ints(column("errors")) == [1, 0, 0, 0])
        #expect(ints(column("retries")) == [0, 1, 0, 0])
        #expect(ints(column("input_tokens")) == [0, 7, 30, 1])
        #expect(ints(column("tool_calls")) == [1, 2, 2, 1])
        #expect(column("cost_usd").values == .double([0, 0.25, 0.75, 1]))
        // Histogram rows: (a error: null ×1), (a ok: 50 ×2), (b ok bucket 0: 100 ×2), (b bucket 1: 300 ×1).
        #expect(strings(latency[1]) == ["a", "a", "b", "b"])
        #expect(latency[6].values == .double([0, 50, 100, 300]) && latency[6].validity == [false, true, true, true])
        #expect(ints(latency[7]) == [1, 2, 2, 1])
        #expect(RequestsRollup.bucket(ofMicros: -1) == -quarter && RequestsRollup.bucket(ofMicros: quarter) == quarter)
        #expect(RequestsRollup.bucket(ofMicros: .min) == .min && RequestsRollup.bucket(ofMicros: .max) == .max - .max % quarter)
    }

    /// A random part with every trap of the key order: names that differ only past ASCII (byte
    /// order, not Unicode order), nulls, times before 1970, repeated and missing latencies, -0.
    /// The rollup's rows, in the order written, equal DuckDB's GROUP BY … ORDER BY … NULLS FIRST.
    @Test func randomPartSummarisesAsDuckDBGroupsInOrder() throws {
        var random = SplitMix64(seed: 41)
        func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
        var builders = LakeTable.requests.schema.columns.map(ColumnBuilder.init)
        let quarter = RequestsRollup.bucketMicros
        for _ in 0..<6_000 {
            for (index, column) in LakeTable.requests.schema.columns.enumerated() {
                switch column.name {
                case "ts": builders[index].append(Int64(random.next() % UInt64(8 * quarter)) - 2 * quarter)
                case "agent_id": builders[index].append(pick(["a", "B", "ä", "é", "a\u{0}", "Z", ""]))
                case "model": builders[index].append(pick(["m1", "m10", "m2"]))
                case "provider": builders[index].append(pick(["p", "q"]))
                case "status": builders[index].append(pick(["ok", "error", "ok"]))
                case "error_class": builders[index].append(pick([nil, "rate_limit", "timeout", nil] as [String?]))
                case "latency_ms": builders[index].append(pick([nil, 0, -0.0, 12, 12, 250, 1e6, 3.5] as [Double?]))
                case "retry_of": builders[index].append(pick([nil, "", "x"] as [String?]))
                case "tool_calls": builders[index].append(Int32(random.next() % 4))
                case "cost_usd": builders[index].append(Double(random.next() % 1000) / 64)
                default:
                    switch column.physicalType {
                    case .int64: builders[index].append(Int64(random.next() % 5000))
                    case .double: builders[index].append(column.nullable ? nil : Double(0))
                    default: builders[index].append(column.nullable ? nil : "")
                    }
                }
            }
        }
        let raw = builders.indices.map { builders[$0].take() }
        let (rollup, latency) = try RequestsRollup.summarise(raw)
        let dir = TemporaryDirectory("homebase-rollup-random")
        defer { if ProcessInfo.processInfo.environment["KEEP"] == nil { dir.remove() } else { print("KEPT", dir.path) } }
        for (name, table, columns) in [
            ("raw", LakeTable.requests, raw), ("rollup", .requestsRollup, rollup), ("latency", .requestsLatencyRollup, latency)
        ] {
            let writer = try ParquetWriter(path: dir.path + "/\(name).parquet", schema: table.schema)
            try writer.write(columns)
            try writer.close()
        }
        let out = try PythonOracle.run(
            """
            import sys, math, duckdb
            d = sys.argv[1]
            # the floor of a time before 1970 (DuckDB's // truncates toward zero)
            key = "agent_id, model, provider, status, error_class"
            order = "1, 2, 3, 4, 5, 6 NULLS FIRST"
            raw = duckdb.sql(f'''SELECT (epoch_us(ts) - ((epoch_us(ts) % 900000000) + 900000000) % 900000000) AS b, {key}, count(*),
                count(*) FILTER (status = 'error'), count(*) FILTER (retry_of <> ''),
                sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens),
                sum(total_tokens), sum(tool_calls), sum(cost_usd)
                FROM '{d}/raw.parquet' GROUP BY ALL ORDER BY {order}''').fetchall()
            ours = duckdb.sql(f"SELECT epoch_us(bucket), {key}, calls, errors, retries, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, total_tokens, tool_calls, cost_usd FROM '{d}/rollup.parquet'").fetchall()
            bins = duckdb.sql(f'''SELECT (epoch_us(ts) - ((epoch_us(ts) % 900000000) + 900000000) % 900000000), {key}, latency_ms, count(*)
                FROM '{d}/raw.parquet' GROUP BY ALL ORDER BY {order}, 7 NULLS FIRST''').fetchall()
            hist = duckdb.sql(f"SELECT epoch_us(bucket), {key}, latency_ms, calls FROM '{d}/latency.parquet'").fetchall()
            same = len(raw) == len(ours) and all(tuple(x[:-1]) == tuple(y[:-1]) and math.isclose(x[-1], y[-1], rel_tol=1e-12) for x, y in zip(raw, ours))
            print(same, bins == hist, len(raw), len(bins))
            """, [dir.path]
        ).split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(out.count == 4 && out[0] == "True" && out[1] == "True", "DuckDB: \(out)")
        #expect((Int(out.count == 4 ? out[2] : "") ?? 0) > 500)  // many groups, so the order is exercised
    }
}
