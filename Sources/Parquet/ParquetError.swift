/// A Parquet file that cannot be written or read: names the file, what is wrong and, when known,
/// the byte offset. Readers never crash on bad input; every decoding failure ends up here.
package struct ParquetError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file concerned (empty while a leaf decoder has not been told which file it reads).
    package var path: String
    /// What is wrong, in words an operator can act on.
    package var message: String
    /// Absolute byte offset in the file, when known.
    package var offset: Int?

    package init(path: String = "", _ message: String, offset: Int? = nil) {
        self.path = path
        self.message = message
        self.offset = offset
    }

    package var description: String {
        var text = path.isEmpty ? "parquet: \(message)" : "\(path): \(message)"
        if let offset { text += " (at byte \(offset))" }
        return text
    }

    /// The same error attributed to `path` (and `offset` when it had none).
    func located(path: String, offset: Int? = nil) -> ParquetError {
        var copy = self
        if copy.path.isEmpty { copy.path = path }
        if copy.offset == nil { copy.offset = offset }
        return copy
    }
}

/// `withUnsafeBytes` for decoders that throw only `ParquetError` (the standard one rethrows `any Error`).
func withRawBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(ParquetError) -> R) throws(ParquetError) -> R {
    var failure: ParquetError?
    let result: R? = bytes.withUnsafeBytes { raw in
        do throws(ParquetError) { return try body(raw) } catch { failure = error; return nil }
    }
    if let failure { throw failure }
    return result!
}
