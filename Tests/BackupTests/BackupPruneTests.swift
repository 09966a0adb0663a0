import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Lake
@testable import Backup

/// Retention on a constructed calendar (2026: Jan 1 is a Thursday, so Jan 31 is a Saturday,
/// Feb 1 a Sunday, Feb 2 and Feb 9 Mondays, and Mar 1 a Sunday since February has 28 days).
@Suite struct BackupPruneTests {
    static func micros(_ date: String, hour: Int64) -> Int64 {
        (UTCDate.parseDate(date)! * 24 + hour) * 3_600_000_000
    }

    static func info(_ name: String, _ date: String, _ hour: Int64, refs: [String] = [], verified: Bool = false, complete: Bool = true) -> BackupInfo
    {
        let archive = "homebase-backup-\(name).tar.gz"
        var files = [BackupManifest.File(path: Catalog.fileName, size: 1, sha256: String(repeating: "0", count: 64), archive: archive)]
        for (index, ref) in refs.enumerated() {
            files.append(
                .init(path: "tables/p\(index)", size: 1, sha256: String(repeating: "0", count: 64), archive: "homebase-backup-\(ref).tar.gz"))
        }
        let manifest = BackupManifest(
            archive: archive, createdMicros: micros(date, hour: hour), snapshot: 1, snapshotCommittedMicros: 0, files: files)
        return BackupInfo(
            name: archive, path: archive, size: 1, complete: complete, manifest: manifest,
            verifiedMicros: verified ? 1 : nil)
    }

    static let calendar = [
        info("M", "2026-01-15", 9),
        info("A", "2026-01-31", 23),
        info("B", "2026-02-01", 10, verified: true),
        info("C", "2026-02-01", 20, refs: ["B"]),
        info("D", "2026-02-02", 9, verified: true),
        info("K", "2026-02-03", 9, complete: false),
        info("E", "2026-02-05", 9),
        info("L", "2026-02-09", 5),
        info("F", "2026-02-09", 9, refs: ["A"]),
        info("G", "2026-02-09", 21, refs: ["C"]),
        info("H", "2026-02-10", 9),
        info("I", "2026-03-01", 9),
        info("J", "2026-03-05", 9)
    ]
    static let now = micros("2026-03-02", hour: 0)

    static func short(_ names: some Sequence<String>) -> Set<String> {
        Set(names.map { String($0.dropFirst("homebase-backup-".count).prefix(1)) })
    }

    @Test func keepsPolicyVerifiedAndReferenced() {
        let plan = BackupPruner.plan(Self.calendar, policy: PrunePolicy(daily: 3, weekly: 3, monthly: 3), nowMicros: Self.now)
        func why(_ name: String) -> [String] { plan.keep["homebase-backup-\(name).tar.gz"] ?? [] }
        // daily: the newest of Mar 1, Feb 10, Feb 9 → I, H, G (F and L share G's day).
        // weekly (Monday start): weeks of Feb 23, Feb 9, Feb 2 → I, H, E.
        // monthly: March, February, January → I, H, A.
        #expect(why("G") == ["daily"])
        #expect(why("E") == ["weekly"])
        #expect(why("A").first == "monthly")
        #expect(why("I") == ["daily", "weekly", "monthly"])
        // D is the newest verified; G references C, which references B; F's reference to A does not
        // keep F. J is after `now`, K is incomplete: neither is judged.
        #expect(why("D") == ["newest verified"])
        #expect(why("C") == ["referenced by homebase-backup-G.tar.gz"])
        #expect(why("B") == ["referenced by homebase-backup-C.tar.gz"])
        #expect(why("J") == ["newer than now"] && why("K") == ["incomplete"])
        #expect(Self.short(plan.delete) == ["F", "L", "M"])
        #expect(Self.short(plan.keep.keys) == ["A", "B", "C", "D", "E", "G", "H", "I", "J", "K"])
    }

    /// Weeks start on Monday: Sunday Feb 1 (C) belongs with Saturday Jan 31 (A), and is the newer.
    @Test func weeksStartOnMonday() {
        let plan = BackupPruner.plan(Self.calendar, policy: PrunePolicy(weekly: 4), nowMicros: Self.now)
        let weekly = plan.keep.filter { $0.value.contains("weekly") }.keys
        #expect(Self.short(weekly) == ["I", "H", "E", "C"])
    }

    @Test func monthlyOnlyStillKeepsNewestVerified() {
        let plan = BackupPruner.plan(Self.calendar, policy: PrunePolicy(monthly: 1), nowMicros: Self.now)
        // March → I; D (newest verified); J, K unjudged. Everything else goes.
        #expect(Self.short(plan.keep.keys) == ["I", "D", "J", "K"])
        #expect(Self.short(plan.delete) == ["M", "A", "B", "C", "E", "L", "F", "G", "H"])
    }
}
