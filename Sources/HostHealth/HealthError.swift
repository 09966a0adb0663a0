/// A health-sampling failure naming the file it concerns, what went wrong and how to fix it.
package struct HealthError: Error, CustomStringConvertible, Sendable, Equatable {
    package var path: String
    package var message: String
    package var fix: String

    package init(path: String, message: String, fix: String) {
        self.path = path
        self.message = message
        self.fix = fix
    }

    package var description: String { "\(path): \(message) (\(fix))" }
}
