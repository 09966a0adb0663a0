import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Lake
@testable import Backup
@testable import Ingest
@testable import TestSupport

/// create → restore gives byte-identical parts and a catalog whose live parts and rows are the
/// same, judged by hashlib, DuckDB, Python's sqlite3, GNU tar and sha256sum.
@Suite(.serialized) struct BackupRoundTripTests {
    static let clock: Int64 = 1_800_000_000_000_000

    @Test func samplesRoundTrip() throws {
        let fixture = BackupFixture()
        defer { fixture.remove() }
        try fixture.ingestSamples(clock: Self.clock)
        let result = try fixture.create(clock: Self.clock + 60_000_000)
        #expect(result.referencedFiles == 0)
        #expect(
            result.manifest.files.count == 1
                + (try Catalog(dataDir: fixture.dataDir, readOnly: true)
                    .database.scalarInt("SELECT count(*) FROM parts WHERE removed_snapshot IS NULL") ?? -1))

        let restored = fixture.dir.path + "/restored"
        let summary = try BackupRestorer.restore(RestoreOptions(backupDir: fixture.backupDir, archive: result.manifest.archive, target: restored))
        #expect(summary.snapshot == result.manifest.snapshot && !summary.trimmed)
        let originalParts = try BackupFixture.partDigests(fixture.dataDir)
        #expect(originalParts.count > 50)
        #expect(try BackupFixture.partDigests(restored) == originalParts)
        #expect(try BackupFixture.duckRows(dataDir: restored) == BackupFixture.duckRows(dataDir: fixture.dataDir))
        #expect(try BackupFixture.catalogDump(dataDir: restored) == BackupFixture.catalogDump(dataDir: fixture.dataDir))
        // The restore rebuilt the Delta logs: deltalake reads every table as the catalog has it.
        let deltaRows = try PythonOracle.run(
            """
            import sys
            from deltalake import DeltaTable
            print(','.join(str(DeltaTable(sys.argv[1] + '/tables/' + t).to_pyarrow_table().num_rows) for t in sys.argv[2:]))
            """, [restored] + LakeTable.all.map(\.name))
        let catalogRows = try LakeTable.all.map { table in
            try Catalog(dataDir: restored, readOnly: true).liveParts(table: table.name).reduce(Int64(0)) { $0 + $1.rowCount }
        }
        #expect(deltaRows.trimmingCharacters(in: .whitespacesAndNewlines) == catalogRows.map(String.init).joined(separator: ","))

        // GNU tar extracts the same files; sha256sum agrees with the manifest and the sidecar.
        let extracted = fixture.dir.path + "/gnu"
        try FileManager.default.createDirectory(atPath: extracted, withIntermediateDirectories: true)
        // --touch: the test clock (2027) is in the future, which GNU tar would warn about.
        let tar = PythonOracle.launch("/bin/tar", ["--touch", "-xzf", result.archivePath, "-C", extracted], stdin: nil)
        #expect(tar.0 == 0 && tar.2.isEmpty, "\(tar.2)")
        #expect(try BackupFixture.partDigests(extracted) == originalParts)
        let sums = PythonOracle.launch(
            "/bin/sh", ["-c", "cd '\(extracted)' && find . -type f ! -name MANIFEST.json | sort | xargs sha256sum"], stdin: nil
        ).1
        let fromTool = Set(
            sums.split(separator: "\n").map { line in
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                return "\(fields[1].dropFirst(2)) \(fields[0])"
            })
        #expect(fromTool == Set(result.manifest.files.map { "\($0.path) \($0.sha256)" }))
        let check = PythonOracle.launch("/bin/sh", ["-c", "cd '\(fixture.backupDir)' && sha256sum -c *.sha256"], stdin: nil)
        #expect(check.0 == 0 && check.1.hasSuffix(": OK\n"), "\(check)")
        #expect(PythonOracle.launch("/bin/gzip", ["-t", result.archivePath], stdin: nil).0 == 0)

