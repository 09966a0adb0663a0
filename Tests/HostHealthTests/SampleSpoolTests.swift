import Foundation
import Testing
import TestSupport
@testable import HostHealth

/// Appending, torn lines and fold-then-trim, including appends racing a fold.
@Suite struct SampleSpoolTests {
    @Test func appendsAndReadsBack() throws {
        let scratch = TemporaryDirectory("hh-spool")
        defer { scratch.remove() }
        let spool = SampleSpool(dataDir: scratch.path)
        let samples = (0..<3).map { Fixture.sample(Fixture.t0 + Int64($0) * 60_000_000, cpu: Double($0)) }
        for s in samples { try spool.append(s) }
        let contents = try spool.read()
        #expect(contents.samples == samples)
        #expect(contents.badLines.isEmpty && contents.tornTailBytes == 0)
        let text = try String(contentsOfFile: spool.spoolPath, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 3)
        #expect(text.hasPrefix(#"{"cpu_busy_pct":0,"cpu_count":2,"cpu_window_s":60,"disks":[],"host":"h1","#))
    }

    @Test func tornLastLineIsReportedAndEarlierLinesKept() throws {
        let scratch = TemporaryDirectory("hh-torn")
        defer { scratch.remove() }
        let spool = SampleSpool(dataDir: scratch.path)
        try spool.append(Fixture.sample(Fixture.t0))
        try spool.append(Fixture.sample(Fixture.t0 + 1))
        let handle = try #require(FileHandle(forWritingAtPath: spool.spoolPath))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"ts_us":12"#.utf8))
        handle.closeFile()
        var contents = try spool.read()
        #expect(contents.samples.map(\.tsMicros) == [Fixture.t0, Fixture.t0 + 1])
        #expect(contents.tornTailBytes == 11)
        // The next append starts on a fresh line: the fragment becomes one bad line, the new sample survives.
        try spool.append(Fixture.sample(Fixture.t0 + 2))
        contents = try spool.read()
        #expect(contents.samples.map(\.tsMicros) == [Fixture.t0, Fixture.t0 + 1, Fixture.t0 + 2])
        #expect(contents.badLines.map(\.line) == [3])
        #expect(contents.tornTailBytes == 0)
    }

    @Test func foldHandsOverThenTrimsOnlyWhatItRead() throws {
        let scratch = TemporaryDirectory("hh-fold")
        defer { scratch.remove() }
        let spool = SampleSpool(dataDir: scratch.path)
        for i in 0..<3 { try spool.append(Fixture.sample(Fixture.t0 + Int64(i))) }
        var consumed: [[Int64]] = []
        let report = try spool.fold { samples in
            consumed.append(samples.map(\.tsMicros))
            // Samples arriving during the ingest go to a fresh spool.
            try spool.append(Fixture.sample(Fixture.t0 + 10))
            try spool.append(Fixture.sample(Fixture.t0 + 11))
        }
        #expect(consumed == [[Fixture.t0, Fixture.t0 + 1, Fixture.t0 + 2]])
        #expect(report.folded == 3)
        #expect(try spool.read().samples.map(\.tsMicros) == [Fixture.t0 + 10, Fixture.t0 + 11])
        #expect(!FileManager.default.fileExists(atPath: spool.foldingPath))
        #expect(try spool.fold { _ in }.folded == 2)
        #expect(try spool.fold { _ in Issue.record("nothing left to fold") }.folded == 0)
    }

    @Test func failedIngestFoldsTheSameSamplesAgain() throws {
        struct IngestFailed: Error {}
        let scratch = TemporaryDirectory("hh-refold")
        defer { scratch.remove() }
        let spool = SampleSpool(dataDir: scratch.path)
        try spool.append(Fixture.sample(Fixture.t0))
        #expect(throws: IngestFailed.self) { try spool.fold { _ in throw IngestFailed() } }
        #expect(FileManager.default.fileExists(atPath: spool.foldingPath))
        try spool.append(Fixture.sample(Fixture.t0 + 1))
        var consumed: [[Int64]] = []
        #expect(try spool.fold { consumed.append($0.map(\.tsMicros)) }.folded == 2)
        #expect(consumed == [[Fixture.t0], [Fixture.t0 + 1]], "the leftover first, then the live spool")
    }

    @Test func concurrentAppendsAreNeverLost() async throws {
        let scratch = TemporaryDirectory("hh-race")
        defer { scratch.remove() }
        let spool = SampleSpool(dataDir: scratch.path)
        let writers = 3, perWriter = 150
        let folded = LockedCounter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                group.addTask {
                    for i in 0..<perWriter { try spool.append(Fixture.sample(Fixture.t0 + Int64(w * 10_000 + i))) }
                }
            }
            group.addTask {
                for _ in 0..<40 {
                    let report = try spool.fold { folded.add($0.map(\.tsMicros)) }
                    #expect(report.badLines == 0 && report.tornTailBytes == 0)
                }
            }
            try await group.waitForAll()
        }
        try spool.fold { folded.add($0.map(\.tsMicros)) }
        let all = folded.values
        #expect(all.count == writers * perWriter)
        #expect(Set(all).count == writers * perWriter, "each sample exactly once")
    }

    @Test func foldBetweenOpenAndLockDoesNotLoseTheAppend() throws {
        let scratch = TemporaryDirectory("hh-window")
        defer { scratch.remove() }
        let plain = SampleSpool(dataDir: scratch.path)
        try plain.append(Fixture.sample(Fixture.t0))
        let folded = LockedCounter()
        let once = LockedCounter()
        var racing = plain
        // The appender has opened the spool but not locked it when a fold renames and removes it.
        racing.betweenOpenAndLock = {
            guard once.values.isEmpty else { return }
            once.add([0])
            _ = try? plain.fold { folded.add($0.map(\.tsMicros)) }
        }
        try racing.append(Fixture.sample(Fixture.t0 + 1))
        #expect(folded.values == [Fixture.t0])
        #expect(try plain.read().samples.map(\.tsMicros) == [Fixture.t0 + 1], "the append went to the fresh spool")
    }

    @Test func oversizedLineIsRefused() throws {
        let scratch = TemporaryDirectory("hh-big")
        defer { scratch.remove() }
        let spool = SampleSpool(dataDir: scratch.path)
        let long = DiskUsage(label: "data", path: String(repeating: "x", count: 5000), totalBytes: 1, availableBytes: 1, usedBytes: 0)
        #expect(throws: HealthError.self) { try spool.append(Fixture.sample(Fixture.t0, disks: [long])) }
    }
}

/// Timestamps collected from concurrent folds.
final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Int64] = []
    func add(_ values: [Int64]) { lock.withLock { stored += values } }
    var values: [Int64] { lock.withLock { stored } }
}
