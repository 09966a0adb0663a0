import Foundation
import SQLiteStore
import ObjectStore
import Lake
#if canImport(Glibc)
    import Glibc
#endif

/// `homebase lake push` and the nightly's `lake_mirror`: mirrors the lake to `s3://bucket/prefix`
/// so engines read it from object storage. Parts go first, then the table metadata — every
/// `_delta_log/` file (commits in version order, `_last_checkpoint` after them) and a consistent
/// copy of the catalog (SQLite online backup) — so the remote never shows a snapshot whose files
/// are not all there. Only missing or changed objects move (see `S3Store.push`).
package enum LakeMirror {
    /// Pushes `dataDir`. Hidden files and directories (`.backup-cache`, temporaries) and the live
    /// catalog files are never pushed; the catalog goes as its online-backup copy.
    package static func push(dataDir: String, store: S3Store, deleteStale: Bool = false) throws -> SyncReport {
        let catalog = dataDir + "/" + Catalog.fileName
        guard FileManager.default.fileExists(atPath: catalog) else {
            throw UsageError("\(dataDir): no \(Catalog.fileName): not a lake (pass --data DIR, or run homebase ingest first)")
        }
        let scratch = dataDir + "/.lake-push-\(getpid())"
        try? FileManager.default.removeItem(atPath: scratch)
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        // The catalog copy first: every part it names is already on disk when we list the files.
        let copy = scratch + "/" + Catalog.fileName
        try SQLiteBackup.copy(from: catalog, to: copy)

        var parts: [SyncEntry] = []
        var metadata: [SyncEntry] = []
        let root = URL(fileURLWithPath: dataDir).standardizedFileURL.path
        if let walker = FileManager.default.enumerator(atPath: root) {
            while let relative = walker.nextObject() as? String {
                let segments = relative.split(separator: "/")
                if segments.contains(where: { $0.hasPrefix(".") }) { continue }
                let full = root + "/" + relative
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                if segments.contains("_delta_log") {
                    metadata.append(SyncEntry(name: relative, path: full))
                } else if relative.hasSuffix(".parquet") {
                    parts.append(SyncEntry(name: relative, path: full))
                }
            }
        }
        parts.sort { $0.name < $1.name }
        // Commits (zero-padded versions) sort before `_last_checkpoint` ('0'-'9' < '_').
        metadata.sort { $0.name < $1.name }
        metadata.append(SyncEntry(name: Catalog.fileName, path: copy))
        return try store.push(parts, last: metadata, deleteStale: deleteStale)
    }
}
