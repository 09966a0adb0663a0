import Foundation
@testable import SQLiteStore
@testable import Lake
@testable import Analytics

/// The five definitions written again in DuckDB SQL and Python, over the live Parquet parts.
enum RecommendationOracle {
    /// The oracle's key for a recommendation of ours.
    static func key(_ r: Recommendation) -> String {
        switch r.kind {
        case .promptCaching, .modelRightSizing: "\(r.agent ?? "")|\(r.provider ?? "")|\(r.model ?? "")"
        case .retryWaste: "\(r.agent ?? "")|\(r.provider ?? "")|\(r.evidence.errorClass ?? "")"
        case .runawaySession: r.agent ?? ""
        case .idleSpend: "\(r.agent ?? "")|\(r.evidence.schedule ?? "")"
        }
    }

    /// Monthly savings per kind and key, at or above the default $1 floor.
    static func run(dataDir: String, from: String, to: String, days: Int) throws -> [String: [String: Double]] {
        let catalog = try Catalog(dataDir: dataDir, readOnly: true)
        let files = try catalog.liveParts(table: "requests").map { dataDir + "/" + $0.path }
        // Prices come from the price book (its lookup is tested elsewhere); the arithmetic is the oracle's own.
        let book = try PriceBook.load(dataDir: dataDir)
        let scan = try LakeScan(dataDir: dataDir, table: .requests).readAll(columns: ["provider", "model"])
        guard case .byteArray(let providers) = scan.columns[0].values, case .byteArray(let models) = scan.columns[1].values else { return [:] }
        var prices: [String: [Double]] = [:], targets: [String: [String]] = [:]
        // The smaller model as the README defines it (longest name-prefix match, never the model
        // itself), restated here instead of asking RightSizingRule, whose answer is under test.
        let smaller = [
            ("claude-", "claude-haiku-4-5"), ("gpt-", "gpt-5-mini"), ("o1", "gpt-5-mini"), ("o3", "gpt-5-mini"),
            ("o4-", "gpt-5-mini"), ("gemini-", "gemini-2-5-flash")
        ]
        func target(_ provider: String, _ model: String) -> (model: String, price: ModelPrice)? {
            var name = model.lowercased().replacingOccurrences(of: ".", with: "-")
            if let colon = name.firstIndex(of: ":") { name = String(name[..<colon]) }
            if let slash = name.lastIndex(of: "/") { name = String(name[name.index(after: slash)...]) }
            guard let hit = smaller.filter({ name.hasPrefix($0.0) }).max(by: { $0.0.count < $1.0.count }), hit.1 != name,
                let price = book.price(provider: provider, model: hit.1)
            else { return nil }
            return (hit.1, price)
        }
        for i in 0..<providers.count {
            let p = providers.string(at: i), m = models.string(at: i), key = p + "|" + m
            guard prices[key] == nil, targets[key] == nil else { continue }
            if let price = book.price(provider: p, model: m) {
                prices[key] = [price.input, price.cacheRead ?? price.input, price.cacheWrite ?? price.input]
            }
            if let t = target(p, m) {
                targets[key] = [
                    t.model, "\(t.price.input)", "\(t.price.output)", "\(t.price.cacheRead ?? t.price.input)",
                    "\(t.price.cacheWrite ?? t.price.input)"
                ]
            }
        }
        func json(_ value: Any) throws -> String { String(decoding: try JSONSerialization.data(withJSONObject: value), as: UTF8.self) }
        let out = try PythonOracle.run(script, [try json(files), try json(prices), try json(targets), from, to, String(days)])
        let object = try JSONSerialization.jsonObject(with: Data(out.utf8))
        return object as? [String: [String: Double]] ?? [:]
    }

