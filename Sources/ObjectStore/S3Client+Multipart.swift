import Foundation
import HomeBaseCore

extension S3Client {
    /// CreateMultipartUpload; returns the upload id. Metadata is fixed here, for the whole object.
    package func createMultipartUpload(
        bucket: String, key: String, contentType: String = "application/octet-stream",
        metadata: [String: String] = [:]
    ) throws -> String {
        var headers: [(String, String)] = [("content-type", contentType)]
        headers += metadata.sorted { $0.key < $1.key }.map { ("x-amz-meta-" + $0.key.lowercased(), $0.value) }
        let response = try perform("CreateMultipartUpload", method: "POST", bucket: bucket, key: key, query: [("uploads", "")], headers: headers)
        guard let id = XMLNode.parse(Array(response.body))?.value("UploadId"), !id.isEmpty else {
            throw S3Error(
                operation: "CreateMultipartUpload", bucket: bucket, key: key, status: response.status, code: "MalformedXML",
                message: "no UploadId in the answer", fix: "check that the endpoint supports multipart uploads")
        }
        return id
    }

    /// UploadPart `number` (1…10,000) with its Content-MD5; returns the part's ETag.
    package func uploadPart(bucket: String, key: String, uploadID: String, number: Int, data: Data) throws -> String {
        let response = try perform(
            "UploadPart", method: "PUT", bucket: bucket, key: key,
            query: [("partNumber", String(number)), ("uploadId", uploadID)],
            headers: [("content-md5", Self.base64MD5(data))], body: data)
        guard let etag = response.headers["etag"] else {
            throw S3Error(
                operation: "UploadPart", bucket: bucket, key: key, status: response.status, code: nil,
                message: "part \(number) answered without an ETag", fix: "check that the endpoint supports multipart uploads")
        }
        return Self.unquote(etag)
    }

    /// CompleteMultipartUpload with the parts' ETags in order; returns the object's ETag. Until
    /// this succeeds the object does not exist: a listing never shows a partial upload.
    @discardableResult
    package func completeMultipartUpload(bucket: String, key: String, uploadID: String, etags: [String]) throws -> String {
        let xml =
            "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            + etags.enumerated().map { "<Part><PartNumber>\($0.offset + 1)</PartNumber><ETag>\"\(XMLNode.escape($0.element))\"</ETag></Part>" }
            .joined()
            + "</CompleteMultipartUpload>"
        let response = try perform(
            "CompleteMultipartUpload", method: "POST", bucket: bucket, key: key, query: [("uploadId", uploadID)],
            headers: [("content-type", "application/xml")], body: Data(xml.utf8), errorIn200: true)
        return Self.unquote(XMLNode.parse(Array(response.body))?.value("ETag") ?? "")
    }

    /// AbortMultipartUpload: frees the parts stored so far.
    package func abortMultipartUpload(bucket: String, key: String, uploadID: String) throws {
        try perform("AbortMultipartUpload", method: "DELETE", bucket: bucket, key: key, query: [("uploadId", uploadID)], accept: [404])
    }

    /// Uploads a file, recording its SHA-256 as `x-amz-meta-sha256` (pass `sha256` when already
    /// known, else the file is read once to hash it). Below `multipartThreshold` one PutObject;
    /// otherwise a multipart upload read one part at a time, so memory stays near `partSize`
    /// whatever the file size. The file is hashed again while it is sent: if it changed since, the
    /// upload is aborted rather than recording a wrong checksum. Any failure aborts the upload.
    @discardableResult
    package func upload(
        file path: String, bucket: String, key: String, contentType: String = "application/octet-stream",
        metadata: [String: String] = [:], sha256 known: String? = nil
    ) throws -> UploadResult {
        let fail = { (message: String) in
            S3Error(
                operation: "PutObject", bucket: bucket, key: key, status: nil, code: "LocalFile", message: message,
                fix: "check the local file \(path)")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw fail("cannot open \(path)") }
        defer { try? handle.close() }
        let partSize = max(1, configuration.partSize)
        var readHash = SHA256()
        var size: Int64 = 0
        func readChunk(_ count: Int) throws -> Data {
            let data = try handle.read(upToCount: count) ?? Data()
            data.withUnsafeBytes { readHash.update($0) }
            size += Int64(data.count)
            return data
        }
        let sha256: String
        if let known {
            sha256 = known
        } else {
            while try !readChunk(partSize).isEmpty {}
            sha256 = readHash.finalizeHex()
            try handle.seek(toOffset: 0)
            readHash = SHA256()
            size = 0
        }
        var allMetadata = metadata
        allMetadata[Self.sha256MetadataName] = sha256
        let fileSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0

        if fileSize < Int64(configuration.multipartThreshold) {
            let data = try readChunk(configuration.multipartThreshold)
            guard try handle.read(upToCount: 1)?.isEmpty ?? true else { throw fail("\(path) grew while it was read") }
            guard readHash.finalizeHex() == sha256 else { throw fail("\(path) changed since its SHA-256 was taken") }
            let etag = try put(bucket: bucket, key: key, data: data, contentType: contentType, metadata: allMetadata)
            return UploadResult(key: key, size: size, sha256: sha256, etag: etag, parts: 0)
        }

        let uploadID = try createMultipartUpload(bucket: bucket, key: key, contentType: contentType, metadata: allMetadata)
        do {
            var etags: [String] = []
            while true {
                let data = try readChunk(partSize)
                if data.isEmpty && !etags.isEmpty { break }
                guard etags.count < 10_000 else { throw fail("more than 10,000 parts: raise the part size") }
                etags.append(try uploadPart(bucket: bucket, key: key, uploadID: uploadID, number: etags.count + 1, data: data))
                if data.count < partSize { break }
            }
            guard readHash.finalizeHex() == sha256 else { throw fail("\(path) changed since its SHA-256 was taken") }
            let etag = try completeMultipartUpload(bucket: bucket, key: key, uploadID: uploadID, etags: etags)
            return UploadResult(key: key, size: size, sha256: sha256, etag: etag, parts: etags.count)
        } catch {
            try? abortMultipartUpload(bucket: bucket, key: key, uploadID: uploadID)
            throw error
        }
    }
}
