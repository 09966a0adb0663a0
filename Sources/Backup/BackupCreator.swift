import Foundation
import HomeBaseCore
import SQLiteStore
import Codecs
import Lake

/// What `backup create` needs: where the lake is, where backups go, and the clock.
package struct BackupOptions: Sendable {
    package var dataDir: String
    package var backupDir: String
    /// Reference parts already stored in earlier backups of `backupDir` (same path and SHA-256).
    package var incremental: Bool = true
    /// gzip level 1…9. 1 by default: the parts are compressed Parquet and the catalog is mostly
    /// hashes, so level 6 made a year's archive only 2.4 % smaller at 1.5 times the time.
    package var level: Int32 = BackupOptions.defaultLevel
    package static let defaultLevel: Int32 = 1
    package var now: @Sendable () -> Int64

    package init(
        dataDir: String, backupDir: String, incremental: Bool = true, level: Int32 = BackupOptions.defaultLevel, now: @escaping @Sendable () -> Int64
    ) {
        self.dataDir = dataDir
        self.backupDir = backupDir
        self.incremental = incremental
        self.level = level
        self.now = now
    }
}

/// What one `backup create` did.
package struct BackupResult: Sendable {
    package var archivePath: String
    package var manifest: BackupManifest
    package var archiveSHA256: String
    package var archiveBytes: Int64
    /// Bytes of lake files read into the archive (catalog copy + copied parts).
    package var copiedBytes: Int64
    package var copiedFiles: Int
    package var referencedFiles: Int
}

