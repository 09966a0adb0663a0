import Foundation
import Testing
@testable import SQLiteStore
@testable import Backup
@testable import Pipeline
@testable import HomeBaseCLI
@testable import TestSupport

/// B1 of `Fixtures/hostile/`: a pax record whose length field is Int.max, as the second record
/// (after catalog.sqlite) and as the first entry, beside a good backup in the same folder.
@Suite(.serialized) struct HostileBackupTests {
    static let bad = "homebase-backup-20261203T010203Z.tar.gz"
    static let start: Int64 = 1_800_000_000_000_000  // 2027-01-15T08:00:00Z

    static func run(_ arguments: [String]) -> (code: ExitCode, out: String, err: String) {
        HostileFixture.run(BackupCommand(now: { Self.start + 86_400_000_000 }), arguments)
    }

    @Test(arguments: ["second_record", "first_entry"])
    func overflowingPaxRecordIsRefusedAndTheFolderStillWorks(_ variant: String) throws {
        let fixture = try HostileFixture("B1_pax_record_overflow_crash")
        defer { fixture.remove() }
        let backups = fixture.caseDir + "/" + variant
        // A good backup of a one-call lake in the same folder, made a month after the bad one.
        let lake = IngestFixture()
        defer { lake.remove() }
        try lake.write(Lines.session)
        _ = try lake.ingest(clock: Self.start)
        let created = HostileFixture.run(BackupCommand(now: { Self.start }), ["create", "--data", lake.dataDir, "--to", backups])
        #expect(created.code == .success, "\(created)")

        let verify = Self.run(["verify", Self.bad, "--backups", backups])
        #expect(verify.code == .failure)
        #expect((verify.out + verify.err).contains("malformed pax record at byte \(variant == "first_entry" ? 0 : 342016)"), "\(verify)")

        let target = fixture.dir.path + "/restored"
        let restore = Self.run(["restore", Self.bad, "--to", target, "--backups", backups])
        #expect(restore.code == .failure && restore.err.contains("malformed pax record"), "\(restore)")
        #expect(!FileManager.default.fileExists(atPath: target), "a failed restore leaves no half-restored target")

        let list = Self.run(["list", "--backups", backups])
        #expect(list.out.contains(Self.bad) && list.out.contains("homebase-backup-20270115T080000Z.tar.gz"), "\(list)")
        let prune = Self.run(["prune", "--keep-daily", "1", "--dry-run", "--backups", backups])
        #expect(prune.code == .success && prune.out.contains("homebase-backup-20270115T080000Z.tar.gz"), "\(prune)")
        let at = Self.run(["restore", "--at", "2027-01-16", "--to", target, "--backups", backups])
        #expect(at.code == .success, "\(at)")
        #expect(FileManager.default.fileExists(atPath: target + "/catalog.sqlite"))
    }

    @Test func parsePaxRefusesLengthsThatDoNotFit() throws {
        for record in ["9223372036854775807 path=x\n", "3 path=x\n", "0 path=x\n", "-5 path=x\n"] {
            #expect(throws: BackupError.self) { try TarReader.parsePax(Array(record.utf8), name: "a", at: 0) }
        }
        #expect(try TarReader.parsePax(Array("11 path=ab\n".utf8), name: "a", at: 0) == ["path": Array("ab".utf8)])
    }

    /// 2,000 compressed bytes can expand to at most 2,000 × 1032 + 1 MiB = 3,112,576 bytes.
    @Test func expansionCapRefusesWhatDeflateCannotProduce() {
        let cap = ExpansionCap(archiveBytes: 2_000)
        let dir = FileManager.default.temporaryDirectory.path
        #expect(cap.problem(size: 3_112_576, written: 0, targetDir: dir) == nil)
        #expect(cap.problem(size: 3_112_577, written: 0, targetDir: dir)?.contains("more than 2000 compressed bytes can expand to") == true)
        #expect(cap.problem(size: 2, written: 3_112_575, targetDir: dir) != nil)
        #expect(cap.problem(size: 2_000_000_000, written: 0, targetDir: dir) != nil)
        #expect(ExpansionCap(archiveBytes: Int64.max).problem(size: Int64.max / 2, written: 0, targetDir: dir)?.contains("bytes free") == true)
    }
}
