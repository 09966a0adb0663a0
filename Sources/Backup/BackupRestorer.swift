import Foundation
import HomeBaseCore
import SQLiteStore
import Lake
#if canImport(Glibc)
    import Glibc
#endif

/// What `backup restore` restores: one archive, or the newest state at or before a time.
package struct RestoreOptions: Sendable {
    package var backupDir: String
    /// An archive file name (in `backupDir`) or path; nil with `atMicros`.
    package var archive: String?
    package var atMicros: Int64?
    /// A new (absent or empty) directory to restore into.
    package var target: String

    package init(backupDir: String, archive: String? = nil, atMicros: Int64? = nil, target: String) {
        self.backupDir = backupDir
        self.archive = archive
        self.atMicros = atMicros
        self.target = target
    }
}

package struct RestoreResult: Sendable {
    package var snapshot: Int64?
    /// The archive whose catalog was restored.
    package var catalogFrom: String
    /// Whether the catalog was cut back to `snapshot` (an `--at` between two backups).
    package var trimmed: Bool
    package var files: Int
    package var bytes: Int64
    package var archivesRead: [String]
}

/// Restores into a fresh directory, following references to earlier archives, verifying every
/// hash on the way and the result at the end; `replace` then swaps it with the live data dir.
package enum BackupRestorer {
    package static func restore(_ options: RestoreOptions) throws -> RestoreResult {
        let manager = FileManager.default
        if manager.fileExists(atPath: options.target) {
            guard (try? manager.contentsOfDirectory(atPath: options.target))?.isEmpty == true else {
                throw BackupError(options.target, "restore target exists and is not empty; pass a new directory")
            }
        }
        try manager.createDirectory(atPath: options.target, withIntermediateDirectories: true)
        do {
            return try restoreInto(options)
        } catch {
            try? manager.removeItem(atPath: options.target)
            throw error
        }
    }

    private static func restoreInto(_ options: RestoreOptions) throws -> RestoreResult {
        var backupDir = options.backupDir
        let plan: (catalogFrom: BackupManifest, trimTo: Int64?, files: [BackupManifest.File])
        if let archive = options.archive {
            let path = archive.contains("/") ? archive : backupDir + "/" + archive
            backupDir = URL(fileURLWithPath: path).deletingLastPathComponent().path
            let manifest = try BackupStore.readManifest(archivePath: path)
            plan = (manifest, nil, manifest.files)
        } else if let at = options.atMicros {
            plan = try planAt(at, store: BackupStore(directory: backupDir), scratch: options.target + "/.probe")
        } else {
            throw BackupError(options.target, "restore needs an archive or a time")
        }
        // Read each archive holding something we need once, extracting only what the plan wants.
        let store = BackupStore(directory: backupDir)
        var byArchive: [String: [BackupManifest.File]] = [:]
        for file in plan.files { byArchive[file.archive, default: []].append(file) }
        var bytes: Int64 = 0
        for (archive, wanted) in byArchive.sorted(by: { $0.key < $1.key }) {
            let path = store.path(archive)
            guard FileManager.default.fileExists(atPath: path) else {
                throw BackupError(path, "is missing but \(plan.catalogFrom.archive) needs it for \(wanted.count) file(s); restore it to \(backupDir)")
            }
            let result = try ArchiveScan.run(archivePath: path, extract: Set(wanted.map(\.path)), into: options.target)
            let held = Dictionary(result.manifest.files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
            for file in wanted {
                guard let copy = held[file.path], copy.archive == archive, copy.sha256 == file.sha256 else {
                    throw BackupError(path, "does not hold '\(file.path)' with SHA-256 \(file.sha256) as \(plan.catalogFrom.archive) expects")
                }
                bytes += file.size
            }
        }
        if let snapshot = plan.trimTo { try trimCatalog(dataDir: options.target, to: snapshot) }
        sync()  // one flush for every restored file (an fsync per file costs more than the copy)
        let problems = DataDirCheck.problems(dataDir: options.target)
        guard problems.isEmpty else {
            throw BackupError(options.target, "restored data fails its check: " + problems.prefix(5).joined(separator: "; "))
        }
        // The Delta logs are not backed up: they are rebuilt from the restored catalog and parts.
        try LakeDelta.catchUp(dataDir: options.target, catalog: Catalog(dataDir: options.target))
        return RestoreResult(
            snapshot: plan.trimTo ?? plan.catalogFrom.snapshot, catalogFrom: plan.catalogFrom.archive,
            trimmed: plan.trimTo != nil, files: plan.files.count, bytes: bytes, archivesRead: byArchive.keys.sorted())
    }

    /// The newest snapshot committed at or before `at` (from the newest backup's catalog), the
    /// backup closest after it for the catalog, and where each part live then is stored.
    static func planAt(_ at: Int64, store: BackupStore, scratch: String) throws
        -> (catalogFrom: BackupManifest, trimTo: Int64?, files: [BackupManifest.File])
    {
        let backups = try store.usable().compactMap(\.manifest)
        guard let newest = backups.last else { throw BackupError(store.directory, "holds no complete backup") }
        let snapshot = try withCatalog(of: newest, store: store, scratch: scratch) { database in
            try database.scalarInt("SELECT max(snapshot_id) FROM snapshots WHERE committed_us <= ?", [.int(at)])
        }
        guard let snapshot else {
            throw BackupError(store.directory, "no snapshot was committed at or before \(UTCDate.isoString(micros: at))")
        }
        let candidates = backups.filter { ($0.snapshot ?? -1) >= snapshot }
        guard let chosen = candidates.min(by: { ($0.snapshot ?? 0, -$0.createdMicros) < ($1.snapshot ?? 0, -$1.createdMicros) }) else {
            throw BackupError(store.directory, "no backup holds snapshot \(snapshot) or later")
        }
        let parts = try withCatalog(of: chosen, store: store, scratch: scratch) { database in
            try DataDirCheck.livePartRows(database, snapshot: snapshot)
        }
        var stored: [String: BackupManifest.File] = [:]
        for manifest in backups { for file in manifest.files where file.path != Catalog.fileName { stored[file.path] = file } }
        var files = chosen.files.filter { $0.path == Catalog.fileName }
        for part in parts {
            // Retired after `snapshot`: the newer catalog names it under history/; it was backed up as live.
            let path = part.path.hasPrefix(historyPrefix) ? String(part.path.dropFirst(historyPrefix.count)) : part.path
            guard let file = stored[path], file.size == part.size else {
                throw BackupError(
                    store.directory, "part \(part.path), live at snapshot \(snapshot), is in no backup here (made and retired between backups)")
            }
            files.append(file)
        }
        return (chosen, chosen.snapshot == snapshot ? nil : snapshot, files)
    }

    static let historyPrefix = "history/"

    /// Extracts `manifest`'s catalog into `scratch`, opens it read-only for `body`, then removes it.
    private static func withCatalog<T>(
        of manifest: BackupManifest, store: BackupStore, scratch: String,
        _ body: (SQLiteDatabase) throws -> T
    ) throws -> T {
        try? FileManager.default.removeItem(atPath: scratch)
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        guard let entry = manifest.files.first(where: { $0.path == Catalog.fileName }) else {
            throw BackupError(manifest.archive, "manifest lists no catalog.sqlite")
        }
        _ = try ArchiveScan.run(archivePath: store.path(entry.archive), extract: [Catalog.fileName], into: scratch)
        let database = try SQLiteDatabase(path: scratch + "/" + Catalog.fileName, readOnly: true)
        return try body(database)
    }

    /// Cuts a restored catalog back to `snapshot`: later snapshots and parts go, parts retired
    /// later are live again (back under `tables/` from `history/`), and sources read after it are marked rewritten, so the next ingest
    /// drops their rows and reads them again from the start.
    static func trimCatalog(dataDir: String, to snapshot: Int64) throws {
        let database = try SQLiteDatabase(path: dataDir + "/" + Catalog.fileName)
        let committed = try database.scalarInt("SELECT committed_us FROM snapshots WHERE snapshot_id = ?", [.int(snapshot)]) ?? 0
        try database.transaction {
            try database.execute(
                """
                DELETE FROM parts WHERE added_snapshot > \(snapshot);
                UPDATE parts SET path = substr(path, \(historyPrefix.count + 1))
                  WHERE removed_snapshot > \(snapshot) AND path LIKE '\(historyPrefix)%';
                UPDATE parts SET removed_snapshot = NULL WHERE removed_snapshot > \(snapshot);
                DELETE FROM snapshots WHERE snapshot_id > \(snapshot);
                DELETE FROM runs WHERE started_us > \(committed);
                UPDATE sources SET fingerprint = 'restored-to-snapshot-\(snapshot)', offset = -1
                  WHERE updated_snapshot > \(snapshot);
                """)
            try KnownSources.markRestored(after: snapshot, in: database)
        }
        try database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// Swaps a restored directory in for the live `dataDir` under its run lock with two renames
    /// (old aside, new into place; the first is undone if the second fails). The previous data
    /// directory is kept as `<dataDir>.old-<UTC stamp>`; returns that path (nil if there was none).
    package static func replace(dataDir: String, with restored: String, nowMicros: Int64) throws -> String? {
        let stamp = UTCDate.isoString(micros: nowMicros).prefix(19).filter { $0 != "-" && $0 != ":" } + "Z"
        let old = dataDir + ".old-" + stamp
        guard FileManager.default.fileExists(atPath: dataDir) else {
            guard rename(restored, dataDir) == 0 else { throw BackupError(dataDir, "cannot move \(restored) here: \(RawFile.lastError)") }
            return nil
        }
        guard !FileManager.default.fileExists(atPath: old) else { throw BackupError(old, "already exists; try again in a second") }
        let lock = try RunLock(dataDir: dataDir, command: "backup restore --replace", nowMicros: nowMicros)
        defer { withExtendedLifetime(lock) {} }
        let parent = URL(fileURLWithPath: dataDir).deletingLastPathComponent().path
        if rename(dataDir, old) != 0 {
            throw BackupError(dataDir, "cannot move aside to \(old): \(RawFile.lastError)")
        }
        guard rename(restored, dataDir) == 0 else {
            let reason = errno == EXDEV ? "it is on another file system; restore --to a directory beside the data" : RawFile.lastError
            _ = rename(old, dataDir)
            throw BackupError(dataDir, "cannot move \(restored) into place (\(reason)); the old data is back")
        }
        AtomicFile.fsyncDirectory(parent)
        return old
    }
}
