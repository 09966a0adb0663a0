import Foundation
import Testing
@testable import SQLiteStore
@testable import Ingest
@testable import Generate
@testable import TestSupport

/// OpenClaw 2026.8+ storage (issue: every call exactly once, from every copy). One generated
/// fleet is ingested through three histories, which must give identical lakes whose numbers
/// equal the independent Python oracle reading every raw copy (files, `.zst`, store events,
/// archive rows) with its own JSON, zstd and sqlite3:
/// (a) a first ingest of the aged state; (b) ingest while every session is live, archive in
/// place (Python's sqlite3 moves rows into `session_transcript_archives`, files get their archive
/// names), ingest again; (c) then every store file replaced by a byte copy, ingest again.
@Suite(.serialized) struct OpenClawHistoryTests {
    static let options: GeneratorOptions = {
        var o = GeneratorOptions(days: 24, agents: 3, callsPerDay: 20, seed: 11, endDay: 20_634, targetMB: nil)
        o.store = .current
        return o
    }()

    private func ingest(_ state: String, into data: String) throws -> IngestSummary {
        let options = IngestOptions(
            dataDir: data, openclawDirs: [state + "/openclaw"], gatewayDirs: [],
            parallelism: 2, now: { 1_800_000_000_000_000 })
        return try Ingestor(options: options).run()
    }

