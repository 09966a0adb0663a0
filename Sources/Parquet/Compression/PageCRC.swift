import CZlib

/// The `crc` of a Parquet `PageHeader`: CRC-32 (zlib's, the polynomial the format names) of the
/// page's bytes as stored on disk, header excluded, written as the signed bit pattern thrift's i32 holds.
enum PageCRC {
    static func of(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        var crc: UInt = 0
        var start = 0
        // zlib takes uInt lengths: feed pages in chunks that fit.
        while start < bytes.count {
            let length = Swift.min(bytes.count - start, 1 << 30)
            crc = CZlib.crc32(crc, bytes.baseAddress!.advanced(by: start).assumingMemoryBound(to: Bytef.self), uInt(length))
            start += length
        }
        return Int32(bitPattern: UInt32(truncatingIfNeeded: crc))
    }

    static func of(_ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBytes { of($0) }
    }
}
