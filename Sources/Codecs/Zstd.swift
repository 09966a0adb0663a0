import CZstd

/// The one place the pipeline calls libzstd: a streaming decoder for OpenClaw's `.zst` transcript
/// archives and zstd-encoded archive rows, and a one-shot encoder for the generator.
///
/// Memory stays bounded whatever the input size: the decoder holds one window (libzstd refuses
/// frames whose window exceeds its default limit of 128 MiB) plus the caller's buffers. A frame's
/// content checksum, when the writer stored one, is checked by libzstd; a mismatch is an error.
package final class ZstdDecoder {
    /// A zstd stream that cannot be decoded: corrupt, truncated, or a checksum mismatch.
    package struct Failure: Error, CustomStringConvertible, Sendable {
        package var message: String
        package var description: String { message }
    }

    private let context: OpaquePointer
    /// True between frames: the last call ended exactly on a frame boundary.
    private(set) var atFrameEnd = true

    package init() throws(Failure) {
        guard let context = ZSTD_createDCtx() else { throw Failure(message: "zstd: out of memory creating a decoder") }
        self.context = context
    }

    deinit { ZSTD_freeDCtx(context) }

    /// Decodes from `input[position...]` into `output`, advancing `position`; returns the bytes
    /// written (0 only when `input` is used up and nothing is buffered). For pull-style readers.
    package func pull(_ input: UnsafeRawBufferPointer, position: inout Int, into output: UnsafeMutableRawBufferPointer) throws(Failure) -> Int {
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: position)
        var target = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        repeat {
            let before = source.pos
            let rc = ZSTD_decompressStream(context, &target, &source)
            if ZSTD_isError(rc) != 0 { throw Failure(message: "zstd: " + String(cString: ZSTD_getErrorName(rc))) }
            // A call that moved nothing (after a frame ended, with no input) only hints at the next
            // frame's header size: it says nothing about the frame just decoded.
            if source.pos != before || target.pos > 0 || rc == 0 { atFrameEnd = rc == 0 }
            // Stop once something was written, or when neither input nor buffered output is left.
        } while target.pos == 0 && source.pos < source.size
        position = source.pos
        return target.pos
    }

    /// Call at the end of the compressed input: a stream that stops inside a frame is truncated.
    package func finish() throws(Failure) {
        guard atFrameEnd else { throw Failure(message: "zstd: the stream ends inside a frame (truncated archive)") }
    }

    /// True when `bytes` start with the zstd frame magic `28 b5 2f fd`.
    package static func hasMagic<Bytes: Collection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        bytes.starts(with: [0x28, 0xB5, 0x2F, 0xFD])
    }

    /// Compresses `bytes` into one frame with a content checksum (what OpenClaw's archives carry).
    package static func compress(_ bytes: [UInt8], level: Int32 = 3) throws(Failure) -> [UInt8] {
        guard let context = ZSTD_createCCtx() else { throw Failure(message: "zstd: out of memory creating an encoder") }
        defer { ZSTD_freeCCtx(context) }
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level)
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        var out = [UInt8](repeating: 0, count: ZSTD_compressBound(bytes.count))
        let written = out.withUnsafeMutableBytes { target in
            bytes.withUnsafeBytes { source in
                ZSTD_compress2(context, target.baseAddress, target.count, source.baseAddress, source.count)
            }
        }
        if ZSTD_isError(written) != 0 { throw Failure(message: "zstd: " + String(cString: ZSTD_getErrorName(written))) }
        out.removeSubrange(written...)
        return out
    }
}
