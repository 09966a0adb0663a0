import Dispatch
import Foundation
import Testing
import TestSupport
@testable import DeltaLog

/// Commits: put-if-absent under races, crashed commits, and rebuilding a log from the catalog.
@Suite struct DeltaLogCommitTests {
    private func commitBytes(_ log: DeltaTableLog) throws -> [Int64: Data] {
        var bytes: [Int64: Data] = [:]
        for version in try log.versions() {
            bytes[version] = FileManager.default.contents(atPath: log.logDirectory + "/" + DeltaTableLog.commitFileName(version))
        }
        return bytes
    }

    private func temporaries(_ log: DeltaTableLog) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: log.logDirectory)) ?? []).filter { $0.hasPrefix(".") }
    }

    @Test func rebuiltLogEqualsTheOneWrittenLiveAndCatchUpResumes() throws {
        let dir = TemporaryDirectory("delta-rebuild")
        defer { dir.remove() }
        let root = dir.file("requests")
        let changes = try DeltaLakeOracleTests.Scenario().changes(root: root)
        let metadata = DeltaTestTable.metadata(createdTime: DeltaLakeOracleTests.commitMillis(0))
        let log = DeltaTableLog(tableRoot: root)
        try log.commit(DeltaCommit(snapshot: 0, timestampMillis: metadata.createdTime, metadata: metadata))
        for change in changes where !(change.added.isEmpty && change.removed.isEmpty) {
            try log.commit(
                DeltaCommit(
                    snapshot: change.snapshot, timestampMillis: change.committedMicros / 1000,
                    added: change.added, removed: change.removed))
        }
        let live = try commitBytes(log)
        #expect(live.count == 5)

        try FileManager.default.removeItem(atPath: log.logDirectory)
        // A run that died after its catalog commit of snapshot 4: the log stops at snapshot 2.
        #expect(try log.catchUp(metadata: metadata, changes: Array(changes.prefix(2))) == [0, 1, 2])
        #expect(try log.lastSnapshot() == 2)
        // Recovery passes the whole history; only what is missing is written.
        #expect(try log.catchUp(metadata: metadata, changes: changes) == [3, 4])
        #expect(try log.catchUp(metadata: metadata, changes: changes) == [])
        #expect(try commitBytes(log) == live)
        #expect(throws: DeltaLogError.self) { try log.catchUp(metadata: metadata, changes: changes.reversed()) }
    }

    @Test func concurrentWritersOfOneVersionLeaveExactlyOneWinner() throws {
        let dir = TemporaryDirectory("delta-race")
        defer { dir.remove() }
        let root = dir.file("t")
        let metadata = DeltaTestTable.metadata(createdTime: 1_000)
        try DeltaTableLog(tableRoot: root).commit(DeltaCommit(snapshot: 0, timestampMillis: 1_000, metadata: metadata))
        let writers = 8
        let outcomes = Outcomes(count: writers)
        DispatchQueue.concurrentPerform(iterations: writers) { i in
            let log = DeltaTableLog(tableRoot: root)  // each writer read the table at version 0
            let file = DeltaDataFile(
                path: "date=2026-11-03/w\(i).parquet", partitionValues: ["date": "2026-11-03"], size: 10,
                modificationTime: 2_000, dataChange: true, stats: nil)
            do {
                try log.commit(DeltaCommit(snapshot: Int64(i + 1), timestampMillis: 2_000, added: [file]), version: 1)
                outcomes.set(i, "won")
            } catch let error as DeltaLogError {
                outcomes.set(i, error.code == .commitConflict(version: 1) ? "lost" : "\(error)")
            } catch {
                outcomes.set(i, "\(error)")
            }
        }
        let results = outcomes.values
        #expect(results.filter { $0 == "won" }.count == 1, "\(results)")
        #expect(results.filter { $0 == "lost" }.count == writers - 1, "\(results)")
        let log = DeltaTableLog(tableRoot: root)
        #expect(try log.versions() == [0, 1])
        let winner = try #require(results.firstIndex(of: "won"))
        #expect(try log.liveFiles() == ["date=2026-11-03/w\(winner).parquet"])
        #expect(try log.history().last?.snapshot == Int64(winner + 1))
        #expect(temporaries(log) == [])
    }

    @Test func crashedCommitIsInvisibleToDeltalakeAndRecoveryRemovesIt() throws {
        let dir = TemporaryDirectory("delta-crash")
        defer { dir.remove() }
        let root = dir.file("requests")
        let scenario = DeltaLakeOracleTests.Scenario()
        let changes = try scenario.changes(root: root)
        let metadata = DeltaTestTable.metadata(createdTime: DeltaLakeOracleTests.commitMillis(0))
        let log = DeltaTableLog(tableRoot: root)
        try log.catchUp(metadata: metadata, changes: Array(changes.prefix(2)))  // versions 0...2

        // A writer that died after writing its temporary commit for version 3, before link().
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let compaction = try #require(changes.first { $0.snapshot == 4 })
        let lines = try DeltaCommit(snapshot: 4, timestampMillis: 5_000, added: compaction.added, removed: compaction.removed)
            .lines(isFirstVersion: false, engineInfo: "homebase")
        let crashed = DeltaTableLog.temporaryName(version: 3, pid: dead.processIdentifier, thread: 1)
        let liveWriter = DeltaTableLog.temporaryName(version: 3, pid: getpid(), thread: 1)
        for name in [crashed, liveWriter] {
            #expect(
                FileManager.default.createFile(atPath: log.logDirectory + "/" + name, contents: Data((lines.joined(separator: "\n") + "\n").utf8)))
        }

        let read = """
            import json, os, sys
            from deltalake import DeltaTable
            dt = DeltaTable(sys.argv[1])
            print(json.dumps([dt.version(), dt.to_pyarrow_table().num_rows]))
            sys.stdout.flush()
            os._exit(0)  # skip interpreter teardown, as in DeltaLakeOracleTests
            """
        let expectedRows = scenario.a.rows.count + scenario.b.rows.count + scenario.c.rows.count
        #expect(try PythonOracle.run(read, [root]).trimmingCharacters(in: .whitespacesAndNewlines) == "[2, \(expectedRows)]")
        #expect(try log.latestVersion() == 2)

        #expect(try log.recover() == [crashed])  // the live writer's file stays
        #expect(temporaries(log) == [liveWriter])
        try FileManager.default.removeItem(atPath: log.logDirectory + "/" + liveWriter)
        #expect(try log.catchUp(metadata: metadata, changes: changes) == [3, 4])
        let mergedRows = scenario.merged.rows.count + scenario.rewritten.rows.count
        #expect(try PythonOracle.run(read, [root]).trimmingCharacters(in: .whitespacesAndNewlines) == "[4, \(mergedRows)]")
    }

    @Test func firstVersionNeedsMetadataAndLinkFailuresLeaveNoTemporary() throws {
        let dir = TemporaryDirectory("delta-first")
        defer { dir.remove() }
        let log = DeltaTableLog(tableRoot: dir.file("t"))
        #expect(throws: DeltaLogError.self) { try log.commit(DeltaCommit(snapshot: 1, timestampMillis: 0)) }
        let metadata = DeltaTestTable.metadata(createdTime: 0)
        #expect(try log.commit(DeltaCommit(snapshot: 0, timestampMillis: 0, metadata: metadata)) == 0)
        do {
            try log.commit(DeltaCommit(snapshot: 0, timestampMillis: 0, metadata: metadata), version: 0)
            Issue.record("a second version 0 was accepted")
        } catch let error as DeltaLogError {
            #expect(error.code == .commitConflict(version: 0))
        }
        #expect(temporaries(log) == [])
        // The commit file's mtime is the commit time (timestamp time travel reads it).
        let attributes = try FileManager.default.attributesOfItem(atPath: log.logDirectory + "/" + DeltaTableLog.commitFileName(0))
        #expect((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 == 0)
    }
}

