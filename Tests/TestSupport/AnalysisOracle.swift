import Foundation
import Testing
@testable import SQLiteStore
@testable import Lake
@testable import Ingest
@testable import Analytics
@testable import Generate

/// A generated lake and the independent (DuckDB) reading that analysis.json must match.
enum AnalysisOracle {
    /// A generated fleet ingested into a fresh lake (removed by `remove()`).
    struct Lake {
        let dir: TemporaryDirectory
        let manifest: GenerationManifest
        let dataDir: String

        /// A lake made elsewhere.
        static func existing(dir: TemporaryDirectory, dataDir: String) -> Lake { Lake(dir: dir, manifest: GenerationManifest(), dataDir: dataDir) }

        private init(dir: TemporaryDirectory, manifest: GenerationManifest, dataDir: String) {
            self.dir = dir
            self.manifest = manifest
            self.dataDir = dataDir
        }

        init(days: Int = 35, agents: Int = 3, callsPerDay: Int = 20, seed: UInt64 = 11) throws {
            let (dir, manifest) = try GenerateFixture.generate(
                GenerateFixture.options(days: days, agents: agents, callsPerDay: callsPerDay, seed: seed))
            self.dir = dir
            self.manifest = manifest
            dataDir = dir.path + "/data"
            let options = IngestOptions(
                dataDir: dir.path + "/data", openclawDirs: [dir.path + "/openclaw"], gatewayDirs: [dir.path + "/gateway"],
                parallelism: 2, now: { 1_790_000_000_000_000 })
            _ = try Ingestor(options: options).run()
        }

        func analyze(_ change: (inout AnalysisOptions) -> Void = { _ in }) throws -> Analysis {
            var options = AnalysisOptions(dataDir: dataDir, generatedAt: 1_800_000_000_000_000)
            change(&options)
            return try Analyzer(options: options).run()
        }

        /// DuckDB's figures for the range from..to (local days in `zone`; empty: all), `now` (µs; 0: latest).
        func oracle(zone: String, from: String = "", to: String = "", now: Int64 = 0) throws -> [String: Any] {
            let scan = try LakeScan(dataDir: dataDir, table: .requests)
            let files = scan.parts.map { scan.path(of: $0) }
            let out = try PythonOracle.run(
                AnalysisOracle.oracleCode,
                [
                    String(decoding: try JSONSerialization.data(withJSONObject: files), as: UTF8.self),
                    zone, from, to, String(now)
                ])
            return try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any] ?? [:]
        }