        // verify passes and records it.
        let report = BackupVerifier.verify(archivePath: result.archivePath, nowMicros: Self.clock + 120_000_000)
        #expect(report.ok, "\(report.problems)")
        #expect(try BackupStore(directory: fixture.backupDir).list().first?.verifiedMicros == Self.clock + 120_000_000)
    }

    /// Lines.session moved `days` later (20 → 2026-03-01, 50 → 2026-03-31) under another session id.
    static func shifted(_ days: Int64, session: String) -> String {
        let ms = 1_770_659_200_000 + days * 86_400_000
        return Lines.session.replacingOccurrences(of: "sess-1", with: session)
            .replacingOccurrences(of: "17706592", with: String(String(ms).prefix(8)))
            .replacingOccurrences(of: "2026-02-09", with: UTCDate.dateString(days: 20_493 + days))
    }

    /// Three ingests, backups after the first and the third. The second backup references the
    /// first's parts that are still live; restore follows the chain; `--at` a time between the
    /// two gives snapshot 2 exactly as DuckDB reads it from the original lake, including parts
    /// the third ingest retired to history/ by compaction (taken from the first backup).
    @Test func incrementalChainAndPointInTime() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        let backups = fixture.dir.path + "/backups"
        let day: Int64 = 86_400_000_000
        let c1 = Self.clock, c2 = Self.clock + day, c3 = Self.clock + 2 * day
        try fixture.write(Lines.session + Lines.tornStart)
        try fixture.write(agent: "keep", file: "sess-7.jsonl", Self.shifted(50, session: "sess-7"))
        _ = try fixture.ingest(clock: c1)
        let first = try BackupCreator.create(BackupOptions(dataDir: fixture.dataDir, backupDir: backups, now: { c1 + 10_000_000 }))
        try fixture.write(agent: "dev", file: "sess-9.jsonl", Self.shifted(20, session: "sess-9"))
        _ = try fixture.ingest(clock: c2)
        // Another agent's calls on sess-1's day: the third ingest compacts that day's two parts into
        // one and retires the first.
        try fixture.write(agent: "late", file: "sess-3.jsonl", Self.shifted(0, session: "sess-3"))
        _ = try fixture.ingest(clock: c3, compactAbove: 1)
        let catalog = try Catalog(dataDir: fixture.dataDir, readOnly: true)
        #expect(try catalog.latestSnapshot() == 3)
        let second = try BackupCreator.create(BackupOptions(dataDir: fixture.dataDir, backupDir: backups, now: { c3 + 10_000_000 }))

        // Parts of snapshot 1 still live in snapshot 3 are referenced, not copied.
        let firstParts = Set(first.manifest.files.map(\.path)).subtracting([Catalog.fileName])
        let stillLive = Set(try DataDirCheck.livePartRows(catalog.database).map(\.path)).intersection(firstParts)
        #expect(!stillLive.isEmpty)
        #expect(Set(second.manifest.files.filter { $0.archive == first.manifest.archive }.map(\.path)) == stillLive)
        #expect(second.referencedFiles == stillLive.count)
        #expect(second.manifest.references == [first.manifest.archive])
        // GNU tar sees only the stored files in the second archive.
        let listing = PythonOracle.launch("/bin/tar", ["-tzf", second.archivePath], stdin: nil).1
        #expect(Set(listing.split(separator: "\n").map(String.init)) == Set([BackupManifest.entryName] + second.manifest.ownFiles.map(\.path)))

        let latest = fixture.dir.path + "/r-latest"
        let full = try BackupRestorer.restore(RestoreOptions(backupDir: backups, archive: second.archivePath, target: latest))
        #expect(full.archivesRead == [first.manifest.archive, second.manifest.archive].sorted())
        #expect(try BackupFixture.duckRows(dataDir: latest) == BackupFixture.duckRows(dataDir: fixture.dataDir))
        #expect(try BackupFixture.catalogDump(dataDir: latest) == BackupFixture.catalogDump(dataDir: fixture.dataDir))

        let middle = fixture.dir.path + "/r-middle"
        let atTwo = try BackupRestorer.restore(RestoreOptions(backupDir: backups, atMicros: c2 + 3_600_000_000, target: middle))
        #expect(atTwo.snapshot == 2 && atTwo.trimmed && atTwo.catalogFrom == second.manifest.archive)
        let middleRows = try BackupFixture.duckRows(dataDir: middle)
        #expect(middleRows == (try BackupFixture.duckRows(dataDir: fixture.dataDir, snapshot: 2)))
        #expect(middleRows != (try BackupFixture.duckRows(dataDir: fixture.dataDir)))
        let trimmed = try Catalog(dataDir: middle, readOnly: true)
        #expect(try trimmed.latestSnapshot() == 2)
        let retired = try catalog.liveParts(table: "requests", asOf: 2).map(\.path).filter { $0.hasPrefix("history/") }
        #expect(!retired.isEmpty)
        #expect(
            try trimmed.liveParts(table: "requests").map(\.path)
                == catalog.liveParts(table: "requests", asOf: 2).map { $0.path.replacingOccurrences(of: "history/", with: "") })

        // The next ingest into the trimmed lake reads again what snapshot 3 had read (sess-3,
        // whose catalog record the trim marked) and gives the original lake's calls.
        let reread = try Ingestor(
            options: IngestOptions(
                dataDir: middle, openclawDirs: [fixture.stateDir], gatewayDirs: [fixture.gatewayDir], parallelism: 2, now: { c3 })
        ).run()
        #expect(reread.calls == 5, "\(reread)")
        #expect(
            try BackupFixture.duckRows(dataDir: middle).filter { $0.hasPrefix("requests") }
                == BackupFixture.duckRows(dataDir: fixture.dataDir).filter { $0.hasPrefix("requests") })

        // --at the second backup's own time restores its snapshot without trimming.
        let atThree = try BackupRestorer.restore(RestoreOptions(backupDir: backups, atMicros: c3 + day, target: fixture.dir.path + "/r3"))
        #expect(atThree.snapshot == 3 && !atThree.trimmed)
        // Before the first snapshot there is nothing; the target is not left behind.
        let early = fixture.dir.path + "/r-early"
        #expect(throws: BackupError.self) { try BackupRestorer.restore(RestoreOptions(backupDir: backups, atMicros: c1 - 1, target: early)) }
        #expect(!FileManager.default.fileExists(atPath: early))

        // verify follows the chain; without the first archive the second fails, naming it.
        #expect(BackupVerifier.verify(archivePath: second.archivePath, nowMicros: c3).ok)
        try FileManager.default.moveItem(atPath: first.archivePath, toPath: fixture.dir.path + "/moved.tar.gz")
        let broken = BackupVerifier.verify(archivePath: second.archivePath, nowMicros: c3)
        #expect(!broken.ok && broken.problems.joined().contains(first.manifest.archive), "\(broken.problems)")
    }

    /// An ingest holding a write transaction (a snapshot and a part not yet committed) does not
    /// block create, and the backup holds the last committed state only.
    @Test func consistentCopyWhileAWriterIsMidTransaction() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        try fixture.write(Lines.session)
        _ = try fixture.ingest()
        let writer = try SQLiteDatabase(path: fixture.dataDir + "/catalog.sqlite")
        try writer.execute(
            """
            BEGIN IMMEDIATE;
            INSERT INTO snapshots(run_id, committed_us, note) VALUES(NULL, 1, 'in flight');
            INSERT INTO parts(table_name, date, path, row_count, byte_size, added_snapshot)
              VALUES('requests', '2026-02-11', 'tables/requests/date=2026-02-11/part-9-0.parquet', 1, 10, 2);
            """)
        let result = try BackupCreator.create(BackupOptions(dataDir: fixture.dataDir, backupDir: fixture.dir.path + "/b", now: { Self.clock }))
        try writer.execute("ROLLBACK")
        #expect(result.manifest.snapshot == 1)
        #expect(!result.manifest.files.contains { $0.path.contains("part-9-0") })
        let restored = fixture.dir.path + "/r"
        _ = try BackupRestorer.restore(RestoreOptions(backupDir: fixture.dir.path + "/b", archive: result.manifest.archive, target: restored))
        #expect(try BackupFixture.catalogDump(dataDir: restored) == BackupFixture.catalogDump(dataDir: fixture.dataDir))
    }
}
