/// A compression or decompression failure: the stream concerned (a file, archive or "zlib") and
/// what went wrong, phrased so the caller can pass it on unchanged.
package struct CodecError: Error, CustomStringConvertible, Sendable, Equatable {
    package var name: String
    package var message: String

    package init(_ name: String, _ message: String) {
        self.name = name
        self.message = message
    }

    package var description: String { "\(name): \(message)" }
}
