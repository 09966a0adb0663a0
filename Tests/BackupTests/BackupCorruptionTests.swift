import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Backup
@testable import Pipeline
@testable import HomeBaseCLI
@testable import TestSupport

/// Damage is found and named: a flipped bit anywhere in the compressed archive, a flipped byte
/// inside one part (re-gzipped by Python so only that part's hash can tell), truncation, and an
/// unfinished create.
@Suite(.serialized) struct BackupCorruptionTests {
    static let clock: Int64 = 1_800_000_000_000_000

    static func lakeWithBackup() throws -> (BackupFixture, BackupResult) {
        let fixture = BackupFixture()
        try fixture.ingestSamples(clock: clock)
        return (fixture, try fixture.create(clock: clock + 1_000_000))
    }

    @Test func flippedBitsInTheCompressedStream() throws {
        let (fixture, result) = try Self.lakeWithBackup()
        defer { fixture.remove() }
        let original = try #require(FileManager.default.contents(atPath: result.archivePath))
        for fraction in [0.3, 0.5, 0.7] {
            var damaged = original
            let offset = Int(Double(original.count) * fraction)
            damaged[offset] ^= 0x10
            try damaged.write(to: URL(fileURLWithPath: result.archivePath))
            let report = BackupVerifier.verify(archivePath: result.archivePath, nowMicros: Self.clock)
            let text = report.problems.joined(separator: "\n")
            #expect(!report.ok)
            // The archive is named, the entry being read when the damage showed is named, and the
            // whole-file digest no longer matches the .sha256 sidecar.
            #expect(text.contains(result.archivePath + ": entry '") || text.contains(result.archivePath + ": after entry '"), "\(text)")
            #expect(text.contains("differs from its .sha256 sidecar"), "\(text)")
            let exit = BackupCommand(now: { Self.clock }).runVerify(result.archivePath)
            #expect(exit.code == .failure && exit.err.contains("FAILED"))
        }
        try original.write(to: URL(fileURLWithPath: result.archivePath))
        #expect(BackupVerifier.verify(archivePath: result.archivePath, nowMicros: Self.clock).ok)
    }

    /// Python re-packs the tar with one byte of one part flipped and a valid gzip trailer, and we
    /// rewrite the sidecar to match: only the per-entry SHA-256 can catch it, and it names the part.
    @Test func flippedByteInsideOnePart() throws {
        let (fixture, result) = try Self.lakeWithBackup()
        defer { fixture.remove() }
        let victim = try #require(result.manifest.ownFiles.first { $0.path.hasPrefix("tables/requests/") })
        _ = try PythonOracle.run(
            """
            import sys, gzip, tarfile, io
            raw = bytearray(gzip.open(sys.argv[1]).read())
            with tarfile.open(fileobj=io.BytesIO(bytes(raw))) as t:
                m = t.getmember(sys.argv[2])
                raw[m.offset_data + m.size // 2] ^= 0xFF
            open(sys.argv[1], 'wb').write(gzip.compress(bytes(raw)))
            """, [result.archivePath, victim.path])
        let digest = try BackupVerifier.fileDigest(result.archivePath)
        try Data("\(digest)  \(result.manifest.archive)\n".utf8).write(to: URL(fileURLWithPath: result.archivePath + ".sha256"))
        let report = BackupVerifier.verify(archivePath: result.archivePath, nowMicros: Self.clock)
        #expect(report.problems.count == 1)
        #expect(report.problems.first?.contains("entry '\(victim.path)'") == true, "\(report.problems)")
        #expect(report.problems.first?.contains("SHA-256 mismatch") == true)
        // Restore refuses too, and leaves no half-restored directory.
        let target = fixture.dir.path + "/restored"
        #expect(throws: BackupError.self) {
            try BackupRestorer.restore(RestoreOptions(backupDir: fixture.backupDir, archive: result.manifest.archive, target: target))
        }
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test func truncatedArchive() throws {
        let (fixture, result) = try Self.lakeWithBackup()
        defer { fixture.remove() }
        let original = try #require(FileManager.default.contents(atPath: result.archivePath))
        try original.prefix(original.count / 2).write(to: URL(fileURLWithPath: result.archivePath))
        let report = BackupVerifier.verify(archivePath: result.archivePath, nowMicros: Self.clock)
        #expect(report.problems.contains { $0.contains("truncated") }, "\(report.problems)")
        // Only the last 8 bytes (CRC-32 and length) gone: zlib's trailer check still catches it.
        try original.dropLast(8).write(to: URL(fileURLWithPath: result.archivePath))
        #expect(!BackupVerifier.verify(archivePath: result.archivePath, nowMicros: Self.clock).ok)
    }

