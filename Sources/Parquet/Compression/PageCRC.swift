import Codecs

/// The `crc` of a Parquet `PageHeader`: CRC-32 (zlib's, the polynomial the format names) of the
/// page's bytes as stored on disk, header excluded, written as the signed bit pattern thrift's i32 holds.
enum PageCRC {
    static func of(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        Int32(bitPattern: Zlib.crc32(bytes))
    }

    static func of(_ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBytes { of($0) }
    }
}
