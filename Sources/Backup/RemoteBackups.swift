import Foundation
import HomeBaseCore
import SQLiteStore
import ObjectStore
#if canImport(Glibc)
    import Glibc
#endif

/// Backups in `s3://bucket/prefix`, with a local cache directory in the layout of a local backup
/// directory (archives and their `.sha256` sidecars) that creates, verifies and restores work in.
///
/// Remote layout, per archive: `<name>` (the `.tar.gz`), `<name>.manifest.json` (its manifest, so
/// `list` and `prune` need not download archives), `<name>.verified` once a verify of the remote
/// copy passed, and `<name>.sha256` (the completion marker, written last; see `S3Store`). Only
/// archives whose marker exists count: an interrupted upload is never listed, restored or kept.
package struct RemoteBackups: Sendable {
    package let store: S3Store
    /// The local cache: `BackupStore` layout.
    package let cache: BackupStore
    static let manifestSuffix = ".manifest.json"
    static let verifiedSuffix = ".verified"

    package init(store: S3Store, cacheDirectory: String) {
        self.store = store
        self.cache = BackupStore(directory: cacheDirectory)
    }

    /// The cache directory for `location` under a data directory: `<data>/.backup-cache/<bucket>/<prefix>`
    /// (hidden, so neither backups nor lake pushes take it).
    package static func cacheDirectory(dataDir: String, location: S3Location) -> String {
        dataDir + "/.backup-cache/" + location.bucket + (location.prefix.isEmpty ? "" : "/" + location.prefix)
    }

    // MARK: Create

    /// Uploads a finished local archive (verified or not), its manifest, then the marker last.
    package func upload(name: String) throws {
        guard let digest = cache.sidecarDigest(name) else {
            throw BackupError(cache.path(name), "has no .sha256 sidecar: the local backup did not finish, so it is not uploaded")
        }
        let manifest = try BackupStore.readManifest(archivePath: cache.path(name))
        let sidecars = [Self.manifestSuffix: Data(try manifest.encoded())]
        try store.putComplete(file: cache.path(name), as: name, sha256: digest, sidecars: sidecars)
    }

    /// Uploads every complete cached archive whose remote marker is missing (an earlier create
    /// interrupted before its upload finished, or an archive a new one references), oldest first.
    /// Returns the names uploaded.
    @discardableResult
    package func pushMissing() throws -> [String] {
        let remote = Set(try store.completeObjects().map(\.key))
        var pushed: [String] = []
        for info in try cache.usable() where !remote.contains(info.name) {
            try upload(name: info.name)
            pushed.append(info.name)
        }
        return pushed
    }

    // MARK: List

    /// Complete remote archives, oldest first, as `BackupInfo` (path = the `s3://` URL). The
    /// manifest comes from the `.manifest.json` object (or, if that is missing, from the archive
    /// itself, downloaded into the cache).
    package func list() throws -> [BackupInfo] {
        let objects = try store.list()
        let names = Set(objects.map(\.key))
        var result: [BackupInfo] = []
        for object in objects
        where BackupStore.isArchiveName(object.key) && names.contains(object.key + S3Store.markerSuffix) {
            let name = object.key
            var info = BackupInfo(name: name, path: store.location.url(ofKey: store.key(name)), size: object.size, complete: true)
            do {
                if names.contains(name + Self.manifestSuffix), let data = try store.data(name + Self.manifestSuffix) {
                    info.manifest = try BackupManifest.decode(Array(data), source: store.location.url(ofKey: store.key(name + Self.manifestSuffix)))
                } else {
                    info.manifest = try BackupStore.readManifest(archivePath: try store.fetchComplete(name, into: cache.directory).path)
                }
            } catch { info.problem = "\(error)" }
            if names.contains(name + Self.verifiedSuffix), let data = try store.data(name + Self.verifiedSuffix) {
                info.verifiedMicros = Int64(String(decoding: data, as: UTF8.self).split(separator: " ").first ?? "")
            }
            result.append(info)
        }
        return result.sorted { ($0.createdMicros, $0.name) < ($1.createdMicros, $1.name) }
    }

    // MARK: Verify

    /// Downloads `name` and every archive it references again (into the cache, replacing the
    /// cached copies only when the bytes match the remote markers), then runs the full local
    /// verify on them. A damaged remote object fails here, named by its `s3://` URL.
    package func verify(name: String, nowMicros: Int64) -> VerifyReport {
        let url = store.location.url(ofKey: store.key(name))
        var report = VerifyReport(archive: url, problems: [])
        do {
            try download(name)
            let manifest = try BackupStore.readManifest(archivePath: cache.path(name))
            for reference in manifest.references { try download(reference) }
        } catch {
            report.problems.append("\(error)")
            return report
        }
        report = BackupVerifier.verify(archivePath: cache.path(name), nowMicros: nowMicros)
        report.archive = url
        if report.ok {
            do {
                try store.put(
                    name + Self.verifiedSuffix, data: Data("\(nowMicros) \(UTCDate.isoString(micros: nowMicros))\n".utf8), contentType: "text/plain")
            } catch { report.problems.append("verified, but could not record it: \(error)") }
        }
        return report
    }

    /// A fresh download of complete archive `name` into the cache with its `.sha256` sidecar.
    private func download(_ name: String) throws {
        guard let marker = try store.markerDigest(name) else {
            throw BackupError(store.location.url(ofKey: store.key(name)), "is not a complete backup (no \(name)\(S3Store.markerSuffix) marker)")
        }
        try FileManager.default.createDirectory(atPath: cache.directory, withIntermediateDirectories: true)
        // Into a hidden temporary first: a damaged remote copy never replaces a good cached one.
        let temporary = cache.directory + "/.\(name).fetch-\(getpid())"
        try? FileManager.default.removeItem(atPath: temporary)
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        try store.download(name, to: temporary)
        try? FileManager.default.removeItem(atPath: cache.sidecarPath(name))
        guard rename(temporary, cache.path(name)) == 0 else {
            throw BackupError(cache.path(name), "cannot replace the cached copy (errno \(errno))")
        }
        try AtomicFile.write(Data("\(marker)  \(name)\n".utf8), to: cache.sidecarPath(name))
    }

    // MARK: Restore

    /// Brings what a restore needs into the cache (only what is not cached already with the
    /// remote digest): `archive` and the archives it references, or — for `atMicros` — every
    /// archive created at or before that time. Returns the cache directory to restore from.
    package func prepareRestore(archive: String?, atMicros: Int64?) throws -> String {
        var wanted: [String] = []
        if let archive {
            let name = (archive as NSString).lastPathComponent
            try store.fetchComplete(name, into: cache.directory)
            wanted = try BackupStore.readManifest(archivePath: cache.path(name)).references
        } else if let atMicros {
            wanted = try list().filter { $0.manifest != nil && $0.createdMicros <= atMicros }.map(\.name)
        }
        for name in wanted { try store.fetchComplete(name, into: cache.directory) }
        return cache.directory
    }

    // MARK: Prune

    /// The same retention as a local directory, over the remote listing; deletes the dropped
    /// archives remotely (marker first) and from the cache.
    package func prune(_ policy: PrunePolicy, nowMicros: Int64, dryRun: Bool = false) throws -> BackupPruner.Plan {
        let plan = BackupPruner.plan(try list(), policy: policy, nowMicros: nowMicros)
        if !dryRun {
            for name in plan.delete {
                try store.deleteComplete(name, sidecars: [Self.manifestSuffix, Self.verifiedSuffix])
                cache.delete(name)
            }
        }
        return plan
    }
}
