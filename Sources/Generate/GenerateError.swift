/// Why generation failed: which path, what the system said, and what to do about it.
package struct GenerateError: Error, CustomStringConvertible, Sendable {
    package var path: String
    package var message: String

    package init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    package var description: String { "\(path): \(message)" }
}
