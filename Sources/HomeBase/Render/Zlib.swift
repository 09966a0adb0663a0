import HomeBaseCore
import CZlib

/// The one place the renderers call zlib: deflate (raw for ZIP, zlib-framed for PDF) and CRC-32.
package enum Zlib {
    package enum Framing: Sendable {
        /// No header or trailer (ZIP method 8), windowBits −15.
        case raw
        /// RFC 1950 header and Adler-32 trailer (PDF /FlateDecode), windowBits 15.
        case zlib
    }

    /// Compresses `input` in one call; level 6 is zlib's default and fixed so output is reproducible.
    package static func deflate(_ input: [UInt8], framing: Framing, level: Int32 = 6) throws(RenderError) -> [UInt8] {
        var stream = z_stream()
        guard czlib_deflateInit2(&stream, level, framing == .raw ? -15 : 15) == Z_OK else {
            throw RenderError("zlib deflateInit2 failed")
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count))) + 16
        var out = [UInt8](repeating: 0, count: bound)
        var status: Int32 = Z_OK
        var input = input
        input.withUnsafeMutableBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                status = CZlib.deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw RenderError("zlib deflate failed (status \(status))") }
        out.removeLast(Int(stream.avail_out))
        return out
    }

    /// CRC-32 as ZIP wants it (reflected 0xEDB88320, init and final XOR 0xFFFFFFFF); crc32("123456789") = 0xCBF43926.
    package static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            UInt32(CZlib.crc32(0, buffer.baseAddress, uInt(buffer.count)))
        }
    }
}