    @Test func threeHistoriesGiveIdenticalLakesEqualToTheOracle() throws {
        let dir = TemporaryDirectory("homebase-openclaw-history")
        defer { dir.remove() }
        let aged = dir.path + "/aged", live = dir.path + "/live"
        let manifest = try OpenClawGenerator.generate(Self.options, outDir: aged)
        var liveOptions = Self.options
        liveOptions.store = .currentLive
        _ = try OpenClawGenerator.generate(liveOptions, outDir: live)
        // The layout's traps are all there.
        let places = try #require(manifest.store_sessions)
        for place in ["archive_row", "archive_row_zstd", "archive_published", "archive_file", "imported", "unsafe_session_id"] {
            #expect((places[place] ?? 0) > 0, "generator placed no \(place)")
        }
        let pending = try PythonOracle.run(
            """
            import sqlite3, sys, glob
            n = 0
            for p in glob.glob(sys.argv[1] + '/openclaw/agents/*/agent/openclaw-agent.sqlite'):
                n += sqlite3.connect(p).execute('SELECT count(*) FROM session_transcript_archives WHERE published_at IS NULL').fetchone()[0]
            print(n)
            """, [aged])
        #expect((Int(pending.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0, "no pending archive row")

        // (a)
        let a = try ingest(aged, into: dir.path + "/lake-a")
        #expect(a.filesUnreadable.isEmpty && a.sources[.archiveRow].read == places.filter { $0.key.hasPrefix("archive_row") }.values.reduce(0, +))
        // (b)
        let b1 = try ingest(live, into: dir.path + "/lake-b")
        #expect(b1.sources[.archiveRow].found == 0 && b1.calls == a.calls)
        let archived = try PythonOracle.run(
            """
            import runpy, sys
            sys.argv = sys.argv[1:]
            runpy.run_path(sys.argv[0], run_name='__main__')
            """, [PythonOracle.repositoryRoot.path + "/Tests/tools/archive_in_place.py", live, aged])
        #expect(archived.hasPrefix("archived "))
        let b2 = try ingest(live, into: dir.path + "/lake-b")
        #expect(b2.calls == 0 && b2.duplicateCalls > 0 && b2.sources[.archiveRow].read > 0)
        #expect(b2.filesUnreadable.isEmpty)
        // (c)
        let stores = try FileManager.default.subpathsOfDirectory(atPath: live + "/openclaw/agents").filter { $0.hasSuffix(".sqlite") }
        #expect(!stores.isEmpty)
        for store in stores {
            let path = live + "/openclaw/agents/" + store
            try FileManager.default.copyItem(atPath: path, toPath: path + ".copy")
            #expect(rename(path + ".copy", path) == 0)
        }
        let c = try ingest(live, into: dir.path + "/lake-b")
        #expect(c.calls == 0 && c.storeSessionsReconciled == 0 && c.snapshot == nil)

        // The oracle over every raw copy of the aged state.
        let oracle = try PythonOracle.run(
            """
            import runpy, sys
            sys.argv = sys.argv[1:]
            runpy.run_path(sys.argv[0], run_name='__main__')
            """, [PythonOracle.repositoryRoot.path + "/Tests/tools/oracle_transcripts.py", aged])
        let counts = try #require(JSONSerialization.jsonObject(with: Data(oracle.utf8)) as? [String: Any])
        #expect(a.calls == counts["calls"] as? Int && a.errorCalls == counts["error_calls"] as? Int)
        #expect(a.duplicateCalls == counts["duplicate_entries"] as? Int)

        // DuckDB: both lakes hold the same calls (every column but the lineage), and their totals,
        // tokens and per-day counts are the oracle's.
        let tokens = try #require(counts["tokens"] as? [String: Int])
        let byDay = try #require(counts["calls_by_day"] as? [String: Int])
        let loggedCost = try #require(counts["cost_logged_usd"] as? Double)
        let lake = try PythonOracle.run(
            """
            import sys, duckdb, json
            con = duckdb.connect()
            for name in ['a', 'b']:
                con.execute(f"CREATE VIEW {name} AS SELECT * EXCLUDE (source_file, source_line) FROM read_parquet('{sys.argv[1]}/lake-{name}/tables/requests/*/*.parquet', hive_partitioning=true)")
            diff = con.execute("SELECT (SELECT count(*) FROM (SELECT * FROM a EXCEPT ALL SELECT * FROM b)), (SELECT count(*) FROM (SELECT * FROM b EXCEPT ALL SELECT * FROM a))").fetchone()
            t = con.execute("SELECT count(*), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens), sum(total_tokens), sum(CASE WHEN cost_logged_usd > 0 THEN cost_logged_usd ELSE 0 END) FROM a").fetchone()
            days = dict(con.execute("SELECT strftime(ts, '%Y-%m-%d'), count(*) FROM a GROUP BY 1").fetchall())
            classes = dict(con.execute("SELECT error_class, count(*) FROM a WHERE status = 'error' GROUP BY 1").fetchall())
            print(json.dumps({"diff": list(diff), "totals": [t[0], t[1], t[2], t[3], t[4], t[5]], "cost": t[6], "days": days, "classes": classes}))
            """, [dir.path])
        let result = try #require(JSONSerialization.jsonObject(with: Data(lake.utf8)) as? [String: Any])
        #expect(result["diff"] as? [Int] == [0, 0])
        #expect(
            result["totals"] as? [Int] == [
                a.calls, tokens["input"] ?? -1, tokens["output"] ?? -1, tokens["cache_read"] ?? -1,
                tokens["cache_write"] ?? -1, tokens["total"] ?? -1
            ])
        #expect(abs((result["cost"] as? Double ?? -1) - loggedCost) < 1e-9)
        #expect(result["days"] as? [String: Int] == byDay)
        #expect((result["classes"] as? [String: Int])?.values.reduce(0, +) == a.errorCalls)
        #expect(result["classes"] as? [String: Int] == a.errorsByClass)
    }

    /// A damaged archive row (its blob no longer matches `archive_sha256`) gives no calls, is
    /// quarantined with the row and reason, and is a warning; its published file still counts.
    @Test func damagedArchiveRowIsQuarantinedNotHalfCounted() throws {
        let dir = TemporaryDirectory("homebase-openclaw-damaged-archive")
        defer { dir.remove() }
        let out = dir.path + "/state"
        _ = try OpenClawGenerator.generate(Self.options, outDir: out)
        // Python damages one identity-encoded row: a flipped byte in the middle of its blob.
        let damaged = try PythonOracle.run(
            """
            import sqlite3, sys, glob
            for p in sorted(glob.glob(sys.argv[1] + '/openclaw/agents/*/agent/openclaw-agent.sqlite')):
                con = sqlite3.connect(p)
                row = con.execute("SELECT rowid, archive_blob, archive_name, published_at FROM session_transcript_archives WHERE encoding = 'identity' ORDER BY rowid LIMIT 1").fetchone()
                if row:
                    blob = bytearray(row[1]); blob[len(blob) // 2] ^= 0x20
                    with con:
                        con.execute("UPDATE session_transcript_archives SET archive_blob = ? WHERE rowid = ?", (bytes(blob), row[0]))
                    print(p + "#" + row[2]); print(1 if row[3] is not None else 0)
                    break
            """, [out]
        ).split(separator: "\n").map(String.init)
        let source = try #require(damaged.first)
        let published = damaged.count > 1 && damaged[1] == "1"
        let summary = try ingest(out, into: dir.path + "/lake")
        #expect(summary.hasWarnings && summary.sources[.archiveRow].notRead == 1)
        #expect(summary.filesUnreadable.contains { $0.contains("does not match archive_sha256") })
        let quarantined = try PythonOracle.run(
            """
            import sys, duckdb
            print(duckdb.sql(f"SELECT count(*) FROM read_parquet('{sys.argv[1]}/tables/quarantine/*/*.parquet') WHERE source_file = '{sys.argv[2]}' AND reason LIKE '%archive_sha256%'").fetchall()[0][0])
            print(duckdb.sql(f"SELECT count(*) FROM read_parquet('{sys.argv[1]}/tables/requests/*/*.parquet') WHERE source_file = '{sys.argv[2]}'").fetchall()[0][0])
            """, [dir.path + "/lake", source]
        ).split(separator: "\n").map(String.init)
        #expect(quarantined == ["1", "0"])
        // The next run warns again (the row is still unread) without quarantining it twice.
        let again = try ingest(out, into: dir.path + "/lake")
        #expect(again.hasWarnings && again.quarantinedLines == 0 && again.sources[.archiveRow].notRead == 1)
        if published { #expect(summary.sources[.archiveFile].read > 0) }
    }
}
