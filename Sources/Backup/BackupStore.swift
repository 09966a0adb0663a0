import Foundation
import HomeBaseCore
import SQLiteStore
import Codecs
#if canImport(Glibc)
    import Glibc
#endif

/// One archive in a backup directory, as `backup list` and `prune` see it.
package struct BackupInfo: Sendable {
    package var name: String
    package var path: String
    package var size: Int64
    /// The `.sha256` sidecar exists: the archive was finished (it is written before the rename).
    package var complete: Bool
    package var manifest: BackupManifest?
    /// Why the manifest could not be read, if it could not.
    package var problem: String?
    /// When `backup verify` last passed for it (the `.verified` sidecar), if ever.
    package var verifiedMicros: Int64?

    package var createdMicros: Int64 { manifest?.createdMicros ?? 0 }
}

/// A directory of backups: `homebase-backup-<UTC stamp>.tar.gz`, each with a `.sha256` sidecar in
/// `sha256sum` format and, once verified, a `.verified` sidecar holding the time of the check.
package struct BackupStore: Sendable {
    package let directory: String
    static let prefix = "homebase-backup-"
    static let suffix = ".tar.gz"

    package init(directory: String) { self.directory = directory }

    package func path(_ name: String) -> String { directory + "/" + name }
    package func sidecarPath(_ name: String) -> String { path(name) + ".sha256" }
    package func verifiedPath(_ name: String) -> String { path(name) + ".verified" }

    /// Plans retention over this directory's backups and, unless `dryRun`, deletes what it drops.
    package func prune(_ policy: PrunePolicy, nowMicros: Int64, dryRun: Bool = false) throws -> BackupPruner.Plan {
        let plan = BackupPruner.plan(try list(), policy: policy, nowMicros: nowMicros)
        if !dryRun { for name in plan.delete { delete(name) } }
        return plan
    }

    /// Removes a backup with its `.sha256` and `.verified` files.
    package func delete(_ name: String) {
        for file in [path(name), sidecarPath(name), verifiedPath(name)] { try? FileManager.default.removeItem(atPath: file) }
    }

    /// `homebase-backup-YYYYMMDDTHHMMSSZ[-N].tar.gz` and nothing else (no slashes, no dots elsewhere).
    package static func isArchiveName(_ name: String) -> Bool {
        // By bytes (every manifest entry names its archive): the middle must be ASCII anyway.
        let bytes = name.utf8, head = prefix.utf8.count, tail = suffix.utf8.count
        guard bytes.count > head + tail, bytes.starts(with: prefix.utf8), bytes.reversed().starts(with: suffix.utf8.reversed()) else {
            return false
        }
        return bytes.dropFirst(head).dropLast(tail).allSatisfy {
            (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || $0 == 45
        }
    }

    /// The archive name for a backup created at `micros`, with `-2`, `-3`… if that name is taken.
    package func newArchiveName(createdMicros micros: Int64) -> String {
        let iso = UTCDate.isoString(micros: micros)  // YYYY-MM-DDTHH:MM:SS.ffffffZ
        let stamp = iso.prefix(19).filter { $0 != "-" && $0 != ":" } + "Z"
        var name = BackupStore.prefix + stamp + BackupStore.suffix
        var counter = 2
        let manager = FileManager.default
        while manager.fileExists(atPath: path(name)) || manager.fileExists(atPath: sidecarPath(name)) {
            name = BackupStore.prefix + stamp + "-\(counter)" + BackupStore.suffix
            counter += 1
        }
        return name
    }

    /// Every archive in the directory, oldest first (by manifest time, then name).
    package func list() throws -> [BackupInfo] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw BackupError(directory, "cannot read the backup directory (does it exist?)")
        }
        var result: [BackupInfo] = []
        for name in names where BackupStore.isArchiveName(name) {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path(name))
            var info = BackupInfo(
                name: name, path: path(name), size: (attributes?[.size] as? NSNumber)?.int64Value ?? 0,
                complete: FileManager.default.fileExists(atPath: sidecarPath(name)))
            do { info.manifest = try BackupStore.readManifest(archivePath: path(name)) } catch { info.problem = "\(error)" }
            if let text = try? String(contentsOfFile: verifiedPath(name), encoding: .utf8) {
                info.verifiedMicros = Int64(text.split(separator: " ").first ?? "")
            }
            result.append(info)
        }
        return result.sorted { ($0.createdMicros, $0.name) < ($1.createdMicros, $1.name) }
    }

    /// Complete archives whose manifests read, oldest first.
    package func usable() throws -> [BackupInfo] { try list().filter { $0.complete && $0.manifest != nil } }

    /// The hex digest in the `.sha256` sidecar (`<hex>  <name>`), if present and well-formed.
    package func sidecarDigest(_ name: String) -> String? {
        guard let text = try? String(contentsOfFile: sidecarPath(name), encoding: .utf8) else { return nil }
        let digest = String(text.prefix(64))
        return digest.count == 64 ? digest : nil
    }

    /// Removes hidden temporary files and directories (`.homebase-backup-….tmp-<pid>`, `.staging-<pid>`,
    /// `.verify-…-<pid>`) left by a create or verify that was killed: those whose process is gone.
    package func removeLeftovers() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix("." + BackupStore.prefix) || name.hasPrefix(".verify-" + BackupStore.prefix) {
            guard let dash = name.lastIndex(of: "-"), let pid = Int32(name[name.index(after: dash)...]) else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(atPath: path(name)) }
        }
    }

    /// Records a passed verification.
    package func markVerified(_ name: String, micros: Int64) throws {
        try AtomicFile.write(Data("\(micros) \(UTCDate.isoString(micros: micros))\n".utf8), to: verifiedPath(name))
    }

    /// Reads only the first entry of an archive: its manifest.
    package static func readManifest(archivePath: String) throws -> BackupManifest {
        // A nightly lists the archives more than once (create, prune, verify); an archive is read
        // again only if its size or modification time changed. One changed in the last few
        // seconds is not kept: a rewrite within the same clock tick would keep its mtime.
        var info = stat()
        let settled = stat(archivePath, &info) == 0 && time(nil) - info.st_mtim.tv_sec > 2
        let key = settled ? "\(archivePath)|\(info.st_size)|\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)|\(info.st_ino)" : nil
        if let key, let known = ManifestCache.shared.get(key) { return known }
        let manifest = try readManifestUncached(archivePath: archivePath)
        if let key { ManifestCache.shared.set(key, manifest) }
        return manifest
    }

    private static func readManifestUncached(archivePath: String) throws -> BackupManifest {
        let file = try RawFile.openForReading(archivePath)
        let inflater = try GzipInflater(name: archivePath) { try file.read(into: $0) }
        return try readManifest(from: TarReader(name: archivePath) { try inflater.read(into: $0) }, archivePath: archivePath)
    }

    /// Reads the first entry, which must be the manifest. The tar reader reads ahead, so damage
    /// anywhere in a small archive can show here: the error then names the manifest entry.
    static func readManifest(from tar: TarReader, archivePath: String) throws -> BackupManifest {
        let place = "\(archivePath): entry '\(BackupManifest.entryName)'"
        do {
            guard let first = try tar.next(), first.path == BackupManifest.entryName, first.isRegularFile else {
                throw BackupError(archivePath, "does not start with \(BackupManifest.entryName): not a homebase backup")
            }
            guard first.size <= Int64(BackupManifest.maxBytes) else { throw BackupError(archivePath, "manifest of \(first.size) bytes is too large") }
            var bytes: [UInt8] = []
            try tar.readBody { bytes += $0 }
            return try BackupManifest.decode(bytes, source: archivePath)
        } catch let error as BackupError where error.file.hasSuffix(".tar.gz") && error.message.hasPrefix("gzip") {
            throw BackupError(place, error.message)
        } catch let error as CodecError where error.name.hasSuffix(".tar.gz") && error.message.hasPrefix("gzip") {
            throw BackupError(place, error.message)
        }
    }
}

/// Manifests read in this process, by archive path, size and modification time.
private final class ManifestCache: @unchecked Sendable {
    static let shared = ManifestCache()
    private let lock = NSLock()
    private var manifests: [String: BackupManifest] = [:]

    func get(_ key: String) -> BackupManifest? {
        lock.lock(); defer { lock.unlock() }
        return manifests[key]
    }

    func set(_ key: String, _ manifest: BackupManifest) {
        lock.lock(); defer { lock.unlock() }
        if manifests.count > 1_000 { manifests = [:] }  // bounded: a process lists one or two backup directories
        manifests[key] = manifest
    }
}
