import Foundation
import Testing
@testable import SQLiteStore
@testable import Ingest
@testable import Generate
@testable import TestSupport

/// `generate --store jsonl|sqlite|mixed` with one seed: the three layouts ingest into the same
/// `requests` rows (DuckDB, all columns but the lineage `source_file`/`source_line`), and the JSONL
/// lake matches the independent Python oracle.
@Suite(.serialized) struct SessionStoreGenerateTests {
    static let options = GeneratorOptions(days: 20, agents: 3, callsPerDay: 15, seed: 7, endDay: 20_634, targetMB: nil)

    @Test func threeLayoutsGiveIdenticalLakes() throws {
        let dir = TemporaryDirectory("homebase-store-layouts")
        defer { dir.remove() }
        var summaries: [SessionStoreLayout: IngestSummary] = [:]
        var manifests: [SessionStoreLayout: GenerationManifest] = [:]
        for layout in [SessionStoreLayout.jsonl, .sqlite, .mixed] {
            var options = Self.options
            options.store = layout
            let out = dir.path + "/" + layout.rawValue
            manifests[layout] = try OpenClawGenerator.generate(options, outDir: out)
            let ingest = IngestOptions(
                dataDir: out + "/data", openclawDirs: [out + "/openclaw"], gatewayDirs: [out + "/gateway"],
                parallelism: 2, now: { 1_800_000_000_000_000 })
            summaries[layout] = try Ingestor(options: ingest).run()
        }
        let jsonl = try #require(summaries[.jsonl]), sqlite = try #require(summaries[.sqlite]), mixed = try #require(summaries[.mixed])
        let manifest = try #require(manifests[.jsonl])
        #expect(manifest.duplicate_entries > 0)  // compaction successors exercise the lineage dedupe

        // The JSONL layout against the Python oracle reading the raw files.
        let oracle = try PythonOracle.run(
            """
            import runpy, sys
            sys.argv = [sys.argv[1], sys.argv[2]]
            runpy.run_path(sys.argv[0], run_name='__main__')
            """, [PythonOracle.repositoryRoot.path + "/Tests/tools/oracle_transcripts.py", dir.path + "/jsonl/openclaw"])
        let counts = try #require(JSONSerialization.jsonObject(with: Data(oracle.utf8)) as? [String: Any])
        #expect(jsonl.calls == counts["calls"] as? Int && jsonl.duplicateCalls == counts["duplicate_entries"] as? Int)
        for summary in [sqlite, mixed] {
            #expect(summary.calls == jsonl.calls && summary.errorCalls == jsonl.errorCalls)
        }
        #expect(sqlite.duplicateCalls == jsonl.duplicateCalls && sqlite.quarantinedLines == jsonl.quarantinedLines)

        // Mixed: every place used; each copy read (the "both" JSONL and the import archive), each call once.
        let places = try #require(manifests[.mixed]?.store_sessions)
        #expect(["jsonl", "both", "imported", "sqlite"].allSatisfy { (places[$0] ?? 0) > 0 })
        #expect(mixed.sources[.importArchive].read == places["imported"] && mixed.duplicateCalls > jsonl.duplicateCalls)
        #expect(sqlite.storeDatabasesRead == 3)

        // Events read = rows in the stores, counted by Python's sqlite3.
        let rows = try PythonOracle.run(
            """
            import sqlite3, sys, glob
            for root in sys.argv[1:]:
                dbs = glob.glob(root + '/openclaw/agents/*/agent/openclaw-agent.sqlite')
                print(sum(sqlite3.connect(f'file:{p}?mode=ro', uri=True).execute('SELECT count(*) FROM transcript_events').fetchone()[0] for p in dbs))
            """, [dir.path + "/sqlite", dir.path + "/mixed"]
        ).split(separator: "\n").map { Int64($0) }
        #expect(rows == [sqlite.storeEventsRead, mixed.storeEventsRead])

        // The requests tables, compared by DuckDB in both directions.
        let diff = try PythonOracle.run(
            """
            import sys, duckdb
            con = duckdb.connect()
            for name in ['jsonl', 'sqlite', 'mixed']:
                con.execute(f"CREATE VIEW {name} AS SELECT * EXCLUDE (source_file, source_line) FROM read_parquet('{sys.argv[1]}/{name}/data/tables/requests/*/*.parquet', hive_partitioning=true)")
            for other in ['sqlite', 'mixed']:
                print(con.execute(f"SELECT (SELECT count(*) FROM jsonl), (SELECT count(*) FROM {other}), "
                                  f"(SELECT count(*) FROM (SELECT * FROM jsonl EXCEPT ALL SELECT * FROM {other})), "
                                  f"(SELECT count(*) FROM (SELECT * FROM {other} EXCEPT ALL SELECT * FROM jsonl))").fetchone())
            """, [dir.path])
        let expected = "(\(jsonl.calls), \(jsonl.calls), 0, 0)"
        #expect(diff.split(separator: "\n").map(String.init) == [expected, expected])
    }

    @Test func secondRunOverAGeneratedStoreReadsNothing() throws {
        let dir = TemporaryDirectory("homebase-store-rerun")
        defer { dir.remove() }
        var options = Self.options
        options.days = 6
        options.store = .sqlite
        _ = try OpenClawGenerator.generate(options, outDir: dir.path)
        let ingest = IngestOptions(
            dataDir: dir.path + "/data", openclawDirs: [dir.path + "/openclaw"], gatewayDirs: [dir.path + "/gateway"],
            parallelism: 2, now: { 1_800_000_000_000_000 })
        let first = try Ingestor(options: ingest).run()
        #expect(first.storeEventsRead > 0 && first.calls > 0)
        let second = try Ingestor(options: ingest).run()
        #expect(second.snapshot == nil && second.storeEventsRead == 0 && second.storeSessionsRead == 0 && second.calls == 0)
        // One reader instead of two: the same rows, lineage included (DuckDB hash over every column).
        var single = ingest
        single.dataDir = dir.path + "/data-1"
        single.parallelism = 1
        _ = try Ingestor(options: single).run()
        let digests = try PythonOracle.run(
            """
            import sys, duckdb
            for d in sys.argv[1:]:
                print(duckdb.sql(f"SELECT count(*), sum(hash(t)) FROM read_parquet('{d}/tables/requests/*/*.parquet') t").fetchall()[0])
            """, [ingest.dataDir, single.dataDir]
        ).split(separator: "\n")
        #expect(digests.count == 2 && digests[0] == digests[1])
    }
}
