import Foundation
import HomeBaseCore
import SQLiteStore
import Lake

/// The first entry of every backup archive (`MANIFEST.json`): what the backup holds and where
/// each file lives. A part already stored in an earlier backup of the same directory (same path,
/// same SHA-256) is referenced by that archive's name instead of being copied again.
package struct BackupManifest: Codable, Sendable, Equatable {
    package static let entryName = "MANIFEST.json"
    package static let formatName = "homebase-backup/1"
    /// Cap on the manifest entry read from an untrusted archive.
    static let maxBytes = 64 << 20

    package struct File: Codable, Sendable, Equatable {
        /// Path relative to the data directory (`catalog.sqlite`, `tables/…/part-….parquet`).
        package var path: String
        package var size: Int64
        package var sha256: String
        /// File name of the archive holding the bytes: this archive, or an earlier one.
        package var archive: String

        package init(path: String, size: Int64, sha256: String, archive: String) {
            self.path = path
            self.size = size
            self.sha256 = sha256
            self.archive = archive
        }
    }

    package var format: String = BackupManifest.formatName
    /// This archive's own file name.
    package var archive: String
    package var createdMicros: Int64
    /// The catalog snapshot whose live parts the backup holds (nil: empty lake).
    package var snapshot: Int64?
    package var snapshotCommittedMicros: Int64?
    package var files: [File]

    enum CodingKeys: String, CodingKey {
        case format, archive, files, snapshot
        case createdMicros = "created_us"
        case snapshotCommittedMicros = "snapshot_committed_us"
    }

    package init(archive: String, createdMicros: Int64, snapshot: Int64?, snapshotCommittedMicros: Int64?, files: [File]) {
        self.archive = archive
        self.createdMicros = createdMicros
        self.snapshot = snapshot
        self.snapshotCommittedMicros = snapshotCommittedMicros
        self.files = files
    }

    /// Files whose bytes are inside this archive.
    package var ownFiles: [File] { files.filter { $0.archive == archive } }
    /// Earlier archives this one needs for a restore.
    package var references: [String] { Set(files.map(\.archive)).subtracting([archive]).sorted() }

    package func encoded() throws -> [UInt8] {
        // Byte for byte JSONEncoder's [.sortedKeys, .prettyPrinted] (slashes escaped), faster.
        try PrettyJSONEncoder(escapeSlashes: true).encode(self) + [0x0a]
    }

    /// Decodes and checks a manifest read from `source` (an untrusted archive): format, safe
    /// relative paths, plain archive names, hex digests, no duplicates, a catalog present.
    package static func decode(_ bytes: [UInt8], source: String) throws -> BackupManifest {
        let manifest: BackupManifest
        do { manifest = try parse(bytes) } catch {
            throw BackupError(source, "MANIFEST.json is not a valid manifest: \(error)")
        }
        guard manifest.format == formatName else {
            throw BackupError(source, "unknown manifest format '\(manifest.format)' (expected \(formatName))")
        }
        guard BackupStore.isArchiveName(manifest.archive) else {
            throw BackupError(source, "manifest names itself '\(manifest.archive)', not a homebase backup name")
        }
        var seen = Set<String>(minimumCapacity: manifest.files.count)
        var checkedArchive: String?  // entries name a few archives, in runs (the parser reuses the string)
        for file in manifest.files {
            var path = file.path
            if let problem = path.withUTF8({ EntryPath.problem($0) }) {
                throw BackupError(source, "manifest lists an unsafe path '\(file.path)': \(problem)")
            }
            guard seen.insert(file.path).inserted else { throw BackupError(source, "manifest lists '\(file.path)' twice") }
            var sha256 = file.sha256
            guard file.size >= 0, sha256.withUTF8({ $0.count == 64 && $0.allSatisfy { $0 &- 48 < 10 || $0 &- 97 < 6 } }) else {
                throw BackupError(source, "manifest entry '\(file.path)' has a bad size or SHA-256")
            }
            if file.archive != checkedArchive {
                guard BackupStore.isArchiveName(file.archive) else {
                    throw BackupError(source, "manifest entry '\(file.path)' points at '\(file.archive)', not a homebase backup name")
                }
                checkedArchive = file.archive
            }
        }
        guard seen.contains(Catalog.fileName) else { throw BackupError(source, "manifest lists no catalog.sqlite") }
        return manifest
    }
}

/// Rules for a path inside an archive or manifest: relative, no `.`/`..`/empty components, no NUL.
package enum EntryPath {
    /// Why `path` is unsafe, or nil when it is a plain relative path.
    package static func problem(_ path: [UInt8]) -> String? { path.withUnsafeBufferPointer { problem($0) } }

    /// The same over bytes in place (a manifest's every path, without copying it into an array).
    package static func problem(_ path: UnsafeBufferPointer<UInt8>) -> String? {
        if path.isEmpty { return "empty path" }
        if path.contains(0) { return "NUL byte in path" }
        if path.first == UInt8(ascii: "/") { return "absolute path" }
        if path.contains(UInt8(ascii: "\\")) { return "backslash in path" }
        var start = 0  // each component between slashes, without splitting into arrays
        for end in 0...path.count where end == path.count || path[end] == UInt8(ascii: "/") {
            let length = end - start
            if length == 2 && path[start] == UInt8(ascii: ".") && path[start + 1] == UInt8(ascii: ".") { return "'..' component" }
            if length == 0 || (length == 1 && path[start] == UInt8(ascii: ".")) { return "empty or '.' component" }
            start = end + 1
        }
        return nil
    }
}
