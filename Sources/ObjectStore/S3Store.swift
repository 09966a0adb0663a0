import Foundation
import HomeBaseCore

/// A client bound to one `s3://bucket/prefix`: names are relative to the prefix. Adds the
/// "complete only" rule backups need — an object counts only once its `<name>.sha256` marker
/// (`sha256sum` format, like the local backup sidecar) exists, and the marker is written after the
/// object — plus the lake mirror's `sync` and doctor's `probe`.
package struct S3Store: Sendable {
    package let location: S3Location
    package let client: S3Client
    /// Suffix of the completion marker beside each complete object.
    package static let markerSuffix = ".sha256"

    package init(location: S3Location, client: S3Client) {
        self.location = location
        self.client = client
    }

    /// A store from the environment and the config's `backup.s3`, with the network helper as transport.
    package init(location: S3Location, settings: S3Settings?, environment: [String: String]) throws(S3ConfigurationError) {
        self.init(location: location, client: S3Client(configuration: try S3Configuration.resolve(settings: settings, environment: environment)))
    }

    package var bucket: String { location.bucket }
    package func key(_ name: String) -> String { location.key(name) }

    // MARK: Complete-only objects

    /// Uploads `file` as `name` (multipart above the threshold), then writes the `name.sha256`
    /// marker. S3 shows neither a half-written PutObject nor an unfinished multipart upload, and the
    /// marker is written last, so a reader that requires it (`completeObjects`) never takes an
    /// interrupted upload for a finished one.
    /// `sidecars` (suffix → bytes, e.g. `.manifest.json` → the backup manifest) are uploaded
    /// between the object and the marker, as `name + suffix`, so they too are there once it counts.
    @discardableResult
    package func putComplete(
        file: String, as name: String, sha256: String? = nil, metadata: [String: String] = [:],
        sidecars: [String: Data] = [:]
    ) throws -> UploadResult {
        let result = try client.upload(file: file, bucket: bucket, key: key(name), metadata: metadata, sha256: sha256)
        for (suffix, data) in sidecars.sorted(by: { $0.key < $1.key }) {
            try client.put(bucket: bucket, key: key(name + suffix), data: data, metadata: [S3Client.sha256MetadataName: SHA256.hex(Array(data))])
        }
        try client.put(bucket: bucket, key: key(name + Self.markerSuffix), data: Data("\(result.sha256)  \(name)\n".utf8), contentType: "text/plain")
        return result
    }

    /// The recorded SHA-256 in `name`'s marker, or nil when the object is not complete.
    package func markerDigest(_ name: String) throws -> String? {
        do {
            let text = String(decoding: try client.getData(bucket: bucket, key: key(name + Self.markerSuffix)), as: UTF8.self)
            let digest = String(text.prefix(64))
            return digest.count == 64 && digest.allSatisfy(\.isHexDigit) ? digest : nil
        } catch let error as S3Error where error.isNotFound {
            return nil
        }
    }

    /// Every object directly or deeper under the prefix, names relative to it.
    package func list() throws -> [ObjectSummary] {
        try client.list(bucket: bucket, prefix: location.listPrefix).compactMap { summary in
            location.name(ofKey: summary.key).map {
                ObjectSummary(key: $0, size: summary.size, etag: summary.etag, lastModified: summary.lastModified)
            }
        }
    }

    /// Objects (names relative to the prefix) whose completion marker exists; markers themselves
    /// are left out.
    package func completeObjects() throws -> [ObjectSummary] {
        let all = try list()
        let names = Set(all.map(\.key))
        return all.filter { !$0.key.hasSuffix(Self.markerSuffix) && names.contains($0.key + Self.markerSuffix) }
    }

    /// Deletes `name`'s marker first (so the object stops counting before it goes), then the
    /// object and the given sidecar suffixes.
    package func deleteComplete(_ name: String, sidecars: [String] = []) throws {
        try client.delete(bucket: bucket, key: key(name + Self.markerSuffix))
        try client.delete(bucket: bucket, keys: ([name] + sidecars.map { name + $0 }).map(key))
    }

    /// A small object (sidecar, manifest, `.verified` note) by name; nil when it does not exist.
    package func data(_ name: String) throws -> Data? {
        do { return try client.getData(bucket: bucket, key: key(name)) } catch let error as S3Error where error.isNotFound { return nil }
    }

    /// Writes a small object by name, its SHA-256 recorded.
    package func put(_ name: String, data: Data, contentType: String = "application/octet-stream") throws {
        try client.put(
            bucket: bucket, key: key(name), data: data, contentType: contentType, metadata: [S3Client.sha256MetadataName: SHA256.hex(Array(data))])
    }

    /// Brings complete object `name` into local `directory` with a `<name>.sha256` sidecar in
    /// `sha256sum` format — the layout of a local backup directory, so the local backup code can
    /// list, verify and restore from it. Skips the download when the local sidecar already holds
    /// the marker's digest and the file has the remote size. Returns the local path and whether it
    /// was downloaded; throws when `name` is not complete.
    @discardableResult
    package func fetchComplete(_ name: String, into directory: String) throws -> (path: String, downloaded: Bool) {
        guard let marker = try markerDigest(name) else {
            throw S3Error(
                operation: "GetObject", bucket: bucket, key: key(name), status: nil, code: "Incomplete",
                message: "no \(name)\(Self.markerSuffix) marker: the upload never finished", fix: "list the location and pick a complete object")
        }
        let path = directory + "/" + name
        let sidecar = path + Self.markerSuffix
        let local = (try? String(contentsOfFile: sidecar, encoding: .utf8)).map { String($0.prefix(64)) }
        let localSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value
        if local == marker, let localSize, try client.head(bucket: bucket, key: key(name))?.size == localSize {
            return (path, false)
        }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: sidecar)
        try? FileManager.default.removeItem(atPath: path)
        try download(name, to: path)
        try AtomicFile.write(Data("\(marker)  \(name)\n".utf8), to: sidecar)
        return (path, true)
    }

    /// Downloads `name` to `path`, checking the bytes against the object's recorded SHA-256 and,
    /// when present, its marker. Returns the SHA-256 of the bytes written.
    @discardableResult
    package func download(_ name: String, to path: String) throws -> String {
        let marker = try markerDigest(name)
        let result = try client.download(bucket: bucket, key: key(name), to: path)
        if let marker, marker != result.sha256 {
            try? FileManager.default.removeItem(atPath: path)
            throw S3Error(
                operation: "GetObject", bucket: bucket, key: key(name), status: 200, code: "ChecksumMismatch",
                message: "the content's SHA-256 is \(result.sha256) but \(name)\(Self.markerSuffix) records \(marker): the stored object is damaged",
                fix: "restore from another backup, or upload it again from a good copy")
        }
        return result.sha256
    }
}
