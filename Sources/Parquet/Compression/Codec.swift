/// Page compression codecs Home Base writes (parquet.thrift `CompressionCodec` ids 0, 1, 2).
package enum CompressionCodec: Int32, Sendable, Equatable, CaseIterable {
    case uncompressed = 0
    case snappy = 1
    case gzip = 2

    package var name: String {
        switch self {
        case .uncompressed: "UNCOMPRESSED"
        case .snappy: "SNAPPY"
        case .gzip: "GZIP"
        }
    }

    /// Name of any codec id found in a file (including ones we cannot decode).
    static func name(ofID id: Int32) -> String {
        switch id {
        case 0: "UNCOMPRESSED"
        case 1: "SNAPPY"
        case 2: "GZIP"
        case 3: "LZO"
        case 4: "BROTLI"
        case 5: "LZ4"
        case 6: "ZSTD"
        case 7: "LZ4_RAW"
        default: "CODEC(\(id))"
        }
    }

    /// Appends the compressed form of `input` to `out`.
    func compress(_ input: UnsafeRawBufferPointer, into out: inout [UInt8]) throws(ParquetError) {
        switch self {
        case .uncompressed: out.append(contentsOf: input)
        case .snappy: Snappy.compress(input, into: &out)
        case .gzip: try Gzip.compress(input, into: &out)
        }
    }

    /// Decompresses a page body that must expand to exactly `expectedLength` bytes.
    func decompress(_ input: UnsafeRawBufferPointer, expectedLength: Int) throws(ParquetError) -> [UInt8] {
        switch self {
        case .uncompressed:
            guard input.count == expectedLength else {
                throw ParquetError("uncompressed page holds \(input.count) bytes, page header says \(expectedLength)")
            }
            return Array(input)
        case .snappy: return try Snappy.decompress(input, expectedLength: expectedLength)
        case .gzip: return try Gzip.decompress(input, expectedLength: expectedLength)
        }
    }
}
