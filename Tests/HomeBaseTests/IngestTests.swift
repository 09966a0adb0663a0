import Foundation
import Testing
import TestSupport
@testable import HomeBase
import HomeBaseCore

/// Hand-written transcript lines in the shapes of `reference/openclaw-logs.md`, with the expected
/// values worked out by hand in the comments.
enum Lines {
    static let header = #"{"type":"session","version":3,"id":"sess-1","timestamp":"2026-02-09T17:46:57.329Z","cwd":"/w"}"#
    static func user(_ id: String, _ ms: Int64) -> String {
        #"{"type":"message","id":"\#(id)","parentId":null,"timestamp":"2026-02-09T17:46:57.400Z","message":{"role":"user","content":[{"type":"text","text":"hi"}],"timestamp":\#(ms)}}"#
    }
    static func assistant(_ id: String, ms: Int64, entry: String, provider: String, model: String, stop: String = "stop",
                          input: Int = 0, output: Int = 0, cacheRead: Int = 0, cost: String = "0", tools: Int = 0, error: String? = nil) -> String {
        let content = (0..<tools).map { #"{"type":"toolCall","id":"t\#($0)","name":"exec","arguments":{"cmd":"ls"}}"# }.joined(separator: ",")
        let errorField = error.map { #","errorMessage":"\#($0)""# } ?? ""
        return #"{"type":"message","id":"\#(id)","parentId":"p","timestamp":"\#(entry)","message":{"role":"assistant","content":[\#(content)],"api":"x-api","provider":"\#(provider)","model":"\#(model)","usage":{"input":\#(input),"output":\#(output),"cacheRead":\#(cacheRead),"cacheWrite":0,"totalTokens":\#(input + output + cacheRead),"cost":{"input":0,"output":0,"cacheRead":0,"cacheWrite":0,"total":\#(cost)}},"stopReason":"\#(stop)","timestamp":\#(ms)\#(errorField)}}"#
    }

    /// Calls: a1 (429, rate_limit), a2 (retry of a1, ok, logged $0.0045, 2 tool calls, latency 3500 ms),
    /// a3 (cost 0 → priced: (2000×3 + 100×15 + 10000×0.3)/1e6 = $0.0105, latency 5000 ms), pe1 (prompt
    /// error, timeout), a5 (unknown model → unpriced). Not calls: user rows, the delivery-mirror row.
    /// One malformed line (quarantined), one torn last line (left for the next run).
    static let session = [
        header,
        user("u1", 1_770_659_217_400),
        assistant("a1", ms: 1_770_659_217_424, entry: "2026-02-09T17:46:59.487Z", provider: "openai", model: "gpt-4o",
                  stop: "error", error: "429 Too Many Requests: rate limit reached"),
        assistant("a2", ms: 1_770_659_220_000, entry: "2026-02-09T17:47:03.500Z", provider: "openai", model: "gpt-4o",
                  stop: "toolUse", input: 1000, output: 200, cost: "4.5e-3", tools: 2),
        #"{"type":"message","id":"r1","parentId":"a2","timestamp":"2026-02-09T17:47:04.000Z","message":{"role":"toolResult","toolCallId":"t0","toolName":"exec","content":[{"type":"text","text":"ok"}],"isError":false,"timestamp":1770659224000}}"#,
        assistant("a3", ms: 1_770_659_230_000, entry: "2026-02-09T17:47:15.000Z", provider: "anthropic", model: "claude-sonnet-4-5",
                  input: 2000, output: 100, cacheRead: 10000),
        assistant("m1", ms: 1_770_659_231_000, entry: "2026-02-09T17:47:16.000Z", provider: "openclaw", model: "delivery-mirror"),
        #"{"type":"custom","customType":"openclaw:prompt-error","data":{"timestamp":1770659240000,"runId":"r-1","sessionId":"sess-1","provider":"anthropic","model":"claude-sonnet-4-5","api":"anthropic-messages","error":"Request timed out."},"id":"pe1","parentId":"m1","timestamp":"2026-02-09T17:47:20.000Z"}"#,
        #"{"type":"message","id":"#,
        user("u2", 1_770_659_249_000),
        assistant("a5", ms: 1_770_659_250_000, entry: "2026-02-09T17:47:31.000Z", provider: "custom-x", model: "mystery",
                  input: 10, output: 10),
    ].joined(separator: "\n") + "\n"
    static let tornStart = #"{"type":"message","id":"a9","parentId":"a5","timestamp":"2026-02-10T01:00:01.000Z","message":{"role":"assistant","content":[],"#
    static let tornEnd = #""api":"x","provider":"openai","model":"gpt-4o-mini","usage":{"input":100,"output":50,"cacheRead":0,"cacheWrite":0,"totalTokens":150,"cost":{"total":0.00012}},"stopReason":"stop","timestamp":1770685200000}}"# + "\n"
}

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

        let rows = try fixture.query("""
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
        #expect(try fixture.query("SELECT entry_id, source_line, CAST(date AS VARCHAR), cost_source FROM requests WHERE entry_id = 'a9'")
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
        let a6 = Lines.assistant("a6", ms: 1_770_700_000_000, entry: "2026-02-10T05:06:41.000Z", provider: "openai",
                                 model: "gpt-4o", input: 10, output: 5, cost: "0.001")
        let kept = Lines.session.split(separator: "\n").prefix(4).joined(separator: "\n") + "\n" + a6 + "\n"
        try fixture.write(kept)
        let summary = try fixture.ingest()
        #expect(summary.filesRewritten == 1 && summary.calls == 1 && summary.duplicateCalls == 2)
        #expect(try fixture.query("SELECT string_agg(entry_id, ',' ORDER BY ts) FROM requests") == [["a1,a2,a3,pe1,a5,a6"]])
        // Engines reading tables/ directly see the same six rows.
        let direct = try PythonOracle.run("""
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
            let code = CommandLineTool.run(["ingest", "--openclaw", fixture.stateDir, "--gateway-logs", fixture.gatewayDir,
                                            "--data", fixture.dataDir], console: console)
            #expect(code == .locked)
            #expect(console.capturedErr.contains("another run holds the lock") && console.capturedErr.contains("nightly"))
            withExtendedLifetime(lock) {}
        }
        let after = CommandLineTool.run(["ingest", "--openclaw", fixture.stateDir, "--gateway-logs", fixture.gatewayDir,
                                         "--data", fixture.dataDir, "--format", "json"], console: console)
        #expect(after == .warnings)
        #expect(console.capturedOut.contains("\"calls\":5"))
    }
}
