import CZlib

/// GZIP (RFC 1952) page compression through zlib: writes with windowBits 31 (gzip wrapper),
/// reads with 47 (auto-detect), accepting several members in one page.
enum Gzip {
    static func compress(_ input: UnsafeRawBufferPointer, into out: inout [UInt8]) throws(ParquetError) {
        var stream = z_stream()
        guard czlib_deflateInit2(&stream, Z_DEFAULT_COMPRESSION, 31) == Z_OK else { throw ParquetError("zlib deflateInit2 failed") }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count))) + 32
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: bound))
        var status: Int32 = Z_OK
        out.withUnsafeMutableBytes { raw in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(input.count)
            stream.next_out = (raw.baseAddress! + start).assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(bound)
            status = deflate(&stream, Z_FINISH)
        }
        guard status == Z_STREAM_END else { throw ParquetError("zlib deflate failed (\(status))") }
        out.removeLast(Int(stream.avail_out))
    }

    static func decompress(_ input: UnsafeRawBufferPointer, expectedLength: Int) throws(ParquetError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: expectedLength)
        var stream = z_stream()
        guard czlib_inflateInit2(&stream, 47) == Z_OK else { throw ParquetError("zlib inflateInit2 failed") }
        defer { inflateEnd(&stream) }
        var produced = 0
        var failure: String?
        out.withUnsafeMutableBytes { raw in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(input.count)
            // One spare byte so an over-long stream is noticed instead of silently cut.
            var spare: UInt8 = 0
            while true {
                if produced < expectedLength {
                    stream.next_out = (raw.baseAddress! + produced).assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = uInt(expectedLength - produced)
                } else {
                    stream.next_out = withUnsafeMutablePointer(to: &spare) { $0 }
                    stream.avail_out = 1
                }
                let before = stream.avail_out
                let status = inflate(&stream, Z_NO_FLUSH)
                let wrote = Int(before - stream.avail_out)
                if produced >= expectedLength && wrote > 0 { failure = "GZIP page inflates to more than \(expectedLength) bytes"; return }
                produced += wrote
                if status == Z_STREAM_END {
                    if stream.avail_in == 0 { return }
                    guard inflateReset(&stream) == Z_OK else { failure = "zlib inflateReset failed"; return }
                    continue
                }
                if status != Z_OK {
                    failure = "bad GZIP stream (zlib \(status))"
                    return
                }
                if wrote == 0 && stream.avail_in == 0 { failure = "truncated GZIP stream"; return }
            }
        }
        if let failure { throw ParquetError(failure) }
        guard produced == expectedLength else { throw ParquetError("GZIP page inflates to \(produced) bytes, page header says \(expectedLength)") }
        return out
    }
}
