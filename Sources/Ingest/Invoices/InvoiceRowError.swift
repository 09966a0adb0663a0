/// Why one row of an export cannot be read; it goes to quarantine with the file and line.
package struct InvoiceRowError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
