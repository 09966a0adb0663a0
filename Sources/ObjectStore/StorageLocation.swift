/// Where a backup directory or lake mirror lives, parsed from what the user typed: a local path
/// (passed through untouched) or `s3://bucket/prefix`. Any other `scheme://` is refused, so a URL
/// is never silently taken as a relative directory named `s3:` or `gs:`.
package enum StorageLocation: Sendable, Equatable, CustomStringConvertible {
    case local(String)
    case s3(S3Location)

    /// Parses a location. `file:///abs/path` is a local path; `s3://` is S3; another scheme, or a
    /// mangled `s3:/x` (one slash), throws `UnsupportedLocation` with a one-line reason.
    package static func parse(_ text: String) throws(UnsupportedLocation) -> StorageLocation {
        guard let scheme = Self.scheme(of: text) else { return .local(text) }
        let rest = String(text.dropFirst(scheme.count + 1))
        switch scheme.lowercased() {
        case "s3":
            guard rest.hasPrefix("//") else {
                throw UnsupportedLocation(text: text, reason: "an S3 location is written s3://bucket/prefix (two slashes)")
            }
            return .s3(try S3Location(parsing: text))
        case "file":
            guard rest.hasPrefix("///") else {
                throw UnsupportedLocation(text: text, reason: "a file URL must be file:///absolute/path; or give the path itself")
            }
            return .local(String(rest.dropFirst(2)))
        case "gs", "gcs":
            throw UnsupportedLocation(
                text: text,
                reason:
                    "gs:// is not supported; use Google Cloud Storage through its S3 endpoint: s3://bucket with AWS_ENDPOINT_URL_S3=https://storage.googleapis.com and HMAC keys (see docs/s3.md)"
            )
        case "http", "https":
            throw UnsupportedLocation(
                text: text,
                reason:
                    "\(scheme):// is not a storage location; give s3://bucket/prefix and put the endpoint in AWS_ENDPOINT_URL_S3 or backup.s3.endpoint"
            )
        default:
            throw UnsupportedLocation(text: text, reason: "the \(scheme): scheme is not supported; use a local directory or s3://bucket/prefix")
        }
    }

    /// The RFC 3986 scheme when `text` starts with `scheme:/` (letters, digits, `+-.`), else nil.
    /// A single letter is not taken as a scheme (it could be a drive letter), nor is `./s3:/x`.
    static func scheme(of text: String) -> String? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let candidate = text[..<colon]
        guard candidate.count >= 2, let first = candidate.unicodeScalars.first, first.isASCIILetter,
            candidate.unicodeScalars.allSatisfy({ $0.isASCIILetter || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0) })
        else { return nil }
        guard text[text.index(after: colon)...].hasPrefix("/") else { return nil }
        return String(candidate)
    }

    package var description: String {
        switch self {
        case .local(let path): return path
        case .s3(let location): return location.description
        }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
