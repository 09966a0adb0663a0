import Foundation
import Testing
@testable import SQLiteStore
@testable import Backup
@testable import Pipeline
@testable import HomeBaseCLI
@testable import TestSupport

/// The `homebase backup` command line end to end with an injected clock: create, list, verify,
/// incremental create, prune (files really removed), restore --replace, usage errors.
@Suite(.serialized) struct BackupCommandTests {
    static let day: Int64 = 86_400_000_000
    static let start: Int64 = 1_800_000_000_000_000

    static func run(_ arguments: [String], at micros: Int64) -> (ExitCode, String, String) {
        let console = Console.capturing()
        let code: ExitCode
        do { code = try BackupCommand(now: { micros }).run(arguments, console: console) } catch {
            return (error is UsageError ? .usage : .failure, console.capturedOut, "\(error)")
        }
        return (code, console.capturedOut, console.capturedErr)
    }

    /// With only `--config`, every subcommand takes the data, the backup directory and the
    /// prune policy from the config, as nightly does (it used to write ./homebase-backups).
    @Test func configGivesTheDefaults() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        try fixture.write(Lines.session)
        _ = try fixture.ingest(clock: Self.start)
        let config = fixture.dir.file("homebase.json")
        try #"{"data_dir": "data", "backup": {"dir": "vault", "keep_daily": 1, "keep_weekly": 0, "keep_monthly": 0}}"#
            .write(toFile: config, atomically: true, encoding: .utf8)
        let first = Self.run(["create", "--config", config], at: Self.start + Self.day)
        #expect(first.0 == .success && first.1.contains("snapshot 1"), "\(first)")
        let vault = fixture.dir.file("vault")  // relative to the config file
        let names = try BackupStore(directory: vault).list().map(\.name)
        #expect(names.count == 1)
        _ = Self.run(["create", "--full", "--config", config], at: Self.start + 2 * Self.day)
        #expect(Self.run(["list", "--config", config], at: 0).1.split(separator: "\n").count == 2)
        #expect(Self.run(["verify", "--all", "--config", config], at: Self.start + 2 * Self.day).0 == .success)
        // keep_daily 1: the newer full backup stays; the first (verified, but older) goes.
        let pruned = Self.run(["prune", "--dry-run", "--config", config], at: Self.start + 3 * Self.day)
        #expect(pruned.0 == .success && pruned.1.contains("would delete \(names[0])"), "\(pruned)")
        // A config that does not load is a usage error naming it.
        let broken = Self.run(["list", "--config", fixture.dir.file("missing.json")], at: 0)
        #expect(broken.0 == .usage && broken.2.contains("missing.json"), "\(broken)")
    }

    @Test func endToEnd() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        try fixture.write(Lines.session + Lines.tornStart + "\n")
        _ = try fixture.ingest(clock: Self.start)
        let backups = fixture.dir.path + "/backups"
        let data = fixture.dataDir

        let first = Self.run(["create", "--data", data, "--to", backups], at: Self.start + Self.day)
        #expect(first.0 == .success && first.1.contains("snapshot 1"), "\(first)")
        let listed = Self.run(["list", "--backups", backups], at: 0).1
        #expect(listed.contains("homebase-backup-20270116T") && listed.contains("not verified"), "\(listed)")
        #expect(Self.run(["verify", "--backups", backups], at: Self.start + Self.day).0 == .success)
        #expect(Self.run(["list", "--backups", backups], at: 0).1.contains("verified 2027-01-16T"))

        // Nothing changed: the second backup stores only the catalog and references every part.
        let second = Self.run(["create", "--data", data, "--to", backups], at: Self.start + 2 * Self.day)
        #expect(second.1.contains("(1 stored, "), "\(second)")
        let kept = Self.run(["prune", "--keep-daily", "1", "--backups", backups], at: Self.start + 3 * Self.day)
        // The first is the newest verified and referenced by the second: nothing to delete.
        #expect(!kept.1.contains("delete") && kept.1.contains("newest verified"), "\(kept)")

        let third = Self.run(["create", "--full", "--data", data, "--to", backups], at: Self.start + 3 * Self.day)
        #expect(third.0 == .success && third.1.contains("0 referenced"), "\(third)")
        let names = try BackupStore(directory: backups).list().map(\.name)
        #expect(names.count == 3)
        #expect(Self.run(["verify", names[2], "--backups", backups], at: Self.start + 3 * Self.day).0 == .success)
        let pruned = Self.run(["prune", "--keep-daily", "1", "--backups", backups], at: Self.start + 4 * Self.day)
        #expect(pruned.1.contains("delete \(names[0])") && pruned.1.contains("delete \(names[1])"), "\(pruned)")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: backups).sorted()
                == [names[2], names[2] + ".sha256", names[2] + ".verified"])

        // Restore and swap in; the old data dir stays beside it.
        let before = try BackupFixture.duckRows(dataDir: data)
        let restoredDir = fixture.dir.path + "/restored"
        let restore = Self.run(
            ["restore", names[2], "--backups", backups, "--to", restoredDir, "--replace", "--data", data],
            at: Self.start + 5 * Self.day)
        #expect(restore.0 == .success, "\(restore)")
        // 1_800_000_000 s = 20_833 days (1_799_971_200 s, 2027-01-15) + 28_800 s (08:00); + 5 days.
        let old = data + ".old-20270120T080000Z"
        #expect(restore.1.contains(old), "\(restore.1)")
        #expect(FileManager.default.fileExists(atPath: old + "/catalog.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: restoredDir))
        #expect(try BackupFixture.duckRows(dataDir: data) == before)
    }

    @Test func usageErrors() {
        #expect(Self.run([], at: 0).0 == .usage)
        #expect(Self.run(["explode"], at: 0).0 == .usage)
        #expect(Self.run(["prune"], at: 0).0 == .usage)
        #expect(Self.run(["restore", "x.tar.gz"], at: 0).0 == .usage)
        #expect(Self.run(["restore", "x.tar.gz", "--at", "2026-01-01", "--to", "/tmp/x"], at: 0).0 == .usage)
        #expect(Self.run(["restore", "--at", "yesterday", "--to", "/tmp/x"], at: 0).0 == .usage)
        #expect(Self.run(["create", "--level", "12"], at: 0).0 == .usage)
        // 2026-02-09 as a --at date means the last microsecond of that UTC day:
        // day 20_493 since 1970 → (20_493 + 1) × 86_400 000 000 − 1.
        let endOfDay: Int64 = 20_494 * 86_400_000_000 - 1
        let noon: Int64 = 20_493 * 86_400_000_000 + 12 * 3_600_000_000
        #expect(BackupCommand.parseTime("2026-02-09") == endOfDay)
        #expect(BackupCommand.parseTime("2026-02-09T12:00:00Z") == noon)
    }
}
