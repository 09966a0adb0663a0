import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Lake
@testable import TestSupport

/// Transcripts' catalog states packed per directory (`SourcePack`, `KnownSources`): every state
/// comes back exactly as saved, whether a record or a row holds it.
@Suite struct SourcePackTests {
    /// A state of the shapes ingest writes, drawn at random: the parser state's JSON is spelled
    /// out here by hand, as `TranscriptParser.State.encoded()` documents it.
    static func randomState(_ random: inout SplitMix64, dir: String) -> SourceState {
        let session = (0..<4).map { _ in String(random.next() & 0xffff_ffff, radix: 16) }.joined(separator: "-")
        let name = [
            "\(session).jsonl", "\(session)-topic-\(random.below(1_000_000)).jsonl", "2026-05-04T16-24-03-379Z_\(session).jsonl"
        ][random.below(3)]
        let size = Int64(random.below(4) == 0 ? random.below(5000) : random.below(50_000_000))
        let offset = random.below(5) == 0 ? Int64(random.below(Int(size) + 1)) : size
        let length = random.below(6) == 0 ? Int64(random.below(4097)) : min(size, 4096)
        var parts = ["\"v\":1"]
        if random.below(3) > 0 { parts.append("\"session\":\"\(session)\"") }
        if random.below(8) == 0 { parts.append("\"failed\":\"\(String(random.next() >> 32, radix: 16))\"") }
        if random.below(8) == 0 { parts.append("\"failedAt\":\(Int64(bitPattern: random.next()) >> 8)") }
        if random.below(3) > 0 { parts.append("\"user\":\"\(String(random.next() >> UInt64(random.below(64)), radix: 16))\"") }
        let parserState = random.below(8) == 0 ? nil : "{" + parts.joined(separator: ",") + "}"
        return SourceState(
            path: dir + "/" + name, kind: "transcript", size: size,
            mtimeNanos: Int64(bitPattern: random.next() >> 2) - (random.below(10) == 0 ? Int64.max / 2 : 0),
            offset: offset, lineCount: Int64(random.below(100_000)),
            fingerprint: "\(length):" + String(random.next() >> UInt64(random.below(64)), radix: 16), parserState: parserState)
    }

    /// A failed call's entry id that JSON escapes: a record would not give the same text back.
    static let escapedFailedEntry = "{\"v\":1,\"session\":\"abc-1\",\"failed\":\"e\\\"7\",\"failedAt\":17}"

    @Test func recordsGiveBackTheirStatesAndSurviveTheirBytes() throws {
        var random = SplitMix64(seed: 41)
        var pack = SourcePack()
        var states: [UInt64: SourceState] = [:]
        for _ in 0..<3000 {
            let state = Self.randomState(&random, dir: "/state/agents/a/sessions")
            let (_, name) = SourcePack.split(state.path)
            let record = try #require(SourcePack.record(state, name: name, snapshot: Int64(random.below(1000))))
            #expect(record.state(path: state.path, name: name, kind: "transcript") == state)
            pack[SourcePack.nameHash(name)] = record
            states[SourcePack.nameHash(name)] = state
        }
        let bytes = pack.encoded()
        let back = try #require(SourcePack(bytes: bytes))
        #expect(back == pack)
        for (hash, state) in states {
            let (_, name) = SourcePack.split(state.path)
            #expect(back[hash]?.state(path: state.path, name: name, kind: "transcript") == state)
        }
        // ~40 bytes a file, against ~280 for a row with its path and JSON.
        #expect(bytes.count < 3000 * 45)
    }

