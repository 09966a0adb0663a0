import CZlib

/// The one place Home Base calls zlib in one shot: deflate (raw for ZIP, zlib-framed for PDF,
/// gzip for Parquet pages), inflate with an exact expected length, and CRC-32.
/// Streaming gzip for backups is `GzipDeflater`/`GzipInflater`.
package enum Zlib {
    package enum Framing: Sendable {
        /// No header or trailer (ZIP method 8), windowBits −15.
        case raw
        /// RFC 1950 header and Adler-32 trailer (PDF /FlateDecode), windowBits 15.
        case zlib
        /// RFC 1952 gzip wrapper (Parquet GZIP pages), windowBits 31.
        case gzip

        var windowBits: Int32 {
            switch self {
            case .raw: -15
            case .zlib: 15
            case .gzip: 31
            }
        }
    }

    /// Compresses `input` in one call, appending to `out`; level 6 is zlib's default and fixed so output is reproducible.
    package static func deflate(_ input: UnsafeRawBufferPointer, framing: Framing, level: Int32 = 6, into out: inout [UInt8]) throws(CodecError) {
        var stream = z_stream()
        guard czlib_deflateInit2(&stream, level, framing.windowBits) == Z_OK else { throw CodecError("zlib", "deflateInit2 failed") }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count))) + 32
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: bound))
        var status: Int32 = Z_OK
        out.withUnsafeMutableBytes { raw in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(input.count)
            stream.next_out = raw.baseAddress.map { ($0 + start).assumingMemoryBound(to: Bytef.self) }
            stream.avail_out = uInt(bound)
            status = CZlib.deflate(&stream, Z_FINISH)
        }
        guard status == Z_STREAM_END else { throw CodecError("zlib", "deflate failed (status \(status))") }
        out.removeLast(Int(stream.avail_out))
    }

    /// Compresses `input` in one call.
    package static func deflate(_ input: [UInt8], framing: Framing, level: Int32 = 6) throws(CodecError) -> [UInt8] {
        var out: [UInt8] = []
        var failure: CodecError?
        input.withUnsafeBytes { raw in
            do throws(CodecError) { try deflate(raw, framing: framing, level: level, into: &out) } catch { failure = error }
        }
        if let failure { throw failure }
        return out
    }

    /// Inflates a zlib or gzip stream (auto-detected; several gzip members are accepted) that must
    /// produce exactly `expectedLength` bytes: a longer, shorter or damaged stream is an error.
    package static func inflate(_ input: UnsafeRawBufferPointer, expectedLength: Int, name: String) throws(CodecError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: expectedLength)
        var stream = z_stream()
        guard czlib_inflateInit2(&stream, 47) == Z_OK else { throw CodecError(name, "zlib inflateInit2 failed") }
        defer { inflateEnd(&stream) }
        var produced = 0
        var failure: String?
        out.withUnsafeMutableBytes { raw in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(input.count)
            // One spare byte so an over-long stream is noticed instead of silently cut.
            var spare: UInt8 = 0
            while true {
                if produced < expectedLength, let base = raw.baseAddress {
                    stream.next_out = (base + produced).assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = uInt(expectedLength - produced)
                } else {
                    stream.next_out = withUnsafeMutablePointer(to: &spare) { $0 }
                    stream.avail_out = 1
                }
                let before = stream.avail_out
                let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                let wrote = Int(before - stream.avail_out)
                if produced >= expectedLength && wrote > 0 { failure = "inflates to more than \(expectedLength) bytes"; return }
                produced += wrote
                if status == Z_STREAM_END {
                    if stream.avail_in == 0 { return }
                    guard inflateReset(&stream) == Z_OK else { failure = "zlib inflateReset failed"; return }
                    continue
                }
                if status != Z_OK {
                    failure = "bad zlib/gzip stream (zlib \(status))"
                    return
                }
                if wrote == 0 && stream.avail_in == 0 { failure = "truncated zlib/gzip stream"; return }
            }
        }
        if let failure { throw CodecError(name, failure) }
        guard produced == expectedLength else { throw CodecError(name, "inflates to \(produced) bytes, expected \(expectedLength)") }
        return out
    }

    /// CRC-32 (reflected 0xEDB88320, init and final XOR 0xFFFFFFFF; what ZIP, gzip and Parquet
    /// page headers use), continuing from `crc`; crc32("123456789") = 0xCBF43926.
    package static func crc32(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        var value = UInt(crc)
        var start = 0
        // zlib takes uInt lengths: feed in chunks that fit.
        while start < bytes.count, let base = bytes.baseAddress {
            let length = Swift.min(bytes.count - start, 1 << 30)
            value = CZlib.crc32(value, base.advanced(by: start).assumingMemoryBound(to: Bytef.self), uInt(length))
            start += length
        }
        return UInt32(truncatingIfNeeded: value)
    }

    package static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { crc32($0) }
    }
}
