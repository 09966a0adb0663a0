/// What HEAD or GET says about an object: size, ETag, last-modified, and `x-amz-meta-*` metadata
/// (names lowercased, without the prefix). `sha256` is our own metadata: the whole object's
/// SHA-256, which every upload through `S3Client.upload` records.
package struct ObjectInfo: Sendable, Equatable {
    package var key: String
    package var size: Int64
    /// Without the quotes. The MD5 hex of a single-part upload; `<hex>-<parts>` for multipart.
    package var etag: String
    package var lastModified: String?
    package var contentType: String?
    package var metadata: [String: String]

    package init(key: String, size: Int64, etag: String, lastModified: String? = nil, contentType: String? = nil, metadata: [String: String] = [:]) {
        self.key = key
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
        self.contentType = contentType
        self.metadata = metadata
    }

    /// The recorded SHA-256 of the content, if the uploader set one.
    package var sha256: String? { metadata[S3Client.sha256MetadataName] }
}

/// One entry of a listing (ListObjectsV2 `Contents`).
package struct ObjectSummary: Sendable, Equatable {
    package var key: String
    package var size: Int64
    package var etag: String
    package var lastModified: String

    package init(key: String, size: Int64, etag: String, lastModified: String) {
        self.key = key
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
    }
}

/// What an upload did.
package struct UploadResult: Sendable, Equatable {
    package var key: String
    package var size: Int64
    package var sha256: String
    package var etag: String
    /// 0 for a single PutObject, else the number of multipart parts.
    package var parts: Int
}

/// What a download did: the object's info and the SHA-256 of the bytes written.
package struct DownloadResult: Sendable, Equatable {
    package var info: ObjectInfo
    package var sha256: String
}
