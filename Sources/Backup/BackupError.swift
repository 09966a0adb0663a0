/// A backup, verify, restore or prune failure: the file concerned (archive, entry or directory)
/// and what went wrong, phrased so the operator knows what to do next.
package struct BackupError: Error, CustomStringConvertible, Sendable, Equatable {
    package var file: String
    package var message: String

    package init(_ file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    package var description: String { "\(file): \(message)" }
}
