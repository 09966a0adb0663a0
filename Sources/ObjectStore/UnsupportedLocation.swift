/// A location string that is a URL this program cannot store to (`gs://`, `http://`, `ftp://`,
/// a malformed `s3://`). The CLI maps it to exit 2 (usage) with `description` as the one line.
package struct UnsupportedLocation: Error, Sendable, Equatable, CustomStringConvertible {
    package var text: String
    package var reason: String

    package init(text: String, reason: String) {
        self.text = text
        self.reason = reason
    }

    package var description: String { "'\(text)': \(reason)" }
}
