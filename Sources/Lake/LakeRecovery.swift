import Foundation
import HomeBaseCore
import SQLiteStore

/// What a writer does first, under the run lock, so that `tables/` holds exactly the parts of
/// the latest committed snapshot and every Delta log matches the catalog:
///
/// 1. staged parts (`<data>/staging/<snapshot>/tables/…`) the catalog lists as live are rolled
///    forward into `tables/` (the run died between its catalog COMMIT and the move); every
///    other staged file is deleted (the run died before committing);
/// 2. parts the catalog has retired leave `tables/` for `history/`;
/// 3. files under `tables/` that no snapshot lists are deleted (never anything in `_delta_log/`);
/// 4. the Delta logs are caught up (`LakeDelta.catchUp`).
package enum LakeRecovery {
    package struct Report: Codable, Sendable, Equatable {
        package var rolledForward = 0
        package var stagedDeleted = 0
        package var retiredMoved = 0
        package var orphansDeleted = 0
        package var deltaVersions = 0
        package init() {}
    }

    @discardableResult
    package static func recover(dataDir: String, catalog: Catalog) throws -> Report {
        var report = Report()
        try Trace.span("recover.staging") { try rollStaging(dataDir: dataDir, catalog: catalog, report: &report) }
        report.retiredMoved = try Trace.span("recover.retired") { try moveRetiredParts(dataDir: dataDir, catalog: catalog) }
        report.orphansDeleted = try Trace.span("recover.orphans") { try sweepOrphans(dataDir: dataDir, catalog: catalog) }
        report.deltaVersions = try Trace.span("recover.delta") {
            try LakeDelta.catchUp(dataDir: dataDir, catalog: catalog).values.reduce(0) { $0 + $1.count }
        }
        return report
    }

    static func rollStaging(dataDir: String, catalog: Catalog, report: inout Report) throws {
        let root = dataDir + "/" + LakeWriter.stagingDirectory
        guard let snapshots = try? FileManager.default.contentsOfDirectory(atPath: root) else { return }
        let statement = try catalog.database.prepare("SELECT path FROM parts WHERE removed_snapshot IS NULL")
        var live = Set<String>()
        while try statement.step() { live.insert(statement.text(0)) }
        for snapshot in snapshots.sorted() {
            let base = root + "/" + snapshot
            guard let walker = FileManager.default.enumerator(atPath: base) else { continue }
            while let relative = walker.nextObject() as? String {
                let staged = base + "/" + relative
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: staged, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                let target = dataDir + "/" + relative
                if live.contains(relative) && !FileManager.default.fileExists(atPath: target) {
                    try LakeWriter.moveIntoPlace(from: staged, to: target)
                    report.rolledForward += 1
                } else {
                    unlink(staged)
                    report.stagedDeleted += 1
                }
            }
            try FileManager.default.removeItem(atPath: base)
        }
        if report.rolledForward > 0 { AtomicFile.syncAll() }
    }

    /// Moves parts retired by a committed snapshot from `tables/` to `history/` (the catalog path
    /// follows), so engines reading `tables/` as plain Parquet see exactly the live rows while
    /// `--as-of` and restores still find them. Returns how many moved.
    @discardableResult
    package static func moveRetiredParts(dataDir: String, catalog: Catalog) throws -> Int {
        let statement = try catalog.database.prepare(
            "SELECT part_id, path FROM parts WHERE removed_snapshot IS NOT NULL AND path LIKE 'tables/%'")
        var moves: [(Int64, String)] = []
        while try statement.step() { moves.append((statement.int64(0), statement.text(1))) }
        guard !moves.isEmpty else { return 0 }
        let update = try catalog.database.prepare("UPDATE parts SET path = ? WHERE part_id = ?")
        try catalog.database.transaction {
            for (id, path) in moves {
                let target = "history/" + path
                let from = dataDir + "/" + path, to = dataDir + "/" + target
                if FileManager.default.fileExists(atPath: from) {
                    try FileManager.default.createDirectory(atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    guard rename(from, to) == 0 else {
                        throw AtomicFile.Failure(path: from, message: "cannot move a retired part to history/: \(String(cString: strerror(errno)))")
                    }
                }
                try update.run([.text(target), .int(id)])
            }
        }
        return moves.count
    }

    /// Deletes Parquet and temporary files under `tables/` that no snapshot lists (left by older
    /// builds, which wrote parts there before committing). `_delta_log/` folders are not entered.
    @discardableResult
    static func sweepOrphans(dataDir: String, catalog: Catalog) throws -> Int {
        let known = try catalog.allPartPaths()
        // Tables, then their partition folders (a year is 365 per table), then the files of all
        // partitions listed on every CPU: one folder listing after another was a tenth of a
        // nightly ingest with one new day. Links are not followed; _delta_log holds no parts.
        var folders = ["tables"]
        for table in folderNames("tables", dataDir: dataDir) {
            let path = "tables/" + table
            folders.append(path)
            folders += folderNames(path, dataDir: dataDir).map { path + "/" + $0 }
        }
        let deleted = ParallelSlots<Int>.map(folders.count, workers: Processors.available) { [folders] f in
            guard let entries = try? DirectoryListing.kinds(dataDir + "/" + folders[f]) else { return 0 }
            var deleted = 0
            for (name, kind) in entries where kind == .file && (name.hasSuffix(".parquet") || name.hasSuffix(".tmp")) {
                let path = folders[f] + "/" + name
                if !known.contains(path) && unlink(dataDir + "/" + path) == 0 { deleted += 1 }
            }
            return deleted
        }
        return deleted.reduce(0, +)
    }

    /// The sub-folders of `relative` but `_delta_log` (none when it cannot be listed).
    private static func folderNames(_ relative: String, dataDir: String) -> [String] {
        ((try? DirectoryListing.kinds(dataDir + "/" + relative)) ?? []).filter { $0.kind == .directory && $0.name != "_delta_log" }.map(\.name)
    }
}
