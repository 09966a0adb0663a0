import Foundation
import HomeBaseCore

/// A small S3 REST client: signs every request (SigV4, signed payload), retries 5xx, throttling
/// and timeouts with jittered exponential backoff, and turns failures into `S3Error`s that name the
/// object and the fix. Synchronous: one request at a time, for a batch CLI.
package final class S3Client: Sendable {
    /// Our metadata entry holding the object's SHA-256 (`x-amz-meta-sha256`).
    package static let sha256MetadataName = "sha256"

    package let configuration: S3Configuration
    let transport: HTTPTransport
    /// The transport this client made itself, closed when the client goes.
    private let ownTransport: HelperTransport?
    let signer: SigV4Signer
    let now: @Sendable () -> Int64
    let jitter: JitterSource

    /// `transport`: nil for the network helper (`HelperTransport`).
    package init(
        configuration: S3Configuration, transport: HTTPTransport? = nil,
        now: @escaping @Sendable () -> Int64 = { SystemClock.nowMicros() }
    ) {
        self.configuration = configuration
        if let transport {
            self.transport = transport
            ownTransport = nil
        } else {
            let own = HelperTransport()
            self.transport = own
            ownTransport = own
        }
        self.signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region)
        self.now = now
        self.jitter = JitterSource(seed: configuration.retry.seed)
    }

    deinit { ownTransport?.close() }

    // MARK: Addressing

    /// Path-style when configured, and for bucket names that cannot be a TLS host label
    /// (dots break the `*.s3…` wildcard certificate; `_` and uppercase are not DNS labels).
    func usesPathStyle(bucket: String) -> Bool {
        configuration.addressing == .path || bucket.contains("_") || (configuration.scheme == "https" && bucket.contains("."))
    }

    /// The `Host` header value, the encoded path (signed and sent as is) for a bucket and key.
    func address(bucket: String, key: String?) -> (host: String, path: String) {
        let port = configuration.port.map { ":\($0)" } ?? ""
        let encodedKey = key.map { URIEncoding.encode($0, keepSlash: true) }
        if usesPathStyle(bucket: bucket) {
            return (configuration.host + port, "/" + URIEncoding.encode(bucket, keepSlash: false) + (encodedKey.map { "/" + $0 } ?? ""))
        }
        return (bucket + "." + configuration.host + port, "/" + (encodedKey ?? ""))
    }

    // MARK: Requests

    /// A response sink made fresh for each attempt (a retried GET starts its file over).
    typealias SinkFactory = () throws -> (Data) throws -> Void

    /// Signs and sends one request, retrying per `configuration.retry`. Returns the 2xx (or
    /// `accept`ed) response; throws `S3Error` otherwise. `errorIn200`: the operation may answer
    /// 200 with an `<Error>` document (CopyObject, CompleteMultipartUpload), which is a failure.
    @discardableResult
    func perform(
        _ operation: String, method: String, bucket: String, key: String?, query: [(String, String)] = [],
        headers: [(String, String)] = [], body: Data = Data(), sink: SinkFactory? = nil,
        accept: Set<Int> = [], errorIn200: Bool = false
    ) throws -> HTTPResponse {
        let policy = configuration.retry
        let (host, path) = address(bucket: bucket, key: key)
        let queryString = query.map { URIEncoding.encode($0.0, keepSlash: false) + "=" + URIEncoding.encode($0.1, keepSlash: false) }
            .joined(separator: "&")
        let url = "\(configuration.scheme)://\(host)\(path)" + (queryString.isEmpty ? "" : "?" + queryString)
        let payloadHash = body.withUnsafeBytes { raw in
            var hasher = SHA256(); hasher.update(raw); return hasher.finalizeHex()
        }
        var attempt = 0
        while true {
            attempt += 1
            let signed = signer.sign(
                method: method, path: path, query: query, headers: [("host", host)] + headers,
                payloadSHA256: payloadHash, micros: now())
            let request = HTTPRequest(method: method, url: url, headers: signed.headers, body: body)
            let failure: S3Error
            var retryable: Bool
            do {
                let response = try transport.send(request, timeoutSeconds: configuration.timeoutSeconds, sink: try sink?())
                if (200..<300).contains(response.status) || accept.contains(response.status) {
                    guard errorIn200, let root = XMLNode.parse(Array(response.body)), root.name == "Error" else { return response }
                    failure = S3Error(
                        operation: operation, bucket: bucket, key: key, status: response.status, code: root.value("Code"),
                        message: root.value("Message") ?? "", requestID: root.value("RequestId"), attempts: attempt)
                    retryable = true
                } else {
                    failure = Self.error(operation, bucket: bucket, key: key, response: response, attempts: attempt)
                    retryable = RetryPolicy.isRetryable(status: response.status, code: failure.code)
                }
            } catch let transportFailure as TransportFailure {
                failure = S3Error(
                    operation: operation, bucket: bucket, key: key, status: nil, code: nil,
                    message: transportFailure.message + " (\(configuration.endpoint))", attempts: attempt)
                retryable = true
            }
            guard retryable, attempt < policy.maxAttempts else { throw failure }
            policy.sleep(policy.delay(afterAttempt: attempt, unit: jitter.next()))
        }
    }

    /// An `S3Error` from a non-2xx response: code and message from the XML body when there is one
    /// (HEAD has none), the region hint from `x-amz-bucket-region` on a redirect.
    static func error(_ operation: String, bucket: String, key: String?, response: HTTPResponse, attempts: Int) -> S3Error {
        let root = XMLNode.parse(Array(response.body))
        var code = root?.value("Code")
        var message = root?.value("Message") ?? ""
        if code == nil {
            switch response.status {
            case 404: code = key == nil ? "NoSuchBucket" : "NoSuchKey"
            case 403: code = "AccessDenied"
            case 301: code = "PermanentRedirect"
            default: break
            }
        }
        var fix: String?
        if let region = response.headers["x-amz-bucket-region"], [301, 307, 400].contains(response.status) {
            message += message.isEmpty ? "the bucket is in region \(region)" : " (the bucket is in region \(region))"
            fix = "set AWS_REGION or backup.s3.region to \(region)"
        }
        return S3Error(
            operation: operation, bucket: bucket, key: key, status: response.status, code: code, message: message,
            requestID: root?.value("RequestId") ?? response.headers["x-amz-request-id"], attempts: attempts, fix: fix)
    }

    // MARK: Objects

    /// PutObject of an in-memory body, with `Content-MD5` (the server rejects a damaged body) and
    /// `metadata` as `x-amz-meta-*`. Returns the ETag.
    @discardableResult
    package func put(
        bucket: String, key: String, data: Data, contentType: String = "application/octet-stream",
        metadata: [String: String] = [:]
    ) throws -> String {
        var headers: [(String, String)] = [("content-type", contentType), ("content-md5", Self.base64MD5(data))]
        headers += metadata.sorted { $0.key < $1.key }.map { ("x-amz-meta-" + $0.key.lowercased(), $0.value) }
        let response = try perform("PutObject", method: "PUT", bucket: bucket, key: key, headers: headers, body: data)
        return Self.unquote(response.headers["etag"] ?? "")
    }

    /// GetObject into memory (sidecars, manifests; at most 64 MiB).
    package func getData(bucket: String, key: String) throws -> Data {
        try perform("GetObject", method: "GET", bucket: bucket, key: key).body
    }

    /// GetObject streamed to `path` through a temporary file renamed at the end, hashing as it goes.
    /// The byte count must match Content-Length, and the SHA-256 the object's recorded `sha256`
    /// metadata when it has one; otherwise the download is refused and `path` left untouched.
    @discardableResult
    package func download(bucket: String, key: String, to path: String) throws -> DownloadResult {
        let temporary = path + ".download-\(getpid())"
        let writer = StreamingFileWriter(path: temporary)
        defer { writer.close(); try? FileManager.default.removeItem(atPath: temporary) }
        let response = try perform("GetObject", method: "GET", bucket: bucket, key: key, sink: { try writer.restart() })
        let sha256 = try writer.finish()
        let info = Self.info(key: key, headers: response.headers)
        if writer.bytes != info.size {
            throw S3Error(
                operation: "GetObject", bucket: bucket, key: key, status: response.status, code: "IncompleteBody",
                message: "received \(writer.bytes) of \(info.size) bytes", fix: "run again; the connection was cut")
        }
        if let recorded = info.sha256, recorded != sha256 {
            throw S3Error(
                operation: "GetObject", bucket: bucket, key: key, status: response.status, code: "ChecksumMismatch",
                message: "the content's SHA-256 is \(sha256) but the object records \(recorded): the stored object is damaged",
                fix: "upload it again from a good copy")
        }
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
        return DownloadResult(info: info, sha256: sha256)
    }

    /// HeadObject; nil when there is no such object.
    package func head(bucket: String, key: String) throws -> ObjectInfo? {
        let response = try perform("HeadObject", method: "HEAD", bucket: bucket, key: key, accept: [404])
        return response.status == 404 ? nil : Self.info(key: key, headers: response.headers)
    }

    /// DeleteObject (succeeds when the object is already gone).
    package func delete(bucket: String, key: String) throws {
        try perform("DeleteObject", method: "DELETE", bucket: bucket, key: key, accept: [404])
    }

    /// DeleteObjects in batches of 1,000 (the API's limit), each with its Content-MD5. A key the
    /// server could not delete throws, naming it and how many others failed.
    package func delete(bucket: String, keys: [String]) throws {
        var start = 0
        while start < keys.count {
            let batch = keys[start..<min(keys.count, start + 1000)]
            start += batch.count
            let xml =
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet>"
                + batch.map { "<Object><Key>\(XMLNode.escape($0))</Key></Object>" }.joined() + "</Delete>"
            let body = Data(xml.utf8)
            let response = try perform(
                "DeleteObjects", method: "POST", bucket: bucket, key: nil, query: [("delete", "")],
                headers: [("content-type", "application/xml"), ("content-md5", Self.base64MD5(body))], body: body)
            let errors = XMLNode.parse(Array(response.body))?.all("Error") ?? []
            if let first = errors.first {
                throw S3Error(
                    operation: "DeleteObjects", bucket: bucket, key: first.value("Key"), status: response.status, code: first.value("Code"),
                    message: (first.value("Message") ?? "") + (errors.count > 1 ? " (and \(errors.count - 1) more keys)" : ""))
            }
        }
    }

    /// CopyObject inside the bucket (up to 5 GiB, the API's limit for one copy). Metadata is
    /// copied unless `metadata` replaces it.
    package func copy(bucket: String, from source: String, to key: String, metadata: [String: String]? = nil) throws {
        var headers: [(String, String)] = [
            ("x-amz-copy-source", "/" + URIEncoding.encode(bucket, keepSlash: false) + "/" + URIEncoding.encode(source, keepSlash: true))
        ]
        if let metadata {
            headers.append(("x-amz-metadata-directive", "REPLACE"))
            headers += metadata.sorted { $0.key < $1.key }.map { ("x-amz-meta-" + $0.key.lowercased(), $0.value) }
        }
        try perform("CopyObject", method: "PUT", bucket: bucket, key: key, headers: headers, errorIn200: true)
    }

    /// ListObjectsV2 of every key under `prefix`, following continuation tokens; `pageSize` is
    /// `max-keys` (the server's cap is 1,000).
    package func list(bucket: String, prefix: String, pageSize: Int = 1000) throws -> [ObjectSummary] {
        var result: [ObjectSummary] = []
        var token: String?
        repeat {
            var query: [(String, String)] = [("list-type", "2"), ("prefix", prefix), ("max-keys", String(pageSize))]
            if let token { query.append(("continuation-token", token)) }
            let response = try perform("ListObjectsV2", method: "GET", bucket: bucket, key: nil, query: query)
            guard let root = XMLNode.parse(Array(response.body)), root.name == "ListBucketResult" else {
                throw S3Error(
                    operation: "ListObjectsV2", bucket: bucket, key: nil, status: response.status, code: "MalformedXML",
                    message: "the listing is not a ListBucketResult document", fix: "check that the endpoint is an S3 API endpoint")
            }
            for entry in root.all("Contents") {
                guard let key = entry.value("Key"), let size = Int64(entry.value("Size") ?? "") else { continue }
                result.append(
                    ObjectSummary(
                        key: key, size: size, etag: Self.unquote(entry.value("ETag") ?? ""), lastModified: entry.value("LastModified") ?? ""))
            }
            token = root.value("IsTruncated") == "true" ? root.value("NextContinuationToken") : nil
        } while token != nil
        return result
    }

    // MARK: Helpers

    static func base64MD5(_ data: Data) -> String {
        var md5 = MD5()
        data.withUnsafeBytes { md5.update($0) }
        return Data(md5.finalize()).base64EncodedString()
    }

    static func unquote(_ etag: String) -> String {
        etag.count >= 2 && etag.hasPrefix("\"") && etag.hasSuffix("\"") ? String(etag.dropFirst().dropLast()) : etag
    }

    static func info(key: String, headers: [String: String]) -> ObjectInfo {
        var metadata: [String: String] = [:]
        for (name, value) in headers where name.hasPrefix("x-amz-meta-") { metadata[String(name.dropFirst(11))] = value }
        return ObjectInfo(
            key: key, size: Int64(headers["content-length"] ?? "") ?? 0, etag: unquote(headers["etag"] ?? ""),
            lastModified: headers["last-modified"], contentType: headers["content-type"], metadata: metadata)
    }
}
