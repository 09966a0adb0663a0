/// A secret string (an S3 secret access key or session token) whose every printed form — string
/// interpolation, `debugDescription`, `dump`, `Mirror` — is `<redacted>`, so it cannot end up in
/// an error, a log line or a test failure message by accident. Only the signer reads `value`.
package struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let value: String

    package init(_ value: String) { self.value = value }

    package var isEmpty: Bool { value.isEmpty }
    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
    package var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
