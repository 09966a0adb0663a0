import HomeBaseCore
/// A report could not be rendered: says what was wrong and, where it helps, what to do.
package struct RenderError: Error, Equatable, CustomStringConvertible, Sendable {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
