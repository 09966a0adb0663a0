import Codecs

/// A report could not be rendered: says what was wrong and, where it helps, what to do.
package struct RenderError: Error, Equatable, CustomStringConvertible, Sendable {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

extension RenderError {
    /// A zlib failure while packing a stream or ZIP entry.
    init(_ codec: CodecError) { self.init(codec.description) }
}

extension Zlib {
    /// Deflate for the renderers: a zlib failure becomes a `RenderError`.
    static func pack(_ data: [UInt8], framing: Framing) throws(RenderError) -> [UInt8] {
        do throws(CodecError) { return try deflate(data, framing: framing) } catch { throw RenderError(error) }
    }
}
