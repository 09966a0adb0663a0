/// How `ParquetWriter` lays out a file; every field has a sensible default.
package struct WriterOptions: Sendable {
    package var codec: CompressionCodec = .snappy
    /// Flush a row group when the buffered rows' PLAIN-encoded size passes this.
    package var rowGroupBytes: Int = 64 << 20
    /// Target size of one data page's values before compression.
    package var pageBytes: Int = 1 << 20
    /// A dictionary whose PLAIN page passes this size stops growing; later values are written PLAIN.
    package var dictionaryPageLimit: Int = 1 << 20
    /// Footer key/value pairs, written in this order.
    package var keyValueMetadata: [(String, String)] = []
    package var createdBy: String = "homebase"
    /// Encode the columns of a row group on several threads.
    package var parallel: Bool = true
    /// fsync the file on close. A caller that writes many files and makes them durable with one
    /// `sync()` before it publishes them turns this off.
    package var fsyncOnClose: Bool = true

    package init(
        codec: CompressionCodec = .snappy, rowGroupBytes: Int = 64 << 20, pageBytes: Int = 1 << 20,
        dictionaryPageLimit: Int = 1 << 20, keyValueMetadata: [(String, String)] = [], createdBy: String = "homebase"
    ) {
        self.codec = codec
        self.rowGroupBytes = rowGroupBytes
        self.pageBytes = pageBytes
        self.dictionaryPageLimit = dictionaryPageLimit
        self.keyValueMetadata = keyValueMetadata
        self.createdBy = createdBy
    }
}
