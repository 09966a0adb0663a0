import SQLiteStore
#if canImport(Glibc)
    import Glibc
#endif

/// Streams the newline-terminated lines of a file from a byte offset (or of any ``ByteSource``),
/// in large blocks, with bounded memory (one block plus the longest line). A final line without a
/// newline is handed to the caller as `torn` so it can decide whether the writer is still busy with it.
package struct LineReader {
    package typealias Failure = FileByteSource.Failure

    package let path: String
    package static let blockSize = 4 << 20

    package init(path: String) { self.path = path }

    /// Calls `body(line, lineNumber, byteOffset, terminated)` for each line from `offset`.
    /// Returns the offset just past the last terminated line. `firstLineNumber` is the number of the
    /// line at `offset`. Lines exclude the `\n` (and a trailing `\r`). A file whose first block
    /// holds a `\r` but no `\n` has classic-Mac CR-only line ends and is split on `\r` (JSON lines
    /// cannot hold a raw CR, so the CR can only be a line end).
    package func forEachLine(
        from offset: Int64, firstLineNumber: Int64,
        _ body: (UnsafeRawBufferPointer, Int64, Int64, Bool) -> Void
    ) throws -> Int64 {
        var source = try FileByteSource(path: path, offset: offset)
        defer { source.close() }
        return try Self.forEachLine(of: &source, from: offset, firstLineNumber: firstLineNumber, body)
    }

    /// The same over a file already open at `offset`.
    package static func forEachLine(
        of source: inout FileByteSource, from offset: Int64, firstLineNumber: Int64,
        _ body: (UnsafeRawBufferPointer, Int64, Int64, Bool) -> Void
    ) throws -> Int64 {
        // Small files get a small buffer: allocating and faulting in 4 MiB per file costs more than reading it.
        let initial = Int(min(Int64(LineReader.blockSize), max(source.remaining + 1, 4096)))
        return try forEachLine(of: &source, startingAt: offset, firstLineNumber: firstLineNumber, bufferSize: initial, body)
    }

    /// The line loop over any byte source; offsets count from `startingAt` in the source's bytes.
    package static func forEachLine<Source: ByteSource>(
        of source: inout Source, startingAt offset: Int64, firstLineNumber: Int64,
        bufferSize: Int = LineReader.blockSize,
        _ body: (UnsafeRawBufferPointer, Int64, Int64, Bool) -> Void
    ) throws -> Int64 {
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bufferSize, 4096), alignment: 16)
        defer { buffer.deallocate() }
        var filled = 0  // bytes valid in buffer
        var bufferStart = offset  // source offset of buffer[0]
        var lineNumber = firstLineNumber
        var committed = offset
        var eof = false
        var terminator: Int32? = nil  // decided from the first block read: 0x0A, or 0x0D for CR-only files

        while !eof {
            if filled == buffer.count {
                // One line longer than the buffer: grow.
                let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 16)
                bigger.copyMemory(from: UnsafeRawBufferPointer(buffer))
                buffer.deallocate()
                buffer = bigger
            }
            let got = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if got == 0 { eof = true }
            filled += got
            let base = buffer.baseAddress!
            if terminator == nil && filled > 0 {
                let crOnly = memchr(base, 0x0A, filled) == nil && memchr(base, 0x0D, filled) != nil
                terminator = crOnly ? 0x0D : 0x0A
            }
            let separator = terminator ?? 0x0A
            var start = 0
            while start < filled {
                guard let newline = memchr(base + start, separator, filled - start) else { break }
                let end = base.distance(to: newline)
                var lineEnd = end
                if lineEnd > start && base.load(fromByteOffset: lineEnd - 1, as: UInt8.self) == 0x0D { lineEnd -= 1 }
                body(UnsafeRawBufferPointer(start: base + start, count: lineEnd - start), lineNumber, bufferStart + Int64(start), true)
                lineNumber += 1
                start = end + 1
            }
            committed = bufferStart + Int64(start)
            if eof {
                if start < filled {
                    body(UnsafeRawBufferPointer(start: base + start, count: filled - start), lineNumber, bufferStart + Int64(start), false)
                }
                break
            }
            // Move the partial line to the front.
            if start > 0 {
                let remaining = filled - start
                if remaining > 0 { memmove(base, base + start, remaining) }
                filled = remaining
                bufferStart += Int64(start)
            }
        }
        return committed
    }
}
