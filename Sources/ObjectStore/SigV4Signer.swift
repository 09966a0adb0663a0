import HomeBaseCore

/// AWS Signature Version 4 for S3 (header form): canonical request → string to sign → HMAC chain
/// of date, region, service → signature in the `Authorization` header. The payload hash is always
/// the body's real SHA-256 (never UNSIGNED-PAYLOAD), so the server also checks the body arrived
/// intact. Pure: the time is a parameter. Checked against botocore and AWS's documented example.
package struct SigV4Signer: Sendable {
    package var credentials: S3Credentials
    package var region: String
    package var service = "s3"

    package init(credentials: S3Credentials, region: String) {
        self.credentials = credentials
        self.region = region
    }

    /// What is signed and how, kept for tests and for debugging a SignatureDoesNotMatch.
    package struct Signed: Sendable {
        package var canonicalRequest: String
        package var stringToSign: String
        package var signedHeaders: String
        package var signature: String
        /// Every header to send: the caller's plus `x-amz-date`, `x-amz-content-sha256`,
        /// `x-amz-security-token` (temporary credentials) and `authorization`.
        package var headers: [(String, String)]
    }

    /// Signs a request. `path` is the already URI-encoded path (`/bucket/key` or `/key`),
    /// `query` the decoded name/value pairs, `headers` must include `host`.
    package func sign(
        method: String, path: String, query: [(String, String)], headers: [(String, String)],
        payloadSHA256: String, micros: Int64
    ) -> Signed {
        let amzDate = Self.amzDate(micros: micros)
        let day = String(amzDate.prefix(8))
        var all = headers.filter { !["x-amz-date", "x-amz-content-sha256", "x-amz-security-token", "authorization"].contains($0.0.lowercased()) }
        all.append(("x-amz-date", amzDate))
        all.append(("x-amz-content-sha256", payloadSHA256))
        if let token = credentials.sessionToken { all.append(("x-amz-security-token", token.value)) }

        var canonicalHeaders: [String: String] = [:]
        for (name, value) in all {
            let trimmed = Self.trimHeaderValue(value)
            let lower = name.lowercased()
            canonicalHeaders[lower] = canonicalHeaders[lower].map { $0 + "," + trimmed } ?? trimmed
        }
        let names = canonicalHeaders.keys.sorted()
        let signedHeaders = names.joined(separator: ";")
        let canonicalQuery = query.map { (URIEncoding.encode($0.0, keepSlash: false), URIEncoding.encode($0.1, keepSlash: false)) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        let canonicalRequest = [
            method, path, canonicalQuery, names.map { "\($0):\(canonicalHeaders[$0] ?? "")\n" }.joined(),
            signedHeaders, payloadSHA256
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, SHA256.hex(Array(canonicalRequest.utf8))].joined(separator: "\n")
        let signature = SHA256.hexString(HMAC.sha256(key: signingKey(day: day), message: Array(stringToSign.utf8)))
        all.append(
            ("authorization", "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope),SignedHeaders=\(signedHeaders),Signature=\(signature)")
        )
        return Signed(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signedHeaders: signedHeaders, signature: signature, headers: all)
    }

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
    func signingKey(day: String) -> [UInt8] {
        var key = HMAC.sha256(key: Array(("AWS4" + credentials.secretAccessKey.value).utf8), message: Array(day.utf8))
        for part in [region, service, "aws4_request"] { key = HMAC.sha256(key: key, message: Array(part.utf8)) }
        return key
    }

    /// `YYYYMMDDTHHMMSSZ` for epoch microseconds.
    package static func amzDate(micros: Int64) -> String {
        let iso = UTCDate.isoString(micros: micros)  // YYYY-MM-DDTHH:MM:SS.ffffffZ
        return iso.prefix(19).filter { $0 != "-" && $0 != ":" } + "Z"
    }

    /// Leading/trailing spaces dropped and runs of spaces collapsed to one, as SigV4 requires.
    static func trimHeaderValue(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ").trimmingSpacesAndTabs()
    }
}

extension String {
    fileprivate func trimmingSpacesAndTabs() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
