import Foundation
import HomeBaseCore
import SQLiteStore
import Codecs
#if canImport(Glibc)
    import Glibc
#endif

/// Streams one backup archive end to end, treating it as untrusted: the first entry must be the
/// manifest; every later entry must be a regular file with a safe relative path that the manifest
/// lists as stored here, appear once, and match its size and SHA-256. Wanted entries are written
/// under a target directory (never following links, never overwriting); the rest are hashed and skipped.
package enum ArchiveScan {
    package struct Result: Sendable {
        package var manifest: BackupManifest
        /// SHA-256 of the compressed file, as its `.sha256` sidecar should say.
        package var archiveSHA256: String
        package var extracted: [String]
        package var uncompressedBytes: Int64
    }

    /// Scans `archivePath`; writes entries whose paths are in `extract` into `targetDir`.
    package static func run(archivePath: String, extract: Set<String> = [], into targetDir: String? = nil) throws -> Result {
        let archiveName = URL(fileURLWithPath: archivePath).lastPathComponent
        let file = try RawFile.openForReading(archivePath)
        defer { file.close() }
        var archiveHasher = SHA256()
        let inflater = try GzipInflater(name: archivePath) { buffer in
            let count = try file.read(into: buffer)
            archiveHasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            return count
        }
        let tar = TarReader(name: archivePath) { try inflater.read(into: $0) }
        let manifest = try BackupStore.readManifest(from: tar, archivePath: archivePath)
        guard manifest.archive == archiveName else {
            throw BackupError(
                archivePath, "the manifest says this archive is named \(manifest.archive); rename it back so references between backups resolve")
        }
        let cap = ExpansionCap(archiveBytes: try file.size())
        var written: Int64 = 0
        var expected: [String: BackupManifest.File] = [:]
        for entry in manifest.ownFiles { expected[entry.path] = entry }
        var seen = Set<String>()
        var extracted: [String] = []
        var previous = BackupManifest.entryName
        while let entry = try within("\(archivePath): after entry '\(previous)'", { try tar.next() }) {
            previous = entry.path
            let where_ = "\(archivePath): entry '\(entry.path)'"
            if let problem = EntryPath.problem(entry.pathBytes) { throw BackupError(where_, "refused: \(problem)") }
            try refuseType(entry, where_)
            guard let listed = expected[entry.path] else {
                throw BackupError(where_, "refused: not listed in the manifest as stored in this archive")
            }
            guard seen.insert(entry.path).inserted else { throw BackupError(where_, "refused: appears twice") }
            guard entry.size == listed.size else {
                throw BackupError(where_, "refused: \(entry.size) bytes, the manifest says \(listed.size)")
            }
            var hasher = SHA256()
            if let targetDir, extract.contains(entry.path) {
                if let problem = cap.problem(size: entry.size, written: written, targetDir: targetDir) { throw BackupError(where_, problem) }
                written += entry.size
                let output = try createFile(relative: entry.path, under: targetDir)
                try within(where_) {
                    try tar.readBody { chunk in
                        hasher.update(chunk)
                        try output.write(chunk)
                    }
                }
                output.close()  // no fsync per file: the restorer syncs once at the end
                extracted.append(entry.path)
            } else {
                try within(where_) { try tar.readBody { hasher.update($0) } }
            }
            let digest = hasher.finalizeHex()
            guard digest == listed.sha256 else {
                throw BackupError(where_, "SHA-256 mismatch (manifest \(listed.sha256), content \(digest)): this file in the archive is damaged")
            }
        }
        let missing = expected.keys.filter { !seen.contains($0) }.sorted()
        guard missing.isEmpty else {
            throw BackupError(
                archivePath, "entries listed in the manifest are missing from the archive: \(missing.prefix(5).joined(separator: ", "))")
        }
        try within("\(archivePath): after the last entry") { try tar.drain() }
        return Result(manifest: manifest, archiveSHA256: archiveHasher.finalizeHex(), extracted: extracted, uncompressedBytes: tar.offset)
    }

    /// Runs `body`, naming the entry being read in any damage it finds (gzip, tar or I/O).
    private static func within<T>(_ place: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as BackupError {
            throw BackupError(place, error.file.hasSuffix(".tar.gz") ? error.message : error.description)
        } catch let error as CodecError {
            throw BackupError(place, error.name.hasSuffix(".tar.gz") ? error.message : error.description)
        } catch let error as AtomicFile.Failure {  // reading the archive itself (`RawFile`)
            throw BackupError(place, error.path.hasSuffix(".tar.gz") ? error.message : error.description)
        }
    }

    private static func refuseType(_ entry: TarEntry, _ where_: String) throws {
        if entry.isRegularFile { return }
        let reason: String
        switch entry.type {
        case UInt8(ascii: "1"): reason = "hard link to '\(entry.linkName)'"
        case UInt8(ascii: "2"): reason = "symbolic link to '\(entry.linkName)'"
        case UInt8(ascii: "3"): reason = "character device"
        case UInt8(ascii: "4"): reason = "block device"
        case UInt8(ascii: "5"): reason = "directory entry"
        case UInt8(ascii: "6"): reason = "FIFO"
        default: reason = "unknown entry type \(entry.type)"
        }
        throw BackupError(where_, "refused: \(reason) (a homebase backup holds regular files only)")
    }

    /// Creates `dir/relative` exclusively, making parent directories one component at a time and
    /// refusing any existing component that is not a real directory (a symlink planted earlier).
    static func createFile(relative: String, under dir: String) throws -> RawFile {
        let components = relative.split(separator: "/").map(String.init)
        var current = dir
        for component in components.dropLast() {
            current += "/" + component
            if mkdir(current, 0o755) != 0 {
                var info = stat()
                guard errno == EEXIST, lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                    throw BackupError(current, "cannot create directory (or it is not a plain directory): \(RawFile.lastError)")
                }
            }
        }
        return try RawFile.create(dir + "/" + relative)
    }
}
