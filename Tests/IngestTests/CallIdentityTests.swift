import Foundation
import Testing
@testable import HomeBaseCore
@testable import Parquet
@testable import SQLiteStore
@testable import Lake
@testable import Ingest
@testable import TestSupport

/// Calls are identified from the lake's own columns, not from a per-call catalog row: copies read
/// in later runs, after compaction, and on a lake whose catalog still had the old rows, count once;
/// and the catalog does not grow with the number of calls.
@Suite(.serialized) struct CallIdentityTests {
    /// The key of a call and the key of the row it was written as are the same value, for an entry
    /// with an id and for one without (identified by session, provider, model and tokens).
    @Test func keyOfARowIsTheKeyOfItsCall() throws {
        var calls: [CallRecord] = []
        for (i, entry) in ["e1", "", "e3", ""].enumerated() {
            var call = CallRecord(
                timestampMicros: 1_770_659_217_424_000 + Int64(i), agentId: "ops", sessionId: "s\(i % 2)", entryId: entry,
                provider: "openai", model: "gpt-4o", api: "x", stopReason: "stop", status: "ok", sourceFile: "/f", sourceLine: 1)
            call.inputTokens = 10 * Int64(i)
            call.outputTokens = 3
            calls.append(call)
        }
        func strings(_ values: [String]) -> ColumnData { ColumnData(.byteArray(ByteArrayColumn(values))) }
        let columns: [ColumnData] = [
            ColumnData(.int64(calls.map(\.timestampMicros))), strings(calls.map(\.agentId)), strings(calls.map(\.sessionId)),
            strings(calls.map(\.entryId)), strings(calls.map(\.provider)), strings(calls.map(\.model)),
            ColumnData(.int64(calls.map(\.inputTokens))), ColumnData(.int64(calls.map(\.outputTokens)))
        ]
        var keys: [UInt64] = []
        try CallIdentities.keys(columns: columns, part: "p", into: &keys)
        #expect(keys == calls.map(CallIdentities.key))
        #expect(Set(keys).count == 4)
        // Without an entry id, the tokens are part of the identity; with one, they are not.
        var other = calls[1]
        other.inputTokens += 1
        #expect(CallIdentities.key(other) != CallIdentities.key(calls[1]))
        other = calls[0]
        other.inputTokens += 1
        #expect(CallIdentities.key(other) == CallIdentities.key(calls[0]))
        // A wrongly typed column is an error naming the part, not a crash.
        #expect(throws: CallIdentities.IdentityReadError.self) { try CallIdentities.keys(columns: Array(columns.prefix(7)), part: "p", into: &keys) }
    }

    @Test func keySetFindsEveryKeyAcrossMerges() {
        var generator = SplitMix64(seed: 7)
        var set = CallKeySet(sorted: CallKeySet.unique((0..<1000).map { _ in generator.next() }.sorted()))
        var reference = Set(set.sorted)
        for _ in 0..<20_000 {
            let key = generator.next() % 30_000  // small range: many repeats
            #expect(set.insert(key) == reference.insert(key).inserted)
        }
        #expect(set.count == reference.count)
        #expect(reference.allSatisfy(set.contains))
        #expect(zip(set.sorted, set.sorted.dropFirst()).allSatisfy { $0 < $1 })
    }

