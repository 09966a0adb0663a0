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
        try catalog.database.prepare("INSERT INTO seen_calls(key, source) VALUES(42, ?)").run([.int(try catalog.sourceKey(path: "/x/s.jsonl"))])
        try catalog.forgetSource(path: "/x/s.jsonl")
        #expect(try catalog.sourceDates(path: "/x/s.jsonl").isEmpty)
        #expect(try catalog.database.scalarInt("SELECT count(*) FROM seen_calls") == 0)
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

    /// A version-1 catalog (dedupe keys with their path) is converted in place on open: the keys
    /// survive, and forgetting a source still drops exactly its keys.
    @Test func dedupeKeysOfAVersionOneCatalogAreKept() throws {
        let dir = TemporaryDirectory("homebase-catalog-v1")
        defer { dir.remove() }
        do {
            let catalog = try Catalog(dataDir: dir.path)
            try catalog.database.execute(
                """
                DROP TABLE seen_calls; DROP TABLE source_keys;
                CREATE TABLE seen_calls(key INTEGER PRIMARY KEY, path TEXT NOT NULL);
                INSERT INTO seen_calls VALUES (1, '/a.jsonl'), (2, '/a.jsonl'), (3, '/b.jsonl');
                PRAGMA user_version = 1;
                """)
        }
        let catalog = try Catalog(dataDir: dir.path)
        #expect(try catalog.database.scalarInt("PRAGMA user_version") == 2)
        #expect(try catalog.database.scalarInt("SELECT count(*) FROM seen_calls") == 3)
        try catalog.forgetSource(path: "/a.jsonl")
        #expect(try catalog.database.scalarInt("SELECT group_concat(key) FROM seen_calls") == 3)
        // The call that survived (key 3) still points at /b.jsonl's key, and asking for that key
        // finds it rather than adding one: two keys, one per path, as the v1 table had.
        let bKey = try catalog.database.scalarInt("SELECT id FROM source_keys WHERE path = '/b.jsonl'")
        #expect(try catalog.database.scalarInt("SELECT source FROM seen_calls WHERE key = 3") == bKey)
        #expect(try catalog.sourceKey(path: "/b.jsonl") == bKey)
        #expect(try catalog.database.scalarInt("SELECT count(*) FROM source_keys") == 2)
    }
}
