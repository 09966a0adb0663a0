import Foundation
import Testing
@testable import SQLiteStore
@testable import Ingest
@testable import TestSupport

/// Invoice exports through `Ingestor` into `invoice_lines`, read back with DuckDB: every fixture
/// arrives whole, re-runs change nothing, a changed export replaces its rows, the newest export of
/// a provider and day supersedes older ones, and the real sample exports match a Python oracle.
@Suite(.serialized) struct InvoiceIngestTests {
    /// A lake fed only from an invoice directory.
    struct Lake {
        let fixture = IngestFixture()
        var invoices: String { fixture.dir.path + "/invoices" }

        init() { try? FileManager.default.createDirectory(atPath: fixture.dir.path + "/invoices", withIntermediateDirectories: true) }

        func ingest(clock: Int64 = 1_800_000_000_000_000) throws -> IngestSummary {
            var options = IngestOptions(dataDir: fixture.dataDir, openclawDirs: [], gatewayDirs: [], parallelism: 1, now: { clock })
            options.invoiceDirs = [invoices]
            return try Ingestor(options: options).run()
        }

        /// Copies `source` in as `name` (or writes `text`), with mtime `seconds` since the epoch.
        func put(_ name: String, from source: String? = nil, text: String? = nil, mtime seconds: Double) throws {
            let path = invoices + "/" + name
            try? FileManager.default.removeItem(atPath: path)
            if let source { try FileManager.default.copyItem(atPath: source, toPath: path) }
            if let text { try text.write(toFile: path, atomically: false, encoding: .utf8) }
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: seconds)], ofItemAtPath: path)
        }

        func query(_ sql: String) throws -> [[String]] { try fixture.query(sql) }
        func remove() { fixture.remove() }
    }

    /// What each fixture holds, worked out by hand in InvoiceParserTests' comments (not taken from
    /// the parser): format, total billed (cost exports), Σ quantity per token class (usage
    /// exports), the quarantined lines, and the line count where the comments give it.
    struct Expected {
        var format: String
        var total: String? = nil
        var quantities: [String: Double]? = nil
        var bad: [Int64] = []
        var lines: Int? = nil
    }

    static let expected: [String: Expected] = [
        "openai-costs.json": Expected(format: "openai-costs-json", total: "3.9721045", bad: [4], lines: 6),
        "openai-costs.csv": Expected(format: "openai-costs-csv", total: "2.4033333333333", lines: 4),
        "openai-usage.json": Expected(
            format: "openai-usage-json",
            quantities: ["Input": 44_000, "CacheRead": 80_000, "CacheWrite": 1_000, "Output": 9_700, "Requests": 45], bad: [3]),
        "openai-usage.csv": Expected(
            format: "openai-usage-csv", quantities: ["Input": 2_584, "CacheRead": 1_024, "Output": 412, "Requests": 2],
            bad: [4], lines: 5),
        "anthropic-cost.json": Expected(format: "anthropic-cost-json", total: "12.91323456789", lines: 4),
        "anthropic-usage.json": Expected(
            format: "anthropic-usage-json",
            quantities: [
                "Input": 941_000, "CacheRead": 690_000, "CacheWrite5m": 52_000, "CacheWrite1h": 3_000,
                "Output": 138_000, "Other": 4
            ], lines: 8),
        "anthropic-console-usage-old.csv": Expected(
            format: "anthropic-usage-csv",
            quantities: ["Input": 1_050, "CacheWrite5m": 200, "CacheRead": 5_000, "Output": 320, "Other": 1], bad: [4]),
        "anthropic-console-cost.csv": Expected(format: "anthropic-cost-csv", total: "0.480125", lines: 3),
        "openrouter-activity.csv": Expected(
            format: "openrouter-activity-csv", total: "0.019031",
            quantities: ["Input": 1_288, "CacheRead": 4_924, "Output": 793, "Requests": 3], bad: [5]),
        "focus-1.2.csv": Expected(format: "focus-csv", total: "0.667", bad: [5], lines: 3)
    ]

    @Test(arguments: [
        "openai-costs.json", "openai-costs.csv", "openai-usage.json", "openai-usage.csv", "anthropic-cost.json",
        "anthropic-usage.json", "anthropic-console-usage-old.csv", "anthropic-console-cost.csv",
        "openrouter-activity.csv", "focus-1.2.csv"
    ])
    func everyFixtureArrivesWhole(name: String) throws {
        let lake = Lake()
        defer { lake.remove() }
        try lake.put(name, from: InvoiceFixtures.dir + "/" + name, mtime: 1_760_000_000)
        let summary = try lake.ingest()
        let expected = try #require(Self.expected[name])
        let totals = try lake.query(
            """
            SELECT count(*), CAST(coalesce(sum(CAST(BilledCost AS DECIMAL(38,18))), 0) AS VARCHAR), min(x_SourceFormat)
            FROM invoice_lines
            """)[0]
        #expect(summary.invoiceFiles == 1 && summary.invoiceLines == Int(totals[0]))
        if let lines = expected.lines { #expect(totals[0] == String(lines)) }
        if let total = expected.total { #expect(Money(totals[1]) == Money(total), "\(totals)") }
        #expect(totals[2] == expected.format)
        if let quantities = expected.quantities {
            let rows = try lake.query(
                "SELECT coalesce(x_TokenType, '-'), sum(ConsumedQuantity) FROM invoice_lines WHERE ConsumedQuantity IS NOT NULL GROUP BY 1")
            #expect(Dictionary(uniqueKeysWithValues: rows.map { ($0[0], Double($0[1]) ?? -1) }) == quantities)
        }
        #expect(summary.quarantinedLines == expected.bad.count && summary.hasWarnings == !expected.bad.isEmpty)
        if !expected.bad.isEmpty {  // (no quarantine table at all otherwise)
            let bad = try lake.query("SELECT source_line FROM quarantine ORDER BY 1")
            #expect(bad.map { Int64($0[0]) ?? -1 } == expected.bad)
        }
        // Idempotent: a second run reads nothing and commits nothing.
        let again = try lake.ingest()
        #expect(again.snapshot == nil && again.filesSkippedUnchanged == 1 && again.invoiceLines == 0)
    }

    @Test func changedExportsReplaceAndNewestExportWins() throws {
        let lake = Lake()
        defer { lake.remove() }
        func total() throws -> Money? {
            Money(try lake.query("SELECT CAST(sum(CAST(BilledCost AS DECIMAL(38,18))) AS VARCHAR) FROM invoice_lines")[0][0])
        }
        func perFile() throws -> [String: Int] {
            Dictionary(
                uniqueKeysWithValues: try lake.query("SELECT x_SourceFile, count(*) FROM invoice_lines GROUP BY 1").map {
                    (($0[0] as NSString).lastPathComponent, Int($0[1]) ?? -1)
                })
        }
        // 1. The Console cost CSV alone: 3 lines on 09-03, $0.480125.
        try lake.put("console.csv", from: InvoiceFixtures.dir + "/anthropic-console-cost.csv", mtime: 1_760_000_100)
        _ = try lake.ingest()
        #expect(try total() == Money("0.480125"))

        // 2. A newer API cost report covering 09-03 and 09-04: its 09-03 replaces the CSV's 3 lines.
        //    Lake: API 09-03 $12.512 + 09-04 $0.40123456789 = $12.91323456789.
        try lake.put("api.json", from: InvoiceFixtures.dir + "/anthropic-cost.json", mtime: 1_760_000_200)
        let second = try lake.ingest()
        #expect(second.invoiceLinesSuperseded == 3)
        #expect(try perFile() == ["api.json": 4])
        #expect(try total() == Money("12.91323456789"))

        // 3. The CSV is exported again (newer, output now $0.37, plus a malformed row): re-read whole,
        //    and it now owns 09-03 again. Lake: 0.21 + 0.37 + 0.000125 + API 09-04 0.40123456789 = 0.98135956789.
        let header =
            "usage_date_utc,model,workspace,api_key,usage_type,context_window,token_type,cost_usd,list_price_usd,cost_type,inference_geo,speed\n"
        let rows = { (output: String) in
            header + "2025-09-03,Claude Sonnet 4.5,Default,agent-prod,message,≤ 200k,input_cache_read,0.21,0.21,token,not_available,\n"
                + "2025-09-03,Claude Sonnet 4.5,Default,agent-prod,message,≤ 200k,output,\(output),\(output),token,not_available,\n"
                + "2025-09-03,Claude Haiku 4.5,Default,agent-prod,message,≤ 200k,input_no_cache,0.000125,0.000125,token,not_available,\n"
                + "2025-09-03,Claude Haiku 4.5,Default,agent-prod,message,≤ 200k,output,n/a,0,token,not_available,\n"
        }
        try lake.put("console.csv", text: rows("0.37"), mtime: 1_760_000_300)
        let third = try lake.ingest()
        #expect(third.filesRewritten == 1 && third.invoiceLinesSuperseded == 2 && third.quarantinedLines == 1)
        #expect(try perFile() == ["api.json": 2, "console.csv": 3])
        #expect(try total() == Money("0.98135956789"))

        // 4. Changed once more ($0.47): its old rows and its old quarantine row go, nothing doubles.
        try lake.put("console.csv", text: rows("0.47"), mtime: 1_760_000_400)
        _ = try lake.ingest()
        #expect(try perFile() == ["api.json": 2, "console.csv": 3])
        #expect(try total() == Money("1.08135956789"))
        #expect(try lake.query("SELECT count(*) FROM quarantine")[0] == ["1"])

        // 5. An older FOCUS file: its Anthropic 09-03 row loses to the newer CSV, its OpenAI 09-05
        //    rows (0.41 Usage + 0.05 Tax) are new. Lake total 1.08135956789 + 0.46 = 1.54135956789.
        try lake.put("focus.csv", from: InvoiceFixtures.dir + "/focus-1.2.csv", mtime: 1_700_000_000)
        let fifth = try lake.ingest()
        #expect(fifth.invoiceLinesSuperseded == 1)
        #expect(try perFile() == ["api.json": 2, "console.csv": 3, "focus.csv": 2])
        #expect(try total() == Money("1.54135956789"))
        // pyarrow reading tables/ as a Hive dataset sees the same live rows (retired parts moved to history/).
        let arrow = try PythonOracle.run(
            """
            import sys, pyarrow.dataset as ds
            t = ds.dataset(sys.argv[1] + '/tables/invoice_lines', format='parquet', partitioning='hive').to_table()
            print(t.num_rows)
            """, [lake.fixture.dataDir]
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(arrow == "7")
    }

    /// The real exports in reference/openclaw-samples, each in its own lake, against Python's csv
    /// and decimal modules reading the raw files: every data row arrives, tokens and cost to the unit.
    @Test func realSampleExportsIngestWithoutLoss() throws {
        let samples = PythonOracle.repositoryRoot.path + "/Tests/TestSupport/Fixtures/openclaw-samples"
        let names = try FileManager.default.contentsOfDirectory(atPath: samples).filter { $0.hasSuffix(".csv") }.sorted()
        #expect(names.count == 5)
        for name in names {
            let lake = Lake()
            defer { lake.remove() }
            try lake.put(name, from: samples + "/" + name, mtime: 1_760_000_000)
            let summary = try lake.ingest()
            #expect(summary.quarantinedLines == 0 && summary.invoiceFiles == 1, "\(name)")
            let oracle = try PythonOracle.run(
                #"""
                import sys, csv, decimal, json
                rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig', newline='')))
                def n(v): return int(decimal.Decimal(v)) if v not in ('', None) else 0
                t, cost = {}, decimal.Decimal(0)
                def add(k, v):
                    if v: t[k] = t.get(k, 0) + v
                for r in rows:
                    if 'usage_output_tokens' in r:
                        add('Input', n(r['usage_input_tokens_no_cache'])); add('CacheRead', n(r['usage_input_tokens_cache_read']))
                        add('CacheWrite5m', n(r['usage_input_tokens_cache_write_5m'])); add('CacheWrite1h', n(r['usage_input_tokens_cache_write_1h']))
                        add('Output', n(r['usage_output_tokens'])); add('Other', n(r['web_search_count']))
                    elif 'num_model_requests' in r:
                        add('Input', n(r['input_tokens']) - n(r['input_cached_tokens'])); add('CacheRead', n(r['input_cached_tokens']))
                        add('Output', n(r['output_tokens'])); add('Requests', n(r['num_model_requests']))
                    else:
                        cost += decimal.Decimal(r['cost_total'])
                        add('Input', n(r['tokens_prompt']) - n(r['tokens_cached'])); add('CacheRead', n(r['tokens_cached']))
                        add('Output', n(r['tokens_completion'])); add('Requests', 1)
                print(json.dumps({'rows': len(rows), 'tokens': t, 'cost': format(cost.normalize(), 'f')}))
                """#, [samples + "/" + name])
            let expected = try #require(JSONSerialization.jsonObject(with: Data(oracle.utf8)) as? [String: Any])
            let lines = try lake.query(
                "SELECT count(DISTINCT x_SourceLine), CAST(coalesce(sum(CAST(BilledCost AS DECIMAL(38,18))), 0) AS VARCHAR) FROM invoice_lines")[0]
            #expect(Int(lines[0]) == expected["rows"] as? Int, "\(name): every data row is represented")
            #expect(Money(lines[1]) == Money(expected["cost"] as? String ?? "x"), "\(name): cost")
            let quantities = try lake.query(
                "SELECT x_TokenType, CAST(sum(ConsumedQuantity) AS BIGINT) FROM invoice_lines WHERE ConsumedQuantity IS NOT NULL GROUP BY 1")
            let mine = Dictionary(uniqueKeysWithValues: quantities.map { ($0[0], Int($0[1]) ?? -1) })
            #expect(mine == expected["tokens"] as? [String: Int], "\(name): tokens")
        }
    }
}