/// Writes one backup: a consistent catalog copy (SQLite online backup), then the parts live in
/// that copy's newest snapshot, streamed through tar → gzip → file while hashing. The archive is
/// written under a hidden temporary name, fsynced, its `.sha256` sidecar written, then renamed.
package enum BackupCreator {
    package static func create(_ options: BackupOptions) throws -> BackupResult {
        let catalogPath = options.dataDir + "/" + Catalog.fileName
        guard FileManager.default.fileExists(atPath: catalogPath) else {
            throw BackupError(options.dataDir, "no catalog.sqlite here: nothing to back up (run homebase ingest first, or pass --data)")
        }
        try FileManager.default.createDirectory(atPath: options.backupDir, withIntermediateDirectories: true)
        let store = BackupStore(directory: options.backupDir)
        store.removeLeftovers()
        let created = options.now()
        let name = store.newArchiveName(createdMicros: created)
        let staging = options.backupDir + "/.\(name).staging-\(getpid())"
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: staging) }

        // 1. The catalog copy fixes the state: its newest snapshot's live parts are what goes in.
        let catalogCopy = staging + "/" + Catalog.fileName
        try Trace.span("backup.catalog-copy") { try SQLiteBackup.copy(from: catalogPath, to: catalogCopy) }
        FailPoint.reached("backup-catalog-copied")
        let (snapshot, committed, parts) = try snapshotContents(catalogCopy)

        // 2. Hash every part, except one an earlier backup already stores under the same path and
        // size: parts are immutable (a path is never reused), so that copy is referenced unread.
        // `backup verify` re-hashes the referenced copy.
        var earlier: [String: BackupManifest.File] = [:]
        if options.incremental {
            for info in try store.usable() {
                for file in info.manifest?.files ?? [] where file.path != Catalog.fileName { earlier[file.path] = file }
            }
        }
        var files: [BackupManifest.File] = [try hashed(path: Catalog.fileName, file: catalogCopy, archive: name)]
        // The SHA-256 each part had when it was written: a part damaged since is not backed up as good.
        let recorded = try PartChecksums.load(try SQLiteDatabase(path: catalogCopy, readOnly: true))
        for part in parts {
            let (source, onDisk) = partFile(dataDir: options.dataDir, path: part.path)
            if let previous = earlier[part.path], previous.size == part.size, onDisk == part.size,
                PartChecksums.mismatch(path: part.path, recorded: recorded[part.path], actual: previous.sha256) == nil
            {
                files.append(previous)
                continue
            }
            var entry = try hashed(path: part.path, file: source, archive: name)
            if let problem = PartChecksums.mismatch(path: part.path, recorded: recorded[part.path], actual: entry.sha256) {
                throw BackupError(source, "not backed up: " + problem)
            }
            guard entry.size == part.size else {
                throw BackupError(
                    source, "is \(entry.size) bytes but the catalog says \(part.size): the lake is damaged (run backup verify on an older backup)")
            }
            if let previous = earlier[part.path], previous.sha256 == entry.sha256, previous.size == entry.size {
                entry.archive = previous.archive
            }
            files.append(entry)
        }
        let manifest = BackupManifest(
            archive: name, createdMicros: created, snapshot: snapshot,
            snapshotCommittedMicros: committed, files: files)

        // 3. Stream the archive, re-hashing each file as it is written (it must not have changed).
        let temporary = options.backupDir + "/.\(name).tmp-\(getpid())"
        let output = try RawFile.create(temporary)
        var archiveHasher = SHA256()
        var archiveBytes: Int64 = 0
        var copiedBytes: Int64 = 0
        do {
            let deflater = try GzipDeflater(level: options.level)
            let sink: (UnsafeRawBufferPointer) throws -> Void = { chunk in
                archiveHasher.update(chunk)
                archiveBytes += Int64(chunk.count)
                try output.write(chunk)
            }
            let tar = TarWriter(mtime: created / 1_000_000) { try deflater.write($0, sink: sink) }
            try tar.add(path: BackupManifest.entryName, data: try manifest.encoded())
            for file in manifest.ownFiles {
                // The catalog copy is this run's own file (hashed above); a part is hashed again as
                // it is written, since something else could have touched it.
                let isCatalog = file.path == Catalog.fileName
                let source = isCatalog ? catalogCopy : partFile(dataDir: options.dataDir, path: file.path).file
                let written = try tar.addFile(path: file.path, from: source, hashing: !isCatalog)
                guard isCatalog || written.sha256 == file.sha256, written.size == file.size else {
                    throw BackupError(source, "changed while being backed up (parts are immutable; is something rewriting the lake?)")
                }
                copiedBytes += written.size
                FailPoint.reached("backup-entry-written")
            }
            try tar.finish()
            try deflater.finish(sink: sink)
            try output.syncAndClose()
        } catch {
            output.close()
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        // 4. Sidecar first, then the rename: an archive under its final name always has its sidecar.
        let digest = archiveHasher.finalizeHex()
        FailPoint.reached("backup-archive-synced")
        try AtomicFile.write(Data("\(digest)  \(name)\n".utf8), to: store.sidecarPath(name))
        FailPoint.reached("backup-sidecar-written")
        try AtomicFile.commit(temporary, to: store.path(name))
        return BackupResult(
            archivePath: store.path(name), manifest: manifest, archiveSHA256: digest, archiveBytes: archiveBytes,
            copiedBytes: copiedBytes, copiedFiles: manifest.ownFiles.count, referencedFiles: files.count - manifest.ownFiles.count)
    }

    /// Where a part's bytes are now, and their size (nil: in neither place): a concurrent ingest
    /// may have retired it since the catalog copy and moved it to `history/` (same bytes; parts
    /// are immutable). One `stat` for a live part.
    static func partFile(dataDir: String, path: String) -> (file: String, size: Int64?) {
        let live = dataDir + "/" + path
        if let size = FileSize.of(live) { return (live, size) }
        let moved = dataDir + "/history/" + path
        if let size = FileSize.of(moved) { return (moved, size) }
        return (live, nil)
    }

    /// The newest snapshot of a catalog file, its commit time, and its live parts.
    static func snapshotContents(_ catalogFile: String) throws -> (Int64?, Int64?, [(path: String, size: Int64)]) {
        let database = try SQLiteDatabase(path: catalogFile, readOnly: true)
        guard let snapshot = try database.scalarInt("SELECT max(snapshot_id) FROM snapshots") else { return (nil, nil, []) }
        let committed = try database.scalarInt("SELECT committed_us FROM snapshots WHERE snapshot_id = ?", [.int(snapshot)])
        return (snapshot, committed, try DataDirCheck.livePartRows(database, snapshot: snapshot))
    }

    /// Size and SHA-256 of a file (`SHA256.file`), as a manifest entry.
    static func hashed(path: String, file: String, archive: String) throws -> BackupManifest.File {
        let size: Int64, sha256: String
        do { (size, sha256) = try SHA256.file(file) } catch let failure as AtomicFile.Failure { throw BackupError(failure.path, failure.message) }
        return BackupManifest.File(path: path, size: size, sha256: sha256, archive: archive)
    }
}
