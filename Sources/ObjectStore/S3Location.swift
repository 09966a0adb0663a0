/// `s3://bucket/prefix`: a bucket and a key prefix inside it (no leading or trailing `/`; empty
/// for the bucket's root). `key(_:)` joins names under the prefix.
package struct S3Location: Sendable, Hashable, CustomStringConvertible {
    package var bucket: String
    package var prefix: String

    package init(bucket: String, prefix: String = "") {
        self.bucket = bucket
        self.prefix = prefix
    }

    /// Parses `s3://bucket[/prefix[/]]`, checking the bucket name (3–63 of `a-z 0-9 . -`, or `_` for
    /// GCS, starting and ending with a letter or digit) and the prefix (no `.`/`..` segments, no
    /// empty segments, no `?`/`#`, which would be lost or changed on the way to the server).
    package init(parsing text: String) throws(UnsupportedLocation) {
        guard text.lowercased().hasPrefix("s3://") else { throw UnsupportedLocation(text: text, reason: "not an s3:// URL") }
        let rest = text.dropFirst(5)
        let bucket = String(rest.prefix { $0 != "/" })
        var prefix = String(rest.dropFirst(bucket.count))
        while prefix.hasPrefix("/") { prefix.removeFirst() }
        while prefix.hasSuffix("/") { prefix.removeLast() }
        if bucket.isEmpty { throw UnsupportedLocation(text: text, reason: "no bucket name; write s3://bucket/prefix") }
        let allowed = bucket.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-" || $0 == "_" }
        let edges = [bucket.unicodeScalars.first, bucket.unicodeScalars.last].allSatisfy { scalar in
            scalar.map { ("a"..."z").contains($0) || ("0"..."9").contains($0) } ?? false
        }
        guard allowed, edges, (3...222).contains(bucket.count) else {
            throw UnsupportedLocation(
                text: text,
                reason:
                    "'\(bucket)' is not a valid bucket name (3-63 lowercase letters, digits, '.', '-'; starting and ending with a letter or digit)")
        }
        if prefix.contains("?") || prefix.contains("#") {
            throw UnsupportedLocation(text: text, reason: "the prefix may not contain '?' or '#'")
        }
        if !prefix.isEmpty, prefix.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0.isEmpty || $0 == "." || $0 == ".." })
        {
            throw UnsupportedLocation(text: text, reason: "the prefix may not contain empty, '.' or '..' segments")
        }
        self.bucket = bucket
        self.prefix = prefix
    }

    /// The object key of `name` under the prefix.
    package func key(_ name: String) -> String { prefix.isEmpty ? name : prefix + "/" + name }

    /// The prefix to list this location's objects with (`prefix/`, or empty at the bucket root).
    package var listPrefix: String { prefix.isEmpty ? "" : prefix + "/" }

    /// The name of `key` relative to this location, if it lies under it.
    package func name(ofKey key: String) -> String? {
        guard key.hasPrefix(listPrefix), key.count > listPrefix.count else { return nil }
        return String(key.dropFirst(listPrefix.count))
    }

    /// A location one level deeper: `s3://bucket/prefix/sub`.
    package func appending(_ sub: String) -> S3Location { S3Location(bucket: bucket, prefix: key(sub)) }

    package var description: String { "s3://" + bucket + (prefix.isEmpty ? "" : "/" + prefix) }

    /// `s3://bucket/key` for messages.
    package func url(ofKey key: String) -> String { "s3://\(bucket)/\(key)" }
}
