/// A failed SQLite call: the result code, SQLite's message, and what we were doing.
package struct SQLiteError: Error, CustomStringConvertible, Sendable {
    package var code: Int32
    package var message: String
    package var context: String

    package var description: String { "\(context): \(message) (sqlite code \(code))" }
}
