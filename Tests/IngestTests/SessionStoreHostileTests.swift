import Foundation
import Testing
@testable import SQLiteStore
@testable import Pipeline
@testable import HomeBaseCLI
@testable import TestSupport

/// The odd SQLite stores of `shared/hostile-inputs/` (copied under Fixtures/hostile/): each
/// ingest ends, quarantines the rows it cannot place with the reason, keeps the good rows, and
/// exits 3; a second run warns again without quarantining the same rows twice.
@Suite(.serialized) struct SessionStoreHostileTests {
    static let fixtures = PythonOracle.repositoryRoot.path + "/Tests/TestSupport/Fixtures/hostile"

    /// Copies a case's `state/` and ingests it with the command line; returns exit code, output, data dir.
    private func run(_ name: String, in dir: TemporaryDirectory) throws -> (ExitCode, String, String) {
        let state = dir.path + "/state"
        if !FileManager.default.fileExists(atPath: state) {
            try FileManager.default.copyItem(atPath: Self.fixtures + "/" + name + "/state", toPath: state)
        }
        let console = Console.capturing()
        let code = CommandLineTool.run(
            ["ingest", "--openclaw", state, "--gateway-logs", dir.path + "/none", "--data", dir.path + "/data"],
            console: console)
        return (code, console.capturedOut, dir.path + "/data")
    }

    /// Python's sqlite3 and json count, independently, the rows by type and the calls among the good ones.
    private func census(_ name: String) throws -> (odd: Int, calls: Int) {
        let out = try PythonOracle.run(
            """
            import sqlite3, json, sys
            con = sqlite3.connect(sys.argv[1])
            odd = con.execute("SELECT count(*) FROM transcript_events WHERE typeof(session_id) != 'text' OR typeof(seq) != 'integer'").fetchone()[0]
            calls = 0
            for (body,) in con.execute("SELECT event_json FROM transcript_events WHERE typeof(session_id) = 'text' AND typeof(seq) = 'integer'"):
                o = json.loads(body)
                m = o.get('message') or {}
                if o.get('type') == 'message' and m.get('role') == 'assistant' and m.get('stopReason') != 'injected' \\
                        and not (m.get('provider') in ('openclaw', 'clawdbot') and m.get('model') in ('delivery-mirror', 'gateway-injected')):
                    calls += 1
                elif o.get('type') == 'custom' and o.get('customType') == 'openclaw:prompt-error':
                    calls += 1
            print(odd, calls)
            """, [Self.fixtures + "/" + name + "/state/agents/ops/agent/openclaw-agent.sqlite"])
        let parts = out.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int($0) }
        return (parts[0], parts[1])
    }

    @Test(arguments: [
        ("S_seq_real", "seq real"), ("S_seq_text", "seq text"), ("S_seq_null", "seq null"),
        ("S_session_id_int", "session_id integer")
    ])
    func wrongTypedRowsAreQuarantinedAndTheRestRead(_ name: String, _ reason: String) throws {
        let dir = TemporaryDirectory("homebase-hostile-" + name)
        defer { dir.remove() }
        let expected = try census(name)
        #expect(expected.odd > 0)
        let (code, out, data) = try run(name, in: dir)
        #expect(code == .warnings)
        #expect(out.contains("calls: \(expected.calls) new"))
        let bad = try PythonOracle.run(
            """
            import sys, duckdb
            rows = duckdb.sql(f"SELECT reason FROM read_parquet('{sys.argv[1]}/tables/quarantine/*/*.parquet')").fetchall()
            print(len(rows)); print(sum(1 for (r,) in rows if sys.argv[2] in r and 'not counted' in r))
            """, [data, reason]
        ).split(separator: "\n").map(String.init)
        #expect(bad == ["\(expected.odd)", "\(expected.odd)"])
        let (again, againOut, _) = try run(name, in: dir)
        #expect(again == .warnings && againOut.contains("calls: 0 new") && !againOut.contains("bad lines quarantined"))
    }

    /// A view in place of the table (here an endless recursive CTE) is refused, not read forever.
    @Test func viewInsteadOfTheTableIsRefused() throws {
        let dir = TemporaryDirectory("homebase-hostile-view")
        defer { dir.remove() }
        let (code, out, _) = try run("S_view_infinite_cte", in: dir)
        #expect(code == .warnings)
        #expect(out.contains("transcript_events is a view, not a table") && out.contains("store_events 1 (1 NOT READ)"))
    }

    /// 2,501 events sharing one `seq` (more than a page of 2,000): paged by (`seq`, `rowid`), all read.
    @Test func eventsSharingOneSeqAreAllRead() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        let store = try SessionStoreWriter(
            stateDir: fixture.stateDir,
            schema: "CREATE TABLE transcript_events(session_id, seq, event_json, created_at);")
        let insert = try store.database.prepare("INSERT INTO transcript_events VALUES('sess-1', 1, ?, 0)")
        try insert.run([.text(Lines.header("sess-1"))])
        for k in 0..<2500 {
            try insert.run([
                .text(
                    Lines.assistant(
                        String(format: "d%04d", k), ms: 1_770_700_000_000 + Int64(k) * 1000,
                        entry: "2026-02-10T05:06:41.000Z", provider: "openai", model: "gpt-4o",
                        input: 10, output: 5, cost: "0.001"))
            ])
        }
        let summary = try fixture.ingest()
        #expect(summary.calls == 2500 && summary.storeEventsRead == 2501 && !summary.hasWarnings)
        #expect(try fixture.ingest().snapshot == nil)
    }
}
