import Foundation
import Testing
@testable import HomeBaseCore
@testable import Lake
@testable import TestSupport

@Suite struct CatalogTests {
    @Test func snapshotsGiveTimeTravel() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let catalog = try Catalog(dataDir: dir.path)
        #expect(try catalog.latestSnapshot() == nil)
        #expect(try catalog.liveParts(table: "requests").isEmpty)
        let run = try catalog.beginRun(command: "test", startedMicros: 1)
        let s1 = try catalog.database.transaction {
            let s = try catalog.newSnapshot(runID: run, committedMicros: 100, note: "one")
            try catalog.addPart(PartRecord(table: "requests", date: "2026-01-01", path: "a", rowCount: 3, byteSize: 10), snapshot: s)
            try catalog.addPart(PartRecord(table: "requests", date: "2026-01-02", path: "b", rowCount: 4, byteSize: 10), snapshot: s)
            return s
        }
        let s2 = try catalog.database.transaction {
            let s = try catalog.newSnapshot(runID: run, committedMicros: 200, note: "two")
            let old = try catalog.liveParts(table: "requests", from: "2026-01-01", to: "2026-01-01")
            #expect(old.map(\.path) == ["a"])
            try catalog.retirePart(id: old[0].id, snapshot: s)
            try catalog.addPart(PartRecord(table: "requests", date: "2026-01-01", path: "c", rowCount: 5, byteSize: 10), snapshot: s)
            return s
        }
        #expect(try catalog.liveParts(table: "requests").map(\.path) == ["c", "b"])
        #expect(try catalog.liveParts(table: "requests", asOf: s1).map(\.path) == ["a", "b"])
        #expect(try catalog.snapshot(atOrBefore: 150) == s1)
        #expect(try catalog.snapshot(atOrBefore: 250) == s2)
        #expect(try catalog.snapshot(atOrBefore: 50) == nil)
        #expect(try catalog.allPartPaths() == ["a", "b", "c"])
    }

    @Test func rolledBackSnapshotLeavesNothing() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let catalog = try Catalog(dataDir: dir.path)
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try catalog.database.transaction {
                let s = try catalog.newSnapshot(runID: 1, committedMicros: 1, note: "x")
                try catalog.addPart(PartRecord(table: "requests", date: "2026-01-01", path: "a", rowCount: 1, byteSize: 1), snapshot: s)
                throw Boom()
            }
        }
        #expect(try catalog.latestSnapshot() == nil)
        #expect(try catalog.allPartPaths().isEmpty)
    }

    @Test func sourcesRoundTripAndForget() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let catalog = try Catalog(dataDir: dir.path)
        let state = SourceState(
            path: "/x/s.jsonl", kind: "transcript", size: 10, mtimeNanos: 5, offset: 8, lineCount: 2,
            fingerprint: "8:abc", parserState: "sid=1")
        try catalog.saveSource(state, snapshot: 1)
        #expect(try catalog.source(path: "/x/s.jsonl") == state)
        try catalog.noteSourceDate(path: "/x/s.jsonl", table: "requests", date: "2026-01-01")
        try catalog.noteSourceDate(path: "/x/s.jsonl", table: "requests", date: "2026-01-01")
        #expect(try catalog.sourceDates(path: "/x/s.jsonl").count == 1)
        try catalog.forgetSource(path: "/x/s.jsonl")
        #expect(try catalog.sourceDates(path: "/x/s.jsonl").isEmpty)
        // Reopening keeps the schema and data.
        #expect(try catalog.source(path: "/x/s.jsonl") == nil)
        try catalog.saveSource(state, snapshot: 2)
        let reopened = try Catalog(dataDir: dir.path, readOnly: true)
        #expect(try reopened.source(path: "/x/s.jsonl")?.offset == 8)
    }

    @Test func lockIsExclusiveAndNamesItsHolder() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var first: RunLock? = try RunLock(dataDir: dir.path, command: "ingest", nowMicros: 0)
        do {
            _ = try RunLock(dataDir: dir.path, command: "ingest", nowMicros: 0)
            Issue.record("second lock should fail")
        } catch let held as RunLock.Held {
            #expect(held.holder.contains("running 'ingest' since 1970-01-01T00:00:00"))
        }
        first = nil
        _ = first
        _ = try RunLock(dataDir: dir.path, command: "ingest", nowMicros: 0)
    }

    /// A version-1 catalog (one dedupe row per call, with its path) is converted in place on open:
    /// the per-call rows go (calls are identified from the lake's columns now) and the file
    /// shrinks back, so a catalog's size no longer grows with the number of calls.
    @Test func perCallRowsOfAVersionOneCatalogAreDropped() throws {
        let dir = TemporaryDirectory("homebase-catalog-v1")
        defer { dir.remove() }
        let file = dir.path + "/" + Catalog.fileName
        do {
            let catalog = try Catalog(dataDir: dir.path)
            try catalog.database.execute(
                """
                CREATE TABLE seen_calls(key INTEGER PRIMARY KEY, path TEXT NOT NULL);
                CREATE TABLE source_keys(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
                INSERT INTO seen_calls SELECT i * 7919, '/agents/main/sessions/' || (i % 97) || '.jsonl' FROM n;
                PRAGMA user_version = 1;
                """)
        }
        let before = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        #expect(before > 400_000)  // 20,000 rows of key and path
        let catalog = try Catalog(dataDir: dir.path)
        #expect(try catalog.database.scalarInt("PRAGMA user_version") == 4)
        #expect(try catalog.database.scalarInt("SELECT count(*) FROM sqlite_master WHERE name IN ('seen_calls', 'source_keys')") == 0)
        let after = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        #expect(after < 150_000, "VACUUM gave the pages back: \(before) -> \(after) bytes")
        // Opening again is a no-op (no second VACUUM, nothing recreated).
        _ = try Catalog(dataDir: dir.path)
        #expect(try catalog.database.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'seen_calls'") == 0)
    }
}