    /// Copies of a session that appear in later runs (a reset archive, a compaction checkpoint, a
    /// copy in another agent's folder is another agent's call) count nothing new, also after the
    /// partition was compacted into one part.
    @Test func copiesInLaterRunsCountOnce() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        try fixture.write(Lines.session)
        #expect(try fixture.ingest().calls == 5)
        try fixture.write(file: "sess-1.jsonl.reset.2026-02-10T08-15-44.120Z", Lines.session)
        let second = try fixture.ingest()
        #expect(second.calls == 0 && second.duplicateCalls == 5)
        // More runs add parts to the partition; a low compactAbove merges them, then the copy
        // in a checkpoint file is checked against the merged part.
        for i in 0..<3 {
            let extra = Lines.assistant(
                "x\(i)", ms: 1_770_660_000_000 + Int64(i) * 1000, entry: "2026-02-09T18:00:0\(i).500Z", provider: "openai", model: "gpt-4o",
                input: 1, output: 1)
            try fixture.write(file: "extra-\(i).jsonl", Lines.header + "\n" + extra + "\n")
            #expect(try fixture.ingest(compactAbove: 2).calls == 1)
        }
        let catalog = try Catalog(dataDir: fixture.dataDir, readOnly: true)
        #expect(try catalog.liveParts(table: "requests").count <= 2)
        try fixture.write(file: "sess-1.checkpoint.0f4c5a8e-1111-4222-8333-944445555666.jsonl", Lines.session)
        try fixture.write(
            file: "extra-copy.jsonl",
            Lines.session
                + Lines.assistant(
                    "x1", ms: 1_770_660_001_000, entry: "2026-02-09T18:00:01.500Z", provider: "openai", model: "gpt-4o", input: 1, output: 1) + "\n")
        let third = try fixture.ingest()
        #expect(third.calls == 0 && third.duplicateCalls == 11)
        try fixture.write(agent: "other", Lines.session)
        #expect(try fixture.ingest().calls == 5)
        #expect(
            try fixture.query("SELECT agent_id, count(*), count(DISTINCT entry_id) FROM requests GROUP BY 1 ORDER BY 1") == [
                ["ops", "8", "8"], ["other", "5", "5"]
            ])
    }

    /// A lake written while the catalog kept a row per call: the rows are dropped on open, and a
    /// copy of a call already in the lake is still recognised (from the lake's columns).
    @Test func lakeFromBeforeTheMigrationKeepsItsIdentities() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        try fixture.write(Lines.session)
        #expect(try fixture.ingest().calls == 5)
        do {
            let catalog = try Catalog(dataDir: fixture.dataDir)
            try catalog.database.execute(
                """
                CREATE TABLE seen_calls(key INTEGER PRIMARY KEY, source INTEGER NOT NULL);
                CREATE TABLE source_keys(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);
                INSERT INTO source_keys(path) VALUES('/old.jsonl');
                INSERT INTO seen_calls VALUES (1, 1), (2, 1), (3, 1), (4, 1), (5, 1);
                PRAGMA user_version = 2;
                """)
        }
        try fixture.write(file: "sess-1.jsonl.deleted.2026-02-11T00-00-00.000Z", Lines.session)
        let summary = try fixture.ingest()
        #expect(summary.calls == 0 && summary.duplicateCalls == 5)
        let catalog = try Catalog(dataDir: fixture.dataDir, readOnly: true)
        #expect(try catalog.database.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'seen_calls'") == 0)
        #expect(try catalog.database.scalarInt("PRAGMA user_version") == 4)
    }

    /// The catalog keeps nothing per call: ten times the calls in the same files leave its size
    /// where it was (it grew by a row per call before: about 20 bytes a call).
    @Test func catalogDoesNotGrowWithCalls() throws {
        func catalogBytes(calls: Int) throws -> (bytes: Int, counted: Int) {
            let fixture = IngestFixture()
            defer { fixture.remove() }
            for file in 0..<4 {
                var text = Lines.header + "\n"
                for i in 0..<calls / 4 {
                    let ms = 1_770_659_217_000 + Int64(file * calls + i) * 1000
                    text += Lines.assistant("c\(file)-\(i)", ms: ms, entry: "2026-02-09T17:46:59.487Z", provider: "openai", model: "gpt-4o") + "\n"
                }
                try fixture.write(file: "s\(file).jsonl", text)
            }
            let summary = try fixture.ingest()
            let size = try FileManager.default.attributesOfItem(atPath: fixture.dataDir + "/" + Catalog.fileName)[.size] as? Int
            return (size ?? -1, summary.calls)
        }
        let small = try catalogBytes(calls: 400)
        let large = try catalogBytes(calls: 8000)
        #expect(small.counted == 400 && large.counted == 8000)
        #expect(large.bytes - small.bytes < 8192, "catalog \(small.bytes) bytes for 400 calls, \(large.bytes) for 8,000")
    }

    /// A run reads the identities of the days its new calls fall in, not of the whole history:
    /// the time a call costs does not grow with the lake.
    @Test func aNewDayReadsOnlyItsOwnPartition() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        let day: Int64 = 86_400_000
        func session(_ name: String, dayIndex: Int64, calls: Int) -> String {
            var text = Lines.header + "\n"
            for i in 0..<calls {
                let ms = 1_770_600_000_000 + dayIndex * day + Int64(i) * 60_000
                text += Lines.assistant("\(name)-\(i)", ms: ms, entry: "2026-02-09T00:00:00.000Z", provider: "openai", model: "gpt-4o") + "\n"
            }
            return text
        }
        for d in 0..<20 { try fixture.write(file: "day-\(d).jsonl", session("d\(d)", dayIndex: Int64(d), calls: 5)) }
        let history = try fixture.ingest()
        #expect(history.calls == 100 && history.identityPartitionsRead == 0)  // an empty lake has nothing to read
        try fixture.write(file: "day-20.jsonl", session("d20", dayIndex: 20, calls: 5))
        let next = try fixture.ingest()
        #expect(next.calls == 5 && next.identityPartitionsRead == 0)  // a day with no parts yet
        try fixture.append(
            file: "day-20.jsonl",
            Lines.assistant(
                "late", ms: 1_770_600_000_000 + 20 * day + 3_600_000, entry: "2026-03-01T01:00:00.000Z", provider: "openai", model: "gpt-4o") + "\n")
        let late = try fixture.ingest()
        #expect(late.calls == 1 && late.identityPartitionsRead == 1 && late.identityRowsRead == 5)
    }
}
