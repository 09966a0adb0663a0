import Foundation
import Testing
@testable import SQLiteStore
@testable import Ingest
@testable import TestSupport

/// Reading a store while OpenClaw writes to it: uncommitted rows are not seen and do not block
/// us, and a writer in another process inserting throughout a series of runs loses nothing and
/// duplicates nothing.
@Suite(.serialized) struct SessionStoreConcurrencyTests {
    @Test func openWriteTransactionNeitherBlocksNorLeaks() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        let lines = Lines.sessionLines
        let store = try SessionStoreWriter(stateDir: fixture.stateDir)
        try store.append(session: "sess-1", Array(lines.prefix(3)))  // header, u1, a1
        // A second connection, as the gateway: a write transaction left open while we read.
        let gateway = try SQLiteDatabase(path: store.path)
        try gateway.execute("BEGIN IMMEDIATE")
        let insert = try gateway.prepare("INSERT INTO transcript_events(session_id, seq, event_json, created_at) VALUES(?,?,?,?)")
        for seq in 4...6 { try insert.run([.text("sess-1"), .int(Int64(seq)), .text(lines[seq - 1]), .int(Int64(seq))]) }
        // Had the read waited on the gateway's lock it would fail with SQLITE_BUSY after the busy
        // timeout and name the store as unreadable: no clock needed to see that it did not.
        let during = try fixture.ingest()
        #expect(during.calls == 1 && during.storeEventsRead == 3 && during.filesUnreadable.isEmpty)
        try gateway.execute("COMMIT")
        let after = try fixture.ingest()
        #expect(after.calls == 2 && after.storeEventsRead == 3)  // a2, a3 from seq 4-6
        #expect(try fixture.query("SELECT string_agg(entry_id, ',' ORDER BY ts) FROM requests") == [["a1,a2,a3"]])
    }

    @Test func writerInAnotherProcessDuringRuns() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        let store = try SessionStoreWriter(stateDir: fixture.stateDir)
        try store.append(session: "live-0", [Lines.header("live-0")])
        // 3 sessions × 120 calls, each call its own transaction, as a busy gateway would write them.
        let writer = Process()
        writer.executableURL = PythonOracle.repositoryRoot.appendingPathComponent(".build/pyenv/bin/python")
        writer.arguments = [
            "-c",
            """
            import sqlite3, sys, time, datetime
            con = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
            con.execute('PRAGMA journal_mode=WAL')
            base = 1770681600000
            for k in range(360):
                session = f'live-{k % 3}'
                con.execute('BEGIN IMMEDIATE')
                seq = con.execute('SELECT coalesce(max(seq), 0) FROM transcript_events WHERE session_id = ?', (session,)).fetchone()[0]
                if seq == 0:
                    header = '{"type":"session","version":3,"id":"%s","timestamp":"2026-02-10T00:00:00.000Z","cwd":"/w"}' % session
                    con.execute('INSERT INTO transcript_events VALUES (?,?,?,?)', (session, 1, header, base))
                    seq = 1
                ms = base + k * 1000
                end = datetime.datetime.fromtimestamp((ms + 500) / 1000, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3] + 'Z'
                line = ('{"type":"message","id":"c%05d","parentId":null,"timestamp":"%s","message":{"role":"assistant","content":[],'
                        '"api":"x","provider":"openai","model":"gpt-4o","usage":{"input":10,"output":5,"cacheRead":0,"cacheWrite":0,'
                        '"totalTokens":15,"cost":{"total":0.001}},"stopReason":"stop","timestamp":%d}}') % (k, end, ms)
                con.execute('INSERT INTO transcript_events VALUES (?,?,?,?)', (session, seq + 1, line, ms))
                con.execute('COMMIT')
                time.sleep(0.004)
            """, store.path
        ]
        try writer.run()
        var runs: [IngestSummary] = []
        while writer.isRunning { runs.append(try fixture.ingest()) }
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0)
        let concurrentRuns = runs.count
        runs.append(try fixture.ingest())
        #expect(concurrentRuns >= 1)
        // Every event read exactly once: 1 + 2 headers + 360 calls; every call once, $0.001 each.
        #expect(runs.map(\.storeEventsRead).reduce(0, +) == 363)
        #expect(runs.map(\.calls).reduce(0, +) == 360 && runs.map(\.duplicateCalls).reduce(0, +) == 0)
        #expect(runs.allSatisfy { $0.filesUnreadable.isEmpty && $0.quarantinedLines == 0 })
        #expect(try fixture.query("SELECT count(*), count(DISTINCT entry_id), round(sum(cost_usd), 9) FROM requests") == [["360", "360", "0.36"]])
    }
}
