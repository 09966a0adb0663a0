import CZlib

/// Streaming gzip (RFC 1952) compression: feed chunks, get compressed chunks; the only zlib calls
/// of the backup code go through this file. The z_stream is heap-allocated because zlib keeps a
/// pointer back to it.
package final class GzipDeflater {
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var output = [UInt8](repeating: 0, count: 1 << 18)

    /// `level` 1 (fastest) … 9 (smallest); 6 is zlib's default.
    package init(level: Int32 = 6) throws {
        stream.initialize(to: z_stream())
        guard czlib_deflateInit2(stream, level, 31) == Z_OK else {
            stream.deallocate()
            throw CodecError("zlib", "deflateInit2 failed (level \(level))")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    /// Compresses `input`, handing every produced chunk to `sink`.
    package func write(_ input: UnsafeRawBufferPointer, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard input.count > 0 else { return }
        try run(input, flush: Z_NO_FLUSH, sink: sink)
    }

    /// Ends the stream (CRC-32 and length trailer) and hands the last chunks to `sink`.
    package func finish(sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        try run(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH, sink: sink)
    }

    private func run(_ input: UnsafeRawBufferPointer, flush: Int32, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
        stream.pointee.avail_in = uInt(input.count)
        let capacity = output.count
        try output.withUnsafeMutableBytes { out in
            while true {
                stream.pointee.next_out = out.bindMemory(to: Bytef.self).baseAddress
                stream.pointee.avail_out = uInt(capacity)
                let status = deflate(stream, flush)
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw CodecError("zlib", "deflate failed (\(status))")
                }
                let produced = capacity - Int(stream.pointee.avail_out)
                if produced > 0 { try sink(UnsafeRawBufferPointer(rebasing: out[0..<produced])) }
                if flush == Z_FINISH ? status == Z_STREAM_END : (stream.pointee.avail_in == 0 && produced < capacity) { break }
            }
        }
        stream.pointee.next_in = nil
    }
}

/// Streaming gzip decompression that pulls compressed bytes from `source` on demand, checks the
/// CRC-32 and length trailer (zlib does), and refuses truncation and trailing bytes.
package final class GzipInflater {
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var input = [UInt8](repeating: 0, count: 1 << 18)
    private var inputStart = 0, inputEnd = 0
    private let source: (UnsafeMutableRawBufferPointer) throws -> Int
    private let name: String
    private var ended = false
    /// Compressed bytes consumed so far (for error messages: where the damage is).
    package private(set) var compressedOffset: Int64 = 0

    /// `source` fills a buffer and returns the count (0 at end of file); `name` is used in errors.
    package init(name: String, source: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) throws {
        self.name = name
        self.source = source
        stream.initialize(to: z_stream())
        guard czlib_inflateInit2(stream, 31) == Z_OK else {
            stream.deallocate()
            throw CodecError(name, "zlib inflateInit2 failed")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// Fills `buffer` with decompressed bytes; returns 0 only at the verified end of the stream.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if ended || buffer.count == 0 { return 0 }
        while true {
            if inputStart == inputEnd {
                let count = try input.withUnsafeMutableBytes { try source($0) }
                guard count > 0 else {
                    throw CodecError(name, "gzip stream is truncated after \(compressedOffset) compressed bytes (the archive is incomplete)")
                }
                inputStart = 0
                inputEnd = count
            }
            let before = inputStart
            let (status, produced): (Int32, Int) = input.withUnsafeMutableBytes { raw in
                stream.pointee.next_in = raw.bindMemory(to: Bytef.self).baseAddress! + inputStart
                stream.pointee.avail_in = uInt(inputEnd - inputStart)
                stream.pointee.next_out = buffer.bindMemory(to: Bytef.self).baseAddress
                stream.pointee.avail_out = uInt(buffer.count)
                let status = inflate(stream, Z_NO_FLUSH)
                inputStart = inputEnd - Int(stream.pointee.avail_in)
                return (status, buffer.count - Int(stream.pointee.avail_out))
            }
            compressedOffset += Int64(inputStart - before)
            switch status {
            case Z_STREAM_END:
                ended = true
                try checkNothingFollows()
                return produced
            case Z_OK, Z_BUF_ERROR:
                if produced > 0 { return produced }
            default:
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "error \(status)"
                throw CodecError(name, "gzip stream is corrupt near compressed byte \(compressedOffset): \(detail)")
            }
        }
    }

    private func checkNothingFollows() throws {
        var extra = inputEnd - inputStart
        if extra == 0 { extra = try input.withUnsafeMutableBytes { try source($0) } }
        guard extra == 0 else {
            throw CodecError(name, "unexpected bytes after the end of the gzip stream at compressed byte \(compressedOffset)")
        }
    }
}