/// Per-writer results collected from concurrent threads.
private final class Outcomes: @unchecked Sendable {
    private var slots: [String]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: "", count: count) }
    func set(_ i: Int, _ value: String) { lock.lock(); slots[i] = value; lock.unlock() }
    var values: [String] { lock.lock(); defer { lock.unlock() }; return slots }
}

extension DeltaLogCommitTests {
    /// A commit file read line by line: the prefix keeps only its lines (the last one without a
    /// newline included), blank lines are skipped, and a line that is not JSON is named by its
    /// number in the file.
    @Test func commitLinesAreFilteredAndABadLineIsNamed() throws {
        let dir = TemporaryDirectory("delta-lines")
        defer { dir.remove() }
        let log = DeltaTableLog(tableRoot: dir.file("t"))
        try FileManager.default.createDirectory(atPath: log.logDirectory, withIntermediateDirectories: true)
        let file = log.logDirectory + "/" + DeltaTableLog.commitFileName(0)
        let lines = [#"{"add":{"path":"a"}}"#, "", #"{"commitInfo":{"x":1}}"#, #"{"add":{"path":"b"}}"#, #"{"commitInfo":{"x":2}}"#]
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: file))
        let infos = try log.actions(version: 0, onlyLinesStartingWith: #"{"commitInfo""#)
        #expect(infos.compactMap { ($0["commitInfo"] as? [String: Any])?["x"] as? Int } == [1, 2])
        #expect(try log.actions(version: 0).count == 4)
        try Data((lines + ["{not json", #"{"commitInfo":{}}"#]).joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: file))
        #expect(try log.actions(version: 0, onlyLinesStartingWith: #"{"add""#).count == 2)  // the bad line is not read
        var message = ""
        do { _ = try log.actions(version: 0) } catch { message = "\(error)" }
        #expect(message.contains("line 6 is not a JSON object"), "\(message)")
    }
}
