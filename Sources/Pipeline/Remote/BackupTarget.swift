import Foundation
import SQLiteStore
import ObjectStore
import Backup

/// Where backups are: a local directory, or `s3://bucket/prefix` through a local cache. The one
/// entry point `backup` (create/list/verify/restore/prune) and the nightly backup and prune
/// stages use, so both take the same locations.
package enum BackupTarget: Sendable {
    case local(BackupStore)
    case remote(RemoteBackups)

    /// Resolves what the user wrote. S3 needs credentials (config `backup.s3`, then the AWS
    /// environment): missing ones fail loudly here, before anything is written.
    package static func resolve(_ text: String, settings: S3Settings?, environment: [String: String], dataDir: String) throws -> BackupTarget {
        switch try StoragePaths.location(text, what: "backup location") {
        case .local(let path): return .local(BackupStore(directory: path))
        case .s3(let location):
            let store = try S3Store(location: location, settings: settings, environment: environment)
            return .remote(RemoteBackups(store: store, cacheDirectory: RemoteBackups.cacheDirectory(dataDir: dataDir, location: location)))
        }
    }

    /// The local directory archives are written to and read from (the cache for S3).
    package var workDirectory: String {
        switch self {
        case .local(let store): return store.directory
        case .remote(let remote): return remote.cache.directory
        }
    }

    /// What a create did, wherever it went.
    package struct Created: Sendable {
        package var result: BackupResult
        /// The archive's location: local path or `s3://` URL.
        package var location: String
        /// The local verify's report (remote only: a create is uploaded only once it verified).
        package var verify: VerifyReport?
        /// Earlier cached archives uploaded because their remote marker was missing.
        package var pushed: [String] = []
    }

    /// Creates a backup. For S3: writes and verifies it in the cache, uploads it (marker last),
    /// then uploads earlier cached archives whose remote marker is missing. A failed verify is
    /// not uploaded (the report says why).
    package func create(_ options: BackupOptions, trustVerified: Bool = false) throws -> Created {
        var options = options
        options.backupDir = workDirectory
        let result = try BackupCreator.create(options)
        guard case .remote(let remote) = self else { return Created(result: result, location: result.archivePath) }
        let name = (result.archivePath as NSString).lastPathComponent
        let report = BackupVerifier.verify(archivePath: result.archivePath, nowMicros: options.now(), trustVerified: trustVerified)
        var created = Created(result: result, location: remote.store.location.url(ofKey: remote.store.key(name)), verify: report)
        guard report.ok else { return created }
        try remote.upload(name: name)
        created.pushed = try remote.pushMissing()
        return created
    }

    /// Every backup, oldest first (remote: complete objects only).
    package func list() throws -> [BackupInfo] {
        switch self {
        case .local(let store): return try store.list()
        case .remote(let remote): return try remote.list()
        }
    }

    /// Verifies one backup by name (remote: downloaded again first).
    package func verify(name: String, nowMicros: Int64, trustVerified: Bool = false) -> VerifyReport {
        switch self {
        case .local(let store): return BackupVerifier.verify(archivePath: store.path(name), nowMicros: nowMicros, trustVerified: trustVerified)
        case .remote(let remote): return remote.verify(name: name, nowMicros: nowMicros)
        }
    }

    /// Restores (remote: after fetching the needed archives into the cache).
    package func restore(archive: String?, atMicros: Int64?, target: String) throws -> RestoreResult {
        switch self {
        case .local(let store):
            return try BackupRestorer.restore(RestoreOptions(backupDir: store.directory, archive: archive, atMicros: atMicros, target: target))
        case .remote(let remote):
            let directory = try remote.prepareRestore(archive: archive, atMicros: atMicros)
            return try BackupRestorer.restore(
                RestoreOptions(backupDir: directory, archive: archive.map { ($0 as NSString).lastPathComponent }, atMicros: atMicros, target: target))
        }
    }

    package func prune(_ policy: PrunePolicy, nowMicros: Int64, dryRun: Bool = false) throws -> BackupPruner.Plan {
        switch self {
        case .local(let store): return try store.prune(policy, nowMicros: nowMicros, dryRun: dryRun)
        case .remote(let remote): return try remote.prune(policy, nowMicros: nowMicros, dryRun: dryRun)
        }
    }
}
