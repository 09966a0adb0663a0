import Foundation
import SQLiteStore

/// The outcome of verifying one archive: empty `problems` means it passed.
package struct VerifyReport: Sendable {
    package var archive: String
    package var problems: [String]
    package var files: Int = 0
    package var bytes: Int64 = 0
    package var ok: Bool { problems.isEmpty }
}

/// `backup verify`: re-reads an archive and every earlier archive it references, re-hashes every
/// entry and the whole file against its `.sha256`, restores into a scratch directory beside the
/// archives, and checks the catalog opens cleanly and names only parts that are present and readable.
package enum BackupVerifier {
    /// `trustVerified`: a referenced archive that already passed verify (its `.verified` marker)
    /// is only checked to list the file with the expected SHA-256, not re-read; the nightly run
    /// uses this so an incremental backup costs what it copied. The full check runs without it.
    package static func verify(archivePath: String, nowMicros: Int64, trustVerified: Bool = false) -> VerifyReport {
        let url = URL(fileURLWithPath: archivePath)
        let name = url.lastPathComponent
        let store = BackupStore(directory: url.deletingLastPathComponent().path)
        var report = VerifyReport(archive: archivePath, problems: [])
        let expectedDigest = store.sidecarDigest(name)
        if expectedDigest == nil { report.problems.append("\(archivePath): no .sha256 sidecar (the backup did not finish)") }
        let scratch = store.directory + "/.verify-\(name)-\(getpid())"
        try? FileManager.default.removeItem(atPath: scratch)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        do {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: false)
            let manifest = try BackupStore.readManifest(archivePath: archivePath)
            report.files = manifest.files.count
            // The restored copy is checked as a data directory only when no referenced archive is
            // trusted as verified; otherwise the scans only hash, and nothing is written out.
            let trusted = trustVerified ? Set(manifest.references.filter { FileManager.default.fileExists(atPath: store.verifiedPath($0)) }) : []
            let trusting = !trusted.isEmpty
            let result = try ArchiveScan.run(
                archivePath: archivePath, extract: trusting ? [] : Set(manifest.ownFiles.map(\.path)), into: scratch)
            report.bytes += result.uncompressedBytes
            if let expectedDigest, expectedDigest != result.archiveSHA256 {
                report.problems.append("\(archivePath): SHA-256 \(result.archiveSHA256) differs from its .sha256 sidecar \(expectedDigest)")
            }
            var skippedReferences = false
            for holder in manifest.references {
                let wanted = manifest.files.filter { $0.archive == holder }
                if trusted.contains(holder) {
                    do {
                        let held = try BackupStore.readManifest(archivePath: store.path(holder))
                        let digests = Dictionary(held.ownFiles.map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
                        for file in wanted where digests[file.path] != file.sha256 {
                            report.problems.append("\(store.path(holder)): does not hold '\(file.path)' with the SHA-256 \(name) expects")
                        }
                        skippedReferences = true
                        continue
                    } catch {
                        report.problems.append("referenced by \(name): \(error)")
                        continue
                    }
                }
                do {
                    let held = try ArchiveScan.run(archivePath: store.path(holder), extract: trusting ? [] : Set(wanted.map(\.path)), into: scratch)
                    report.bytes += held.uncompressedBytes
                    let digests = Dictionary(held.manifest.ownFiles.map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
                    for file in wanted where digests[file.path] != file.sha256 {
                        report.problems.append("\(store.path(holder)): does not hold '\(file.path)' with the SHA-256 \(name) expects")
                    }
                } catch {
                    report.problems.append("referenced by \(name): \(error)")
                }
            }
            if report.problems.isEmpty && !skippedReferences { report.problems += DataDirCheck.problems(dataDir: scratch) }
        } catch {
            report.problems.append("\(error)")
            if let expectedDigest, let digest = try? fileDigest(archivePath), digest != expectedDigest {
                report.problems.append("\(archivePath): SHA-256 \(digest) differs from its .sha256 sidecar \(expectedDigest)")
            }
        }
        if report.ok { try? store.markVerified(name, micros: nowMicros) }
        return report
    }

    /// SHA-256 of a whole file, streamed.
    static func fileDigest(_ path: String) throws -> String {
        try BackupCreator.hashed(path: path, file: path, archive: "").sha256
    }
}
