import Foundation
import Testing
@testable import SQLiteStore
@testable import HomeBaseCLI
@testable import TestSupport

/// OpenClaw's SQLite session store read beside the JSONL files, with hand-written events whose
/// expected values are worked out in `Lines` (IngestTests.swift): the same 11 lines as a store
/// session give the same 5 calls as the JSONL file, with `seq` standing for the line number.
@Suite(.serialized) struct SessionStoreTests {
    @Test func storeSessionGivesTheCallsOfItsLines() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        let store = try SessionStoreWriter(stateDir: fixture.stateDir)
        try store.append(session: "sess-1", Lines.sessionLines)
        let summary = try fixture.ingest()
        // a1, a2, a3, pe1, a5; $0.0045 logged + $0.0105 priced = $0.015; line 9 is malformed.
        #expect(summary.calls == 5 && summary.errorCalls == 2 && summary.duplicateCalls == 0)
        #expect(summary.errorsByClass == ["rate_limit": 1, "timeout": 1])
        #expect(abs(summary.costUSD - 0.015) < 1e-12)
        #expect(summary.storeDatabasesRead == 1 && summary.storeSessionsRead == 1 && summary.storeEventsRead == 11)
        #expect(summary.quarantinedLines == 1 && summary.storeUnreadableEvents == [store.path: 1])
        let rows = try fixture.query(
            """
            SELECT entry_id, retry_of, round(cost_usd, 10), latency_ms, session_id, agent_id, source_file, source_line
            FROM requests ORDER BY ts
            """)
        #expect(rows.map { $0[0] } == ["a1", "a2", "a3", "pe1", "a5"])
        #expect(rows[1][1] == "a1")
        #expect(rows.map { $0[2] } == ["0.0", "0.0045", "0.0105", "0.0", "0.0"])
        #expect(rows[1][3] == "3500.0")  // 17:47:03.500 − 17:47:00.000
        #expect(Set(rows.map { $0[4] }) == ["sess-1"] && Set(rows.map { $0[5] }) == ["ops"])
        #expect(Set(rows.map { $0[6] }) == [store.path])
        #expect(rows.map { $0[7] } == ["3", "4", "6", "8", "11"])  // seq = line number here
        #expect(try fixture.query("SELECT source_file, source_line FROM quarantine") == [[store.path, "9"]])
    }

    /// A session in the store, in a JSONL file and in the import archive: every copy is read and
    /// each call counts once; the JSONL file, read first, keeps the lineage.
    @Test func sessionInEveryCopyCountsOnce() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        let store = try SessionStoreWriter(stateDir: fixture.stateDir)
        try store.append(session: "sess-1", Lines.sessionLines)
        try fixture.write(file: "sess-1.jsonl", Lines.session)
        try fixture.write(file: "session-sqlite-import-archive/sess-1.jsonl", Lines.session)
        let only = [
            Lines.header("sess-2"),
            Lines.assistant(
                "b1", ms: 1_770_700_000_000, entry: "2026-02-10T05:06:41.000Z", provider: "openai",
                model: "gpt-4o", input: 10, output: 5, cost: "0.001")
        ]
        try fixture.write(file: "sess-2.jsonl", only.joined(separator: "\n") + "\n")
        let summary = try fixture.ingest()
        #expect(summary.calls == 6 && summary.duplicateCalls == 10)  // a1 a2 a3 pe1 a5 + b1; 5 in each other copy
        #expect(summary.sources[.jsonl].read == 2 && summary.sources[.importArchive].read == 1 && summary.sources[.storeEvents].read == 1)
        #expect(
            try fixture.query("SELECT session_id, source_file, count(*) FROM requests GROUP BY 1, 2 ORDER BY 1")
                == [
                    ["sess-1", fixture.sessionPath(agent: "ops", file: "sess-1.jsonl"), "5"],
                    ["sess-2", fixture.sessionPath(agent: "ops", file: "sess-2.jsonl"), "1"]
                ])
    }

    /// A JSONL session ingested before OpenClaw migrated it: once it is in the store, only the
    /// event the store alone has is new; the file's rows stay.
    @Test func migratedSessionAddsOnlyWhatIsNew() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        let lines = Lines.sessionLines
        try fixture.write(file: "sess-1.jsonl", lines.prefix(4).joined(separator: "\n") + "\n")  // a1, a2
        #expect(try fixture.ingest().calls == 2)
        let store = try SessionStoreWriter(stateDir: fixture.stateDir)
        try store.append(session: "sess-1", Array(lines.prefix(6)))  // a1, a2, a3
        let summary = try fixture.ingest()
        #expect(summary.calls == 1 && summary.duplicateCalls == 2)
        #expect(
            try fixture.query("SELECT string_agg(entry_id, ',' ORDER BY ts), string_agg(source_file, ',' ORDER BY ts) FROM requests")
                == [
                    [
                        "a1,a2,a3",
                        [
                            fixture.sessionPath(agent: "ops", file: "sess-1.jsonl"), fixture.sessionPath(agent: "ops", file: "sess-1.jsonl"),
                            store.path
                        ].joined(separator: ",")
                    ]
                ])
    }

    /// The dedupe key (agent, entry id, message.timestamp) keeps an entry that is in a JSONL file
    /// and, under another session id, in the store from being counted twice.
    @Test func identicalEntriesInBothStoresCountOnce() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        var lines = Lines.sessionLines
        lines[0] = Lines.header("sess-x")
        try fixture.write(file: "sess-x.jsonl", lines.joined(separator: "\n") + "\n")
        lines[0] = Lines.header("sess-y")
        let store = try SessionStoreWriter(stateDir: fixture.stateDir)
        try store.append(session: "sess-y", lines)
        let summary = try fixture.ingest()
        #expect(summary.calls == 5 && summary.duplicateCalls == 5)
        // The JSONL file is read first, so its rows are the ones kept.
        #expect(try fixture.query("SELECT count(*), min(session_id), max(session_id) FROM requests") == [["5", "sess-x", "sess-x"]])
    }

    /// Each nightly run reads only the events after the high-water mark, and a retry chain
    /// continues across runs (the parser state is kept per session).
    @Test func incrementalRunsReadOnlyNewEvents() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        let lines = Lines.sessionLines
        let store = try SessionStoreWriter(stateDir: fixture.stateDir)
        try store.append(session: "sess-1", Array(lines.prefix(3)))  // header, u1, a1 (429)
        let first = try fixture.ingest()
        #expect(first.storeEventsRead == 3 && first.calls == 1)
        try store.append(session: "sess-1", Array(lines.dropFirst(3)))  // 8 more: a2, a3, pe1, a5
        try store.append(
            session: "sess-2",
            [
                Lines.header("sess-2"),
                Lines.assistant(
                    "b1", ms: 1_770_700_000_000, entry: "2026-02-10T05:06:41.000Z",
                    provider: "openai", model: "gpt-4o", input: 10, output: 5, cost: "0.001")
            ])
        let second = try fixture.ingest()
        #expect(second.storeEventsRead == 10 && second.storeSessionsRead == 2 && second.calls == 5)
        let third = try fixture.ingest()
        #expect(third.snapshot == nil && third.storeEventsRead == 0 && third.calls == 0)
        #expect(try fixture.query("SELECT retry_of FROM requests WHERE entry_id = 'a2'") == [["a1"]])
        #expect(try fixture.query("SELECT count(*) FROM requests") == [["6"]])
    }

    /// A store replaced by a shorter one, by one whose event at the mark differs, or by a byte
    /// copy: what changed is read again and matched by call identity, so no call is lost or
    /// counted twice (the calls the first store gave happened, whatever the new file holds).
    @Test func replacedStoreIsReconciledByIdentity() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        let lines = Lines.sessionLines
        try SessionStoreWriter(stateDir: fixture.stateDir).append(session: "sess-1", lines)
        #expect(try fixture.ingest().calls == 5)

        // Replaced by a shorter store (seq 11 → 4): read again, nothing new, nothing lost.
        SessionStoreWriter.remove(stateDir: fixture.stateDir)
        try SessionStoreWriter(stateDir: fixture.stateDir).append(session: "sess-1", Array(lines.prefix(4)))
        let shorter = try fixture.ingest()
        #expect(shorter.storeDatabasesReplaced == 1 && shorter.storeSessionsReconciled == 1)
        #expect(shorter.calls == 0 && shorter.duplicateCalls == 2)
        #expect(try fixture.query("SELECT string_agg(entry_id, ',' ORDER BY ts) FROM requests") == [["a1,a2,a3,pe1,a5"]])

        // Grown again with an event at the old mark that differs, plus a new call a6: only a6 is new.
        SessionStoreWriter.remove(stateDir: fixture.stateDir)
        let changed = Lines.assistant(
            "a2", ms: 1_770_659_220_000, entry: "2026-02-09T17:47:03.500Z", provider: "openai",
            model: "gpt-4o", stop: "toolUse", input: 1000, output: 999, cost: "4.5e-3", tools: 2)
        let a6 = Lines.assistant(
            "a6", ms: 1_770_700_000_000, entry: "2026-02-10T05:06:41.000Z", provider: "openai",
            model: "gpt-4o", input: 10, output: 5, cost: "0.001")
        let store = try SessionStoreWriter(stateDir: fixture.stateDir)
        try store.append(session: "sess-1", Array(lines.prefix(3)) + [changed, a6])
        let grown = try fixture.ingest()
        #expect(grown.storeSessionsReconciled == 1 && grown.calls == 1 && grown.duplicateCalls == 2)
        #expect(try fixture.query("SELECT string_agg(entry_id, ',' ORDER BY ts) FROM requests") == [["a1,a2,a3,pe1,a5,a6"]])

        // A byte copy in place of the file (what restoring from a backup does): nothing to do.
        try FileManager.default.copyItem(atPath: store.path, toPath: store.path + ".copy")
        #expect(rename(store.path + ".copy", store.path) == 0)
        let copied = try fixture.ingest()
        #expect(copied.snapshot == nil && copied.calls == 0 && copied.storeSessionsReconciled == 0)
        #expect(try fixture.query("SELECT count(*) FROM requests") == [["6"]])
    }

    /// zstd-compressed and otherwise unreadable bodies: counted per store, quarantined with the
    /// reason, exit 3.
    @Test func unreadableBodiesAreQuarantinedAndExitThree() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        let store = try SessionStoreWriter(stateDir: fixture.stateDir)
        let lines = Lines.sessionLines
        try store.append(session: "sess-1", Array(lines.prefix(3)))  // seq 1-3: header, u1, a1
        try store.appendBlob(session: "sess-1", [0x28, 0xB5, 0x2F, 0xFD, 0x20, 0x45, 0x01])  // seq 4: a zstd frame
        try store.append(session: "sess-1", ["{oops", lines[3]])  // seq 5: not JSON; seq 6: a2
        let console = Console.capturing()
        let code = CommandLineTool.run(
            [
                "ingest", "--openclaw", fixture.stateDir, "--gateway-logs", fixture.gatewayDir,
                "--data", fixture.dataDir
            ], console: console)
        #expect(code == .warnings)
        #expect(console.capturedOut.contains("warning: \(store.path): 2 events unreadable"))
        let bad = try fixture.query("SELECT source_file, source_line, reason, excerpt FROM quarantine ORDER BY source_line")
        #expect(bad.map { $0[1] } == ["4", "5"])
        #expect(Set(bad.map { $0[0] }) == [store.path])
        #expect(bad[0][2].contains("zstd-compressed body that does not decode") && bad[0][3] == "hex:28b52ffd204501")
        #expect(bad[1][2].contains("invalid JSON") && bad[1][3] == "{oops")
        #expect(try fixture.query("SELECT string_agg(entry_id, ',' ORDER BY ts) FROM requests") == [["a1,a2"]])
    }

    /// A store without the expected table or column, or not a database at all, is reported with
    /// its path and what was expected; the rest of the state directory is still read.
    @Test func schemaProblemsAreReportedNotFatal() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        let noSeq = try SessionStoreWriter(
            stateDir: fixture.stateDir, agent: "a",
            schema: "CREATE TABLE transcript_events(session_id TEXT, event_json TEXT, created_at INTEGER);")
        let noTable = try SessionStoreWriter(stateDir: fixture.stateDir, agent: "b", schema: "CREATE TABLE sessions(session_id TEXT);")
        let garbage = SessionStoreWriter.path(stateDir: fixture.stateDir, agent: "c")
        try FileManager.default.createDirectory(atPath: (garbage as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: garbage))
        try fixture.write(agent: "a", file: "sess-1.jsonl", Lines.session)
        let summary = try fixture.ingest()
        #expect(summary.calls == 5 && summary.hasWarnings)
        #expect(summary.filesUnreadable.count == 3)
        let byPath = { (path: String) in summary.filesUnreadable.first { $0.hasPrefix(path + ": ") } ?? "" }
        #expect(byPath(noSeq.path).contains("has no column seq") && byPath(noSeq.path).contains("transcript_events(session_id, seq, event_json"))
        #expect(byPath(noTable.path).contains("no table transcript_events"))
        #expect(byPath(garbage).contains("not a database"))
    }
    /// A store whose pages are damaged (valid header, garbage inside) is reported with its path,
    /// not a crash; what could be read before the damage is kept, and the run exits 3.
    @Test func damagedStoreIsReportedNotFatal() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        let path: String
        do {
            let store = try SessionStoreWriter(stateDir: fixture.stateDir)
            path = store.path
            try store.database.execute("PRAGMA journal_mode=DELETE")  // everything in the main file once closed
            let calls = (0..<300).map { k in
                Lines.assistant(
                    String(format: "d%04d", k), ms: 1_770_700_000_000 + Int64(k) * 1000, entry: "2026-02-10T05:06:41.000Z",
                    provider: "openai", model: "gpt-4o", input: 10, output: 5, cost: "0.001")
            }
            try store.append(session: "sess-1", [Lines.header("sess-1")] + calls)
        }
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size > 16 * 4096)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        for page in stride(from: 3, to: size / 4096, by: 4) {  // every 4th page from the 4th on
            try handle.seek(toOffset: UInt64(page * 4096))
            try handle.write(contentsOf: Data(repeating: 0xA5, count: 4096))
        }
        try handle.close()
        try fixture.write(agent: "other", file: "sess-2.jsonl", Lines.session)
        let summary = try fixture.ingest()
        #expect(summary.hasWarnings)
        #expect(summary.filesUnreadable.contains { $0.hasPrefix(path + ": ") && $0.contains("malformed") })
        #expect(try fixture.query("SELECT count(*) FROM requests WHERE agent_id = 'other'") == [["5"]])
    }
}