        func remove() { dir.remove() }
    }

    /// Totals against DuckDB's `[calls, cost, errors, input, output, cache read, cache write, total]`.
    static func checkTotals(_ ours: Analysis.Totals?, _ theirs: Any?, _ note: String) {
        guard let ours, let row = theirs as? [Any] else {
            Issue.record("\(note): missing (ours \(ours == nil ? "nil" : "present"))")
            return
        }
        let values: [Double] = [
            Double(ours.calls), ours.cost_usd, Double(ours.errors), Double(ours.input_tokens), Double(ours.output_tokens),
            Double(ours.cache_read_tokens), Double(ours.cache_write_tokens), Double(ours.total_tokens)
        ]
        for (k, value) in values.enumerated() { _ = close(value, row[k], 1e-9, "\(note)[\(k)]") }
    }

    static func checkLatency(_ ours: Analysis.LatencyStats?, _ theirs: Any?, _ note: String) {
        guard let ours, let row = theirs as? [Any] else { Issue.record("\(note): missing"); return }
        let values: [Double?] = [Double(ours.n), ours.p50, ours.p90, ours.p95, ours.p99, ours.max, ours.mean]
        for (k, value) in values.enumerated() { _ = close(value, row[k] is NSNull ? nil : row[k], 1e-9, "\(note)[\(k)]") }
    }

    static func check(_ analysis: Analysis, against oracle: [String: Any]) throws {
        #expect(analysis.range.from == oracle["from"] as? String)
        #expect(analysis.range.to == oracle["to"] as? String)
        let windows = try #require(oracle["windows"] as? [String: Any])
        for name in ["24h", "7d", "30d", "month_to_date"] { checkTotals(analysis.windows[name]?.total, windows[name], "window \(name)") }
        checkTotals(analysis.cost.total, oracle["total"], "total")
        checkTotals(analysis.windows["range"]?.total, oracle["total"], "range window")
        for (key, ours) in [
            ("by_agent", analysis.cost.by_agent), ("by_model", analysis.cost.by_model),
            ("by_provider", analysis.cost.by_provider), ("by_day", analysis.cost.by_day)
        ] {
            let theirs = try #require(oracle[key] as? [String: Any])
            #expect(Set(ours.keys) == Set(theirs.keys), "\(key)")
            for (name, row) in theirs { checkTotals(ours[name], row, "\(key) \(name)") }
        }
        let latency = try #require(oracle["latency"] as? [String: Any])
        checkLatency(analysis.latency.overall, latency["overall"], "latency overall")
        for (key, ours) in [
            ("agent", analysis.latency.by_agent), ("model", analysis.latency.by_model),
            ("provider", analysis.latency.by_provider), ("day", analysis.latency.by_day)
        ] {
            let theirs = try #require(latency[key] as? [String: Any])
            for (name, row) in theirs where ((row as? [Any])?.first as? NSNumber)?.intValue ?? 0 > 0 {
                checkLatency(ours[name], row, "latency \(key) \(name)")
            }
        }
        let classes = try #require(oracle["error_classes"] as? [String: Any])
        #expect(
            analysis.errors.overall.by_class.mapValues(Double.init)
                == classes.mapValues { ($0 as? [Any])?.first.flatMap { ($0 as? NSNumber)?.doubleValue } ?? -1 })
        for (provider, row) in try #require(oracle["errors_by_provider"] as? [String: [Any]]) {
            _ = close(Double(analysis.errors.by_provider[provider]?.errors ?? -1), row[0], 0, "errors \(provider)")
            _ = close(
                analysis.errors.by_provider[provider]?.rate, (row[0] as! NSNumber).doubleValue / (row[1] as! NSNumber).doubleValue, 1e-12,
                "rate \(provider)")
        }
        for (model, row) in try #require(oracle["correlation"] as? [String: [Any]]) {
            #expect(analysis.correlation.by_model[model]?.n == (row[0] as? NSNumber)?.intValue)
            if !(row[1] is NSNull) { _ = close(analysis.correlation.by_model[model]?.pearson, row[1], 1e-9, "pearson \(model)") }
        }
        #expect(analysis.data_quality.unpriced_calls == ((oracle["unpriced"] as? [Any])?.first as? NSNumber)?.intValue)
        #expect(analysis.data_quality.calls_without_latency == ((oracle["no_latency"] as? [Any])?.first as? NSNumber)?.intValue)
        let retries = try #require(oracle["retries"] as? [NSNumber])
        let r = analysis.retries
        #expect([r.failed_calls, r.chains, r.retried_chains, r.retry_attempts, r.eventually_succeeded] == retries.prefix(5).map(\.intValue))
        _ = close(r.time_lost_s, retries[5], 1e-9, "time lost")
    }

    static let oracleCode = """
        import sys, json, duckdb
        files, tz, frm, to, now = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
        con = duckdb.connect()
        con.execute(f"SET TimeZone = '{tz}'")
        con.execute(f"CREATE VIEW r AS SELECT *, CAST(timezone('{tz}', ts) AS DATE) AS local_day, epoch_us(ts) AS us FROM read_parquet({files!r}, hive_partitioning=true)")
        cap = f"WHERE local_day <= DATE '{to}'" if to else ""
        if now == 0:
            now = con.execute(f"SELECT max(us) FROM r {cap}").fetchone()[0]
        lo = frm or str(con.execute(f"SELECT min(local_day) FROM r {cap}").fetchone()[0])
        hi = to or str(con.execute("SELECT max(local_day) FROM r").fetchone()[0])
        rng = f"local_day BETWEEN DATE '{lo}' AND DATE '{hi}'"
        def one(sql):
            return list(con.execute(sql).fetchone())
        def grouped(key, metrics, where=rng):
            return {str(k): list(v) for k, *v in [list(row) for row in con.execute(f"SELECT {key}, {metrics} FROM r WHERE {where} GROUP BY 1").fetchall()]}
        totals = "count(*), sum(cost_usd), sum(CASE WHEN status = 'error' THEN 1 ELSE 0 END), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens), sum(total_tokens)"
        lat = "count(latency_ms), quantile_cont(latency_ms, 0.5), quantile_cont(latency_ms, 0.9), quantile_cont(latency_ms, 0.95), quantile_cont(latency_ms, 0.99), max(latency_ms), avg(latency_ms)"
        month_start = con.execute(f"SELECT epoch_us(date_trunc('month', to_timestamp({now} / 1e6)))").fetchone()[0]
        H = 3600 * 10**6
        windows = {name: one(f"SELECT {totals} FROM r WHERE us > {now - h * H} AND us <= {now}") for name, h in [("24h", 24), ("7d", 168), ("30d", 720)]}
        windows["month_to_date"] = one(f"SELECT {totals} FROM r WHERE us >= {month_start} AND us <= {now}")
        windows["month_by_agent"] = grouped("agent_id", "sum(cost_usd)", f"us >= {month_start} AND us <= {now}")
        out = {
            "now": now, "from": lo, "to": hi, "windows": windows,
            "total": one(f"SELECT {totals} FROM r WHERE {rng}"),
            "by_agent": grouped("agent_id", totals), "by_model": grouped("model", totals),
            "by_provider": grouped("provider", totals), "by_day": grouped("local_day", totals),
            "latency": {"overall": one(f"SELECT {lat} FROM r WHERE {rng}"), "agent": grouped("agent_id", lat),
                        "model": grouped("model", lat), "provider": grouped("provider", lat), "day": grouped("local_day", lat)},
            "error_classes": grouped("error_class", "count(*)", rng + " AND status = 'error'"),
            "errors_by_provider": grouped("provider", "sum(CASE WHEN status = 'error' THEN 1 ELSE 0 END), count(*)"),
            "correlation": grouped("model", "count(*), corr(cost_usd, latency_ms)", rng + " AND latency_ms IS NOT NULL"),
            "unpriced": one(f"SELECT count(*) FROM r WHERE {rng} AND cost_source = 'unpriced'"),
            "no_latency": one(f"SELECT count(*) FROM r WHERE {rng} AND latency_ms IS NULL"),
        }
        # Retry chains, written independently from the definition in docs/analysis-json.md.
        rows = con.execute(f"SELECT session_id, entry_id, retry_of, status, us, {rng} FROM r WHERE status = 'error' OR coalesce(retry_of, '') <> ''").fetchall()
        known = {(s, e) for s, e, _, _, _, _ in rows}
        child = {}
        for s, e, parent, st, us, inr in sorted(rows, key=lambda r: r[4]):
            if parent and (s, parent) not in child:
                child[(s, parent)] = (s, e, st, us)
        chains = ok = attempts_total = retried = 0
        lost = 0.0
        failed = 0
        for s, e, parent, st, us, inr in rows:
            if not inr or st != 'error':
                continue
            failed += 1
            if parent and (s, parent) in known:
                continue
            chains += 1
            n, last = 1, (s, e, st, us)
            while (s, last[1]) in child:
                last = child[(s, last[1])]
                n += 1
            if n > 1:
                retried += 1
                attempts_total += n - 1
                lost += (last[3] - us) / 1e6
            if last[2] != 'error':
                ok += 1
        out["retries"] = [failed, chains, retried, attempts_total, ok, lost]
        def clean(v):
            if isinstance(v, float) and v != v:
                return None
            if isinstance(v, dict):
                return {k: clean(x) for k, x in v.items()}
            if isinstance(v, (list, tuple)):
                return [clean(x) for x in v]
            return v
        print(json.dumps(clean(out), default=str))
        """

    static func close(_ a: Double?, _ b: Any?, _ tolerance: Double = 1e-9, _ note: String = "") -> Bool {
        let b = (b as? NSNumber)?.doubleValue
        guard let a, let b else {
            if !(a == nil && b == nil) { Issue.record("missing value \(note): ours \(String(describing: a)), DuckDB \(String(describing: b))") }
            return a == nil && b == nil
        }
        let ok = abs(a - b) <= tolerance * max(1, abs(a), abs(b))
        if !ok { Issue.record("\(note): ours \(a), DuckDB \(b)") }
        return ok
    }
}
