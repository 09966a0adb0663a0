import Foundation
import HomeBaseCore

/// One file to mirror: its name under the prefix and where it is on disk.
package struct SyncEntry: Sendable, Equatable {
    package var name: String
    package var path: String
    package init(name: String, path: String) {
        self.name = name
        self.path = path
    }
}

/// What a sync moved.
package struct SyncReport: Sendable, Equatable {
    /// Names uploaded, in upload order (the `last` ones at the end).
    package var uploaded: [String] = []
    package var unchanged: [String] = []
    package var deleted: [String] = []
    package var bytesUploaded: Int64 = 0
}

extension S3Store {
    /// Mirrors `localDirectory` (regular files, recursively; names starting with `.` skipped) to the
    /// prefix. See `push`.
    @discardableResult
    package func sync(localDirectory: String, last: [String] = [], deleteStale: Bool = false) throws -> SyncReport {
        let root = URL(fileURLWithPath: localDirectory).standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(atPath: root) else {
            throw S3Error(
                operation: "Sync", bucket: bucket, key: location.prefix, status: nil, code: "LocalFile",
                message: "cannot read \(localDirectory)", fix: "check the directory exists and is readable")
        }
        var entries: [SyncEntry] = []
        while let relative = enumerator.nextObject() as? String {
            if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            let full = root + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            entries.append(SyncEntry(name: relative, path: full))
        }
        let lastSet = Set(last)
        let firstEntries = entries.filter { !lastSet.contains($0.name) }.sorted { $0.name < $1.name }
        let lastEntries = last.compactMap { name in entries.first { $0.name == name } }
        return try push(firstEntries, last: lastEntries, deleteStale: deleteStale)
    }

    /// Uploads the entries whose remote copy is missing or differs, then the `last` ones (in order:
    /// metadata and snapshot pointers, so a reader never sees a snapshot whose files are not all
    /// there), then — with `deleteStale` — deletes remote objects under the prefix that are in
    /// neither list. "Differs": another size; else, for a single-part remote object, an ETag that
    /// is not the file's MD5; else a recorded `sha256` that is not the file's. Running it twice
    /// moves nothing the second time.
    @discardableResult
    package func push(_ entries: [SyncEntry], last: [SyncEntry] = [], deleteStale: Bool = false) throws -> SyncReport {
        var remote: [String: ObjectSummary] = [:]
        for summary in try list() { remote[summary.key] = summary }
        var report = SyncReport()
        for entry in entries + last {
            let digests = try Self.digests(of: entry.path, bucket: bucket, key: key(entry.name))
            if let existing = remote[entry.name], existing.size == digests.size {
                if !existing.etag.contains("-") && existing.etag.lowercased() == digests.md5 {
                    report.unchanged.append(entry.name)
                    continue
                }
                if try client.head(bucket: bucket, key: key(entry.name))?.sha256 == digests.sha256 {
                    report.unchanged.append(entry.name)
                    continue
                }
            }
            let result = try client.upload(file: entry.path, bucket: bucket, key: key(entry.name), sha256: digests.sha256)
            report.uploaded.append(entry.name)
            report.bytesUploaded += result.size
        }
        if deleteStale {
            let keep = Set((entries + last).map(\.name))
            let stale = remote.keys.filter { !keep.contains($0) }.sorted()
            try client.delete(bucket: bucket, keys: stale.map(key))
            report.deleted = stale
        }
        return report
    }

    /// Size, MD5 hex and SHA-256 hex of a file, in one streamed pass.
    static func digests(of path: String, bucket: String, key: String) throws -> (size: Int64, md5: String, sha256: String) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw S3Error(
                operation: "Sync", bucket: bucket, key: key, status: nil, code: "LocalFile", message: "cannot open \(path)", fix: "check the file")
        }
        defer { try? handle.close() }
        var md5 = MD5(), sha = SHA256(), size: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes {
                md5.update($0); sha.update($0)
            }
            size += Int64(chunk.count)
        }
        return (size, SHA256.hexString(md5.finalize()), sha.finalizeHex())
    }
}
