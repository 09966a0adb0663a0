/// A failed S3 operation, with what was asked (operation, bucket, key), what came back (HTTP
/// status, S3 error code and message, request id) and what to do about it. Never holds a secret:
/// S3 error documents carry the access key id and string to sign at most, and only the code and
/// message are kept.
package struct S3Error: Error, Sendable, CustomStringConvertible {
    package var operation: String
    package var bucket: String
    package var key: String?
    /// nil when no HTTP response arrived.
    package var status: Int?
    package var code: String?
    package var message: String
    package var requestID: String?
    package var attempts: Int
    package var fix: String

    package init(
        operation: String, bucket: String, key: String?, status: Int?, code: String?, message: String,
        requestID: String? = nil, attempts: Int = 1, fix: String? = nil
    ) {
        self.operation = operation
        self.bucket = bucket
        self.key = key
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
        self.attempts = attempts
        self.fix = fix ?? S3Error.fix(status: status, code: code)
    }

    /// The object or bucket as an `s3://` URL.
    package var location: String { "s3://\(bucket)" + (key.map { "/" + $0 } ?? "") }

    /// The object does not exist (GET/HEAD of a missing key).
    package var isNotFound: Bool { status == 404 && (code == nil || code == "NoSuchKey" || code == "NotFound") }

    package var description: String {
        var text = "\(location): \(operation) failed: " + (status.map { "HTTP \($0)" } ?? "no response")
        if let code { text += " \(code)" }
        if !message.isEmpty { text += ": \(message)" }
        if attempts > 1 { text += " (after \(attempts) attempts)" }
        if let requestID { text += " [request id \(requestID)]" }
        return text + "; fix: " + fix
    }

    /// What to do, by S3 error code, then by status.
    static func fix(status: Int?, code: String?) -> String {
        switch code ?? "" {
        case "InvalidAccessKeyId":
            return "the access key id is not known to this endpoint: check AWS_ACCESS_KEY_ID / backup.s3.access_key_id and the endpoint"
        case "SignatureDoesNotMatch":
            return
                "the secret access key does not belong to the key id: check AWS_SECRET_ACCESS_KEY / backup.s3.secret_access_key_env (and the region)"
        case "AccessDenied", "AllAccessDisabled":
            return "the key may not do this: grant s3:ListBucket, s3:GetObject, s3:PutObject, s3:DeleteObject on the bucket and prefix"
        case "NoSuchBucket": return "the bucket does not exist at this endpoint: create it or fix the s3:// URL"
        case "NoSuchKey": return "the object is not there: list the location to see what is"
        case "PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException", "TemporaryRedirect":
            return "the bucket is in another region: set AWS_REGION or backup.s3.region to it"
        case "RequestTimeTooSkewed": return "the system clock is off by more than 15 minutes: fix it (NTP)"
        case "ExpiredToken", "TokenRefreshRequired", "InvalidToken": return "the session token expired: refresh AWS_SESSION_TOKEN"
        case "BadDigest", "XAmzContentSHA256Mismatch", "InvalidDigest": return "the upload was damaged on the way: run again"
        case "EntityTooSmall": return "a multipart part is below the service's minimum: raise the part size"
        case "SlowDown", "Throttling", "TooManyRequests": return "the service is throttling: run again later"
        default: break
        }
        switch status {
        case nil: return "check the endpoint URL (AWS_ENDPOINT_URL_S3 / backup.s3.endpoint) and the network"
        case 301?, 307?: return "the bucket is in another region or needs another addressing style: set AWS_REGION or backup.s3.path_style"
        case 403?: return "check the credentials and the key's permissions on the bucket"
        case 404?: return "check the bucket name and the endpoint"
        case let status? where status >= 500: return "the service failed: run again later"
        default: return "see the S3 error code in the service's documentation"
        }
    }
}