    static let script = #"""
        import sys, json, duckdb
        files, prices, targets = json.loads(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
        frm, to, days = sys.argv[4], sys.argv[5], int(sys.argv[6])
        scale, floor, out = 30 / days, 1.0, {}
        con = duckdb.connect()
        con.execute(f"CREATE VIEW r AS SELECT * FROM read_parquet({files!r}, hive_partitioning=true) "
                    f"WHERE CAST(date AS VARCHAR) BETWEEN '{frm}' AND '{to}'")
        def put(kind, key, monthly):
            if monthly >= floor and monthly > 0: out.setdefault(kind, {})[key] = monthly

        caching = ['anthropic','openai','openai-codex','azure-openai','google','google-vertex','amazon-bedrock','openrouter','deepseek','moonshot','zai','minimax']
        rows = con.execute(f"""
          WITH q AS (SELECT agent_id a, provider p, model m, session_id s, epoch_us(ts) t, input_tokens i FROM r
                     WHERE lower(provider) IN ({','.join("'" + c + "'" for c in caching)}) AND input_tokens >= 4096
                       AND cache_read_tokens < 0.2 * (input_tokens + cache_read_tokens + cache_write_tokens)),
               l AS (SELECT *, lag(i) OVER w AS pi, lag(t) OVER w AS pt FROM q WINDOW w AS (PARTITION BY a, p, m, s ORDER BY t))
          SELECT a, p, m, sum(i), sum(CASE WHEN pt IS NOT NULL AND t - pt <= 300000000 THEN least(i, pi) ELSE 0 END) FROM l GROUP BY ALL""").fetchall()
        for a, p, m, uncached, read in rows:
            price = prices.get(p + '|' + m)
            if not price or price[1] >= price[0]: continue
            saving = (read * (price[0] - price[1]) - (uncached - read) * max(0, price[2] - price[0])) * 1e-6
            if saving > 0: put('prompt_caching', f'{a}|{p}|{m}', saving * scale)

        sizing = {}
        for a, p, m, i, o, cr, cw, cost in con.execute("""SELECT agent_id, provider, model, input_tokens, output_tokens,
                cache_read_tokens, cache_write_tokens, cost_usd FROM r
                WHERE status = 'ok' AND tool_calls = 0 AND output_tokens < 100 AND cost_usd > 0""").fetchall():
            t = targets.get(p + '|' + m)
            if not t: continue
            after = (i * float(t[1]) + o * float(t[2]) + cr * float(t[3]) + cw * float(t[4])) * 1e-6
            if after > 0 and cost >= 4 * after:
                k = f'{a}|{p}|{m}'
                sizing[k] = sizing.get(k, 0) + cost - after
        for k, v in sizing.items(): put('model_right_sizing', k, v * scale)

        for a, p, c, cost in con.execute("""
          SELECT f.agent_id, f.provider, coalesce(f.error_class, 'other'), sum(f.cost_usd)
          FROM r f JOIN (SELECT agent_id, session_id, retry_of FROM r WHERE retry_of IS NOT NULL AND retry_of <> '' GROUP BY ALL) x
            ON x.agent_id = f.agent_id AND x.session_id = f.session_id AND x.retry_of = f.entry_id
          WHERE f.status = 'error' GROUP BY ALL""").fetchall():
            if cost > 0: put('retry_waste', f'{a}|{p}|{c}', cost * scale)

        for a, excess in con.execute("""
          WITH s AS (SELECT agent_id a, session_id s, count(*) n, sum(cost_usd) c FROM r GROUP BY ALL),
               m AS (SELECT a, median(c) mc, median(n) mn, count(*) k FROM s GROUP BY a)
          SELECT s.a, sum(greatest(0, c - mc)) FROM s JOIN m USING (a)
          WHERE k >= 5 AND ((n > 5 * mn AND n >= 60) OR (c > 5 * mc AND c >= 2)) GROUP BY s.a""").fetchall():
            put('runaway_session', a, excess * scale)

        jobs = {}
        for a, start, cost, output in con.execute("""SELECT agent_id, min(epoch_us(ts)), sum(cost_usd), sum(output_tokens)
                                                     FROM r GROUP BY agent_id, session_id""").fetchall():
            day, of_day = divmod(start, 86_400_000_000)
            jobs.setdefault((a, of_day // 300_000_000), []).append((day, cost, output))
        for (a, slot), runs in jobs.items():
            ds = {d for d, _, _ in runs}
            first, last = min(ds), max(ds)
            span = last - first + 1
            if span < 14 or len(ds) < 7 or len(ds) < 0.5 * span: continue
            w1 = [r for r in runs if r[0] <= first + 6]; w2 = [r for r in runs if r[0] >= last - 6]
            c1 = sum(r[1] for r in w1) / len(w1); c2 = sum(r[1] for r in w2) / len(w2)
            o1 = sum(r[2] for r in w1) / len(w1); o2 = sum(r[2] for r in w2) / len(w2)
            if c1 > 0 and c2 > 1.5 * c1 and o2 <= 1.1 * o1:
                minutes = slot * 5
                put('idle_spend', f'{a}|{minutes // 60:02d}:{minutes % 60:02d} UTC', (c2 - c1) * len(w2) / 7 * 30)
        print(json.dumps(out))
        """#
}
