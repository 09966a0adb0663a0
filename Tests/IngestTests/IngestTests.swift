import Foundation
import Testing
@testable import HomeBaseCore
@testable import HomeBaseCLI
@testable import TestSupport

@Suite(.serialized) struct IngestTests {
    @Test func handWrittenSessionEndToEnd() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        try fixture.write(Lines.session + Lines.tornStart)
        let summary = try fixture.ingest()
        #expect(summary.calls == 5)
        #expect(summary.errorCalls == 2)
        #expect(summary.errorsByClass == ["rate_limit": 1, "timeout": 1])
        #expect(summary.quarantinedLines == 1)
        #expect(summary.tornLinesPending == 1)
        #expect(summary.unpricedCalls == 1 && summary.unpricedModels == ["custom-x/mystery"])
        #expect(summary.hasWarnings)
        #expect(abs(summary.costUSD - 0.015) < 1e-12)

        let rows = try fixture.query(
            """
            SELECT entry_id, status, error_class, retry_of, cost_source, round(cost_usd, 10), latency_ms, tool_calls,
                   session_id, agent_id, CAST(date AS VARCHAR), source_line
            FROM requests ORDER BY ts
            """)
        #expect(rows.map { $0[0] } == ["a1", "a2", "a3", "pe1", "a5"])
        #expect(rows.map { $0[1] } == ["error", "ok", "ok", "error", "ok"])
        #expect(rows.map { $0[2] } == ["rate_limit", "NULL", "NULL", "timeout", "NULL"])
        #expect(rows[1][3] == "a1")
        #expect(rows.map { $0[4] } == ["priced", "logged", "priced", "priced", "unpriced"])
        #expect(rows.map { $0[5] } == ["0.0", "0.0045", "0.0105", "0.0", "0.0"])
        #expect(rows[0][6] == "2063.0" && rows[1][6] == "3500.0" && rows[2][6] == "5000.0")
        #expect(rows[1][7] == "2")
        #expect(Set(rows.map { $0[8] }) == ["sess-1"] && Set(rows.map { $0[9] }) == ["ops"])
        #expect(Set(rows.map { $0[10] }) == ["2026-02-09"])
        #expect(rows.map { $0[11] } == ["3", "4", "6", "8", "11"])

        let bad = try fixture.query("SELECT source_line, byte_offset > 0, length(reason) > 0 FROM quarantine")
        #expect(bad == [["9", "True", "True"]])
    }

    @Test func rerunIsIdempotentAndAppendsAreRead() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        try fixture.write(Lines.session + Lines.tornStart)
        let first = try fixture.ingest()
        #expect(first.snapshot != nil)
        let again = try fixture.ingest()
        #expect(again.snapshot == nil && again.calls == 0 && again.quarantinedLines == 0)
        #expect(try fixture.query("SELECT count(*), round(sum(cost_usd), 10) FROM requests") == [["5", "0.015"]])

        // The writer finishes the torn line: it is read once, as line 12.
        try fixture.append(Lines.tornEnd)
        let third = try fixture.ingest()
        #expect(third.calls == 1 && third.tornLinesPending == 0 && third.quarantinedLines == 0)
        #expect(
            try fixture.query("SELECT entry_id, source_line, CAST(date AS VARCHAR), cost_source FROM requests WHERE entry_id = 'a9'")
                == [["a9", "12", "2026-02-10", "logged"]])
        #expect(try fixture.query("SELECT count(*) FROM requests") == [["6"]])
        #expect(try fixture.query("SELECT count(*) FROM quarantine") == [["1"]])
    }

    @Test func fileWithOnlyALineBeingWrittenCommitsNothing() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        try fixture.write(Lines.tornStart)
        let first = try fixture.ingest()
        #expect(first.snapshot == nil && first.tornLinesPending == 1 && first.calls == 0)
        #expect(try fixture.ingest().snapshot == nil)
        try fixture.append(Lines.tornEnd)
        let done = try fixture.ingest()
        #expect(done.calls == 1 && done.tornLinesPending == 0)
        #expect(try fixture.query("SELECT entry_id, source_line FROM requests") == [["a9", "1"]])
    }

    /// A transcript rewritten shorter is read again from the start and matched by call identity:
    /// the calls it gave stay (they happened and were billed), nothing counts twice.
    @Test func rewrittenFileKeepsItsCallsAndAddsOnlyNewOnes() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        try fixture.write(Lines.session)
        _ = try fixture.ingest()
        // Rewritten shorter: only the header, u1, a1 and a2 remain, then one new call.
        let a6 = Lines.assistant(
            "a6", ms: 1_770_700_000_000, entry: "2026-02-10T05:06:41.000Z", provider: "openai",
            model: "gpt-4o", input: 10, output: 5, cost: "0.001")
        let kept = Lines.session.split(separator: "\n").prefix(4).joined(separator: "\n") + "\n" + a6 + "\n"
        try fixture.write(kept)
        let summary = try fixture.ingest()
        #expect(summary.filesRewritten == 1 && summary.calls == 1 && summary.duplicateCalls == 2)
        #expect(try fixture.query("SELECT string_agg(entry_id, ',' ORDER BY ts) FROM requests") == [["a1,a2,a3,pe1,a5,a6"]])
        // Engines reading tables/ directly see the same six rows.
        let direct = try PythonOracle.run(
            """
            import sys, duckdb
            print(duckdb.sql(f"SELECT count(*) FROM read_parquet('{sys.argv[1]}/tables/requests/*/*.parquet', hive_partitioning=true)").fetchall()[0][0])
            """, [fixture.dataDir])
        #expect(direct.trimmingCharacters(in: .whitespacesAndNewlines) == "6")
    }

    @Test func sameEntryInArchiveCountsOnce() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        try fixture.write(Lines.session)
        try fixture.write(file: "sess-1.jsonl.reset.2026-02-10T08-15-44.120Z", Lines.session)
        try fixture.write(file: "sess-1.checkpoint.0f4c5a8e-1111-4222-8333-944445555666.jsonl", Lines.session)
        try fixture.write(agent: "other", Lines.session)
        let summary = try fixture.ingest()
        // Two agents × 5 calls; the archive and the checkpoint copy are the same 5 calls again.
        #expect(summary.calls == 10)
        #expect(summary.duplicateCalls == 10)
        #expect(try fixture.query("SELECT agent_id, count(*) FROM requests GROUP BY 1 ORDER BY 1") == [["ops", "5"], ["other", "5"]])
    }

    @Test func secondRunWhileLockedExitsFour() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        try fixture.write(Lines.session)
        try FileManager.default.createDirectory(atPath: fixture.dataDir, withIntermediateDirectories: true)
        let console = Console.capturing()
        do {
            let lock = try RunLock(dataDir: fixture.dataDir, command: "nightly", nowMicros: 0)
            let code = CommandLineTool.run(
                [
                    "ingest", "--openclaw", fixture.stateDir, "--gateway-logs", fixture.gatewayDir,
                    "--data", fixture.dataDir
                ], console: console)
            #expect(code == .locked)
            #expect(console.capturedErr.contains("another run holds the lock") && console.capturedErr.contains("nightly"))
            withExtendedLifetime(lock) {}
        }
        let after = CommandLineTool.run(
            [
                "ingest", "--openclaw", fixture.stateDir, "--gateway-logs", fixture.gatewayDir,
                "--data", fixture.dataDir, "--format", "json"
            ], console: console)
        #expect(after == .warnings)
        #expect(console.capturedOut.contains("\"calls\":5"))
    }
}
