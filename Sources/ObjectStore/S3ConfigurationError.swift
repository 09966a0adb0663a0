/// Why no S3 configuration could be built (missing credentials, a bad endpoint), with the fix.
/// Never contains a secret: only variable names, file paths and the endpoint.
package struct S3ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    package var fix: String

    package init(_ message: String, fix: String) {
        self.message = message
        self.fix = fix
    }

    package var description: String { "\(message): \(fix)" }
}