    /// Records set, replaced and removed on a pack read from bytes (the changes kept as bytes
    /// until written) read back as a dictionary given the same operations holds them.
    @Test func changesOnALoadedPackReadAsADictionaryOfThem() throws {
        var random = SplitMix64(seed: 21)
        var pool: [SourcePack.Record] = []
        for _ in 0..<50 {
            let state = Self.randomState(&random, dir: "/d")
            pool.append(try #require(SourcePack.record(state, name: SourcePack.split(state.path).name, snapshot: 2)))
        }
        var reference: [UInt64: SourcePack.Record] = [:]
        var start = SourcePack()
        for hash in 0..<UInt64(30) {
            reference[hash] = random.pick(pool)
            start[hash] = reference[hash]
        }
        var pack = try #require(SourcePack(bytes: start.encoded()))
        for _ in 0..<400 {
            let hash = UInt64(random.below(40))
            let record = random.below(4) == 0 ? nil : random.pick(pool)
            pack[hash] = record
            reference[hash] = record
            let probe = UInt64(random.below(40))
            #expect(pack[probe] == reference[probe])
        }
        #expect(pack.records.map(\.hash) == reference.keys.sorted())
        #expect(pack.records.allSatisfy { reference[$0.hash] == $0.record })
        #expect(SourcePack(bytes: pack.encoded()) == pack)
    }

    @Test func statesARecordCannotGiveBackStayOutOfIt() {
        let base = SourceState(
            path: "/s/abc-1.jsonl", kind: "transcript", size: 10, mtimeNanos: 5, offset: 10, lineCount: 2,
            fingerprint: "10:ff", parserState: "{\"v\":1,\"session\":\"abc-1\",\"user\":\"9f\"}")
        #expect(SourcePack.record(base, name: "abc-1.jsonl", snapshot: 1) != nil)
        var odd: [SourceState] = []
        for state in [
            Self.escapedFailedEntry,
            "{\"v\":1,\"session\":\"other\"}",  // a header id that is not in the name
            "{\"v\":1,\"user\":\"9f\",\"session\":\"abc-1\"}",  // another order
            "{\"v\":1,\"user\":\"09f\"}",  // a hash with a leading zero
            "{\"v\":2}"
        ] {
            var s = base
            s.parserState = state
            odd.append(s)
        }
        for fingerprint in ["restored-to-snapshot-3", "10:FF", "10:0ff", "ten:ff", "10:"] {
            var s = base
            s.fingerprint = fingerprint
            odd.append(s)
        }
        for state in odd { #expect(SourcePack.record(state, name: "abc-1.jsonl", snapshot: 1) == nil, "\(state)") }
    }

    @Test func bytesCutShortOrOfAnotherVersionAreRefused() throws {
        var random = SplitMix64(seed: 5)
        var pack = SourcePack()
        for _ in 0..<20 {
            let state = Self.randomState(&random, dir: "/d")
            let (_, name) = SourcePack.split(state.path)
            pack[SourcePack.nameHash(name)] = SourcePack.record(state, name: name, snapshot: 3)
        }
        let bytes = pack.encoded()
        for cut in 0..<bytes.count { #expect(SourcePack(bytes: Array(bytes[..<cut])) == nil) }
        #expect(SourcePack(bytes: bytes + [0]) == nil)
        var newer = bytes
        newer[0] = 2
        #expect(SourcePack(bytes: newer) == nil)
    }

    /// Saved through `KnownSources`, read back by a new one: packable transcripts in one row per
    /// directory, the rest as rows, and a file moves between the two as its state changes.
    @Test func knownSourcesPackTranscriptsAndKeepTheRestAsRows() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let catalog = try Catalog(dataDir: dir.path)
        var random = SplitMix64(seed: 9)
        var saved: [String: SourceState] = [:]
        let known = try catalog.knownSources(kinds: ["transcript", "gateway"])
        for i in 0..<200 {
            var state = Self.randomState(&random, dir: "/state/agents/a\(i % 3)/sessions")
            if i % 10 == 0 { state.parserState = Self.escapedFailedEntry }
            if i % 25 == 0 { state.kind = "gateway" }
            try known.save(state, snapshot: 7)
            saved[state.path] = state
        }
        try known.write()
        let rows = Set(saved.values.filter { $0.kind == "gateway" || $0.parserState == Self.escapedFailedEntry }.map(\.path))
        func check() throws {
            let again = try catalog.knownSources(kinds: ["transcript", "gateway"])
            for (path, state) in saved { #expect(again[path] == state) }
            #expect(again["/state/agents/a0/sessions/unknown.jsonl"] == nil)
            let stored = try catalog.database.withStatement("SELECT path FROM sources ORDER BY path") { statement in
                var paths: Set<String> = []
                while try statement.step() { paths.insert(statement.text(0)) }
                return paths
            }
            #expect(stored == rows)
            #expect(try catalog.database.scalarInt("SELECT count(*) FROM source_packs") == 3)
        }
        try check()

        // A failed call's retry came: the row becomes a record. A packed file's last call failed
        // with an odd entry id: the other way.
        let known2 = try catalog.knownSources(kinds: ["transcript", "gateway"])
        let toRecord = try #require(saved.values.first { $0.kind == "transcript" && $0.parserState == Self.escapedFailedEntry })
        var resolved = toRecord
        resolved.parserState = nil
        resolved.offset = resolved.size
        let toRow = try #require(saved.values.first { $0.kind == "transcript" && !rows.contains($0.path) })
        var failed = toRow
        failed.parserState = Self.escapedFailedEntry
        for state in [resolved, failed] {
            try known2.save(state, snapshot: 8)
            saved[state.path] = state
        }
        try known2.write()
        var newRows = rows
        newRows.remove(resolved.path)
        newRows.insert(failed.path)
        func check2() throws {
            let again = try catalog.knownSources(kinds: ["transcript", "gateway"])
            for (path, state) in saved { #expect(again[path] == state) }
            let count = try catalog.database.scalarInt("SELECT count(*) FROM sources")
            #expect(count == Int64(newRows.count))
        }
        try check2()
    }

    /// A damaged pack stops the run with an error naming its folder and the way out; deleting the
    /// row as it says lets the catalog load (the folder's files are then unknown, read again).
    @Test func aDamagedPackNamesItsFolderAndTheWayOut() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let catalog = try Catalog(dataDir: dir.path)
        try catalog.database.execute("INSERT INTO source_packs VALUES('/s/agents/ops/sessions', x'01ff', 1)")
        do {
            _ = try catalog.knownSources(kinds: ["transcript"])
            Issue.record("a damaged pack was read")
        } catch let error as KnownSources.UnreadablePack {
            #expect(error.dir == "/s/agents/ops/sessions")
            #expect(error.description.contains("DELETE FROM source_packs WHERE dir = '/s/agents/ops/sessions'"))
        }
        try catalog.database.execute("DELETE FROM source_packs WHERE dir = '/s/agents/ops/sessions'")
        #expect(try catalog.knownSources(kinds: ["transcript"])["/s/agents/ops/sessions/a.jsonl"] == nil)
    }

    /// A catalog from before the packs (user_version 3) has its transcripts packed when opened,
    /// and every file's state is the same as before.
    @Test func aCatalogOfRowsIsPackedWhenOpened() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var random = SplitMix64(seed: 77)
        var saved: [SourceState] = []
        do {
            let catalog = try Catalog(dataDir: dir.path)
            for i in 0..<1500 {
                var state = Self.randomState(&random, dir: "/s/a\(i % 4)")
                if i % 100 == 0 { state.fingerprint = "restored-to-snapshot-2" }
                try catalog.saveSource(state, snapshot: 3)
                saved.append(state)
            }
            try catalog.database.execute("DROP TABLE source_packs; PRAGMA user_version = 3;")
        }
        let catalog = try Catalog(dataDir: dir.path)
        #expect(try catalog.database.scalarInt("PRAGMA user_version") == 4)
        #expect(try catalog.database.scalarInt("SELECT count(*) FROM sources") == 15)
        let known = try catalog.knownSources(kinds: ["transcript"])
        for state in saved { #expect(known[state.path] == state) }
    }

    /// A restore to snapshot 3 marks the records updated after it to be read again from the start,
    /// as it marks rows; the others stay as they were.
    @Test func aRestoreMarksTheRecordsUpdatedAfterItsSnapshot() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let catalog = try Catalog(dataDir: dir.path)
        var random = SplitMix64(seed: 3)
        let known = try catalog.knownSources(kinds: ["transcript"])
        var states: [(SourceState, Int64)] = []
        for i in 0..<60 {
            let state = Self.randomState(&random, dir: "/s/a\(i % 2)")
            let snapshot = Int64(1 + i % 5)
            try known.save(state, snapshot: snapshot)
            states.append((state, snapshot))
        }
        try known.write()
        try catalog.database.transaction { try KnownSources.markRestored(after: 3, in: catalog.database) }
        let again = try catalog.knownSources(kinds: ["transcript"])
        for (state, snapshot) in states {
            let now = try #require(again[state.path])
            if snapshot > 3 {
                #expect(now.offset == -1 && now.fingerprint == "restored")
                #expect(now.size == state.size && now.lineCount == state.lineCount)
            } else {
                #expect(now == state)
            }
        }
    }
}