    /// A create that fails part-way (a live part vanished) leaves no archive, no sidecar and no
    /// temporary file; an archive without its sidecar (a create killed before the rename would
    /// never produce one, but a copy might) is listed as incomplete and fails verify.
    @Test func unfinishedCreateLeavesNothingThatLooksComplete() throws {
        let (fixture, result) = try Self.lakeWithBackup()
        defer { fixture.remove() }
        let part = try #require(result.manifest.files.last)
        try FileManager.default.removeItem(atPath: fixture.dataDir + "/" + part.path)
        #expect(throws: BackupError.self) { try fixture.create(clock: Self.clock + 2_000_000, incremental: false) }
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: fixture.backupDir).sorted()
                == [result.manifest.archive, result.manifest.archive + ".sha256"])
        // What a killed create leaves (its pid is gone) is swept by the next create; a live one's is not.
        let stale = fixture.backupDir + "/.homebase-backup-20270101T000000Z.tar.gz.tmp-2147483646"
        let live = fixture.backupDir + "/.homebase-backup-20270101T000000Z.tar.gz.tmp-\(getpid())"
        for path in [stale, live] { _ = FileManager.default.createFile(atPath: path, contents: Data("partial".utf8)) }
        BackupStore(directory: fixture.backupDir).removeLeftovers()
        #expect(!FileManager.default.fileExists(atPath: stale) && FileManager.default.fileExists(atPath: live))
        try FileManager.default.removeItem(atPath: live)

        try FileManager.default.removeItem(atPath: result.archivePath + ".sha256")
        let store = BackupStore(directory: fixture.backupDir)
        #expect(try store.list().map(\.complete) == [false])
        #expect(try store.usable().isEmpty)
        let report = BackupVerifier.verify(archivePath: result.archivePath, nowMicros: Self.clock)
        #expect(report.problems.contains { $0.contains("no .sha256 sidecar") })
    }
}

extension BackupCorruptionTests {
    /// The real binary killed (SIGKILL) at each stage of `backup create` (fail points, so every
    /// kill lands inside the run at a known place): whatever the stage, every archive under a final
    /// name has its sidecar and verifies, and the next create sweeps the killed runs' hidden leftovers.
    @Test func killDuringCreate() throws {
        let binary = PythonOracle.repositoryRoot.appendingPathComponent(".build/debug/homebase").path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the debug binary first (swift build)")
        let fixture = BackupFixture()
        defer { fixture.remove() }
        try fixture.ingestSamples(clock: Self.clock)
        try FileManager.default.createDirectory(atPath: fixture.backupDir, withIntermediateDirectories: true)
        for point in ["backup-catalog-copied", "backup-entry-written", "backup-archive-synced", "backup-sidecar-written"] {
            let marker = fixture.dir.path + "/reached-" + point
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["backup", "create", "--data", fixture.dataDir, "--to", fixture.backupDir, "--full"]
            process.environment = ProcessInfo.processInfo.environment.merging(
                ["HOMEBASE_FAILPOINT": point, "HOMEBASE_FAILPOINT_FILE": marker]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            while !FileManager.default.fileExists(atPath: marker) && process.isRunning { usleep(10_000) }
            #expect(FileManager.default.fileExists(atPath: marker), "backup create never reached \(point)")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
            // Killed before its rename, no run leaves an archive under a final name.
            let names = try FileManager.default.contentsOfDirectory(atPath: fixture.backupDir).filter { !$0.hasPrefix(".") }
            #expect(!names.contains { $0.hasSuffix(".tar.gz") }, "\(point): \(names)")
            for name in names where name.hasSuffix(".tar.gz") {
                #expect(names.contains(name + ".sha256"), "\(name) has no sidecar after a kill at \(point)")
            }
            usleep(1_100_000)  // the next run gets a new archive name (one-second stamps)
        }
        // A clean run afterwards: one verified archive with its sidecar, and no hidden leftovers.
        let done = try fixture.create(clock: SystemClock.nowMicros() + 10_000_000)
        #expect(BackupVerifier.verify(archivePath: done.archivePath, nowMicros: 0).ok)
        let hidden = try FileManager.default.contentsOfDirectory(atPath: fixture.backupDir).filter { $0.hasPrefix(".") }
        #expect(hidden.isEmpty, "\(hidden)")
    }
}

extension BackupCommand {
    /// Runs `backup verify FILE` with a capturing console.
    func runVerify(_ path: String) -> (code: ExitCode, err: String) {
        let console = Console.capturing()
        let code = (try? run(["verify", path], console: console)) ?? .usage
        return (code, console.capturedErr)
    }
}

extension BackupCorruptionTests {
    /// The nightly's cheap check trusts an earlier archive that already passed verify (it reads
    /// only its manifest, not its parts); the full check re-reads and re-hashes them.
    @Test func trustVerifiedReadsOnlyWhatTheNewArchiveHolds() throws {
        let (fixture, first) = try Self.lakeWithBackup()
        defer { fixture.remove() }
        #expect(BackupVerifier.verify(archivePath: first.archivePath, nowMicros: Self.clock).ok)
        let second = try fixture.create(clock: Self.clock + 2_000_000)
        #expect(second.copiedFiles == 1 && second.referencedFiles > 0)  // only the catalog copy is new
        let cheap = BackupVerifier.verify(archivePath: second.archivePath, nowMicros: Self.clock, trustVerified: true)
        let full = BackupVerifier.verify(archivePath: second.archivePath, nowMicros: Self.clock)
        #expect(cheap.ok && full.ok)
        // The full check extracted the first archive's parts too; the cheap one only the catalog.
        #expect(full.bytes > cheap.bytes + Int64(second.referencedFiles) * 512, "\(full.bytes) vs \(cheap.bytes)")
        // Without the first archive's .verified marker, the cheap check reads it like the full one.
        try FileManager.default.removeItem(atPath: first.archivePath + ".verified")
        #expect(BackupVerifier.verify(archivePath: second.archivePath, nowMicros: Self.clock, trustVerified: true).bytes == full.bytes)
    }
}
