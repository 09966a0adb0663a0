/// A command line the scanner or a command rejected; printed on one line, exit code 2.
package struct UsageError: Error, Equatable, CustomStringConvertible, Sendable {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
