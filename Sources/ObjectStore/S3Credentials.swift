/// An access key pair (plus the session token of temporary credentials). Printing it shows the
/// last four characters of the key id, as `aws configure list` does, and never the secret.
package struct S3Credentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package var accessKeyID: String
    package var secretAccessKey: Secret
    package var sessionToken: Secret?

    package init(accessKeyID: String, secretAccessKey: Secret, sessionToken: Secret? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// `****ABCD`: enough to tell keys apart in a message.
    package var maskedKeyID: String { String(repeating: "*", count: max(0, min(accessKeyID.count - 4, 12))) + accessKeyID.suffix(4) }

    package var description: String {
        "S3Credentials(access key id \(maskedKeyID), secret <redacted>" + (sessionToken == nil ? ")" : ", session token <redacted>)")
    }
    package var debugDescription: String { description }
    package var customMirror: Mirror { Mirror(self, children: ["accessKeyID": maskedKeyID], displayStyle: .struct) }
}
