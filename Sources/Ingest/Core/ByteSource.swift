import HomeBaseCore
import SQLiteStore
import Codecs
#if canImport(Glibc)
    import Glibc
#endif

/// A forward-only stream of bytes that ``LineReader`` splits into lines: a file from an offset,
/// a BLOB in a SQLite row, or either of them zstd-decoded on the fly.
package protocol ByteSource {
    /// Fills the front of `buffer`; returns how many bytes were written, 0 at the end.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// A file read with `pread` from an offset, so appended transcripts resume where the last run stopped.
package struct FileByteSource: ByteSource {
    package struct Failure: Error, CustomStringConvertible, Sendable {
        package var path: String
        package var message: String
        package var description: String { "\(path): \(message)" }
    }

    let path: String
    let fd: Int32
    var offset: Int64
    /// Bytes left from `offset` when opened (a hint for buffer sizes).
    let remaining: Int64

    package init(path: String, offset: Int64) throws {
        self.path = path
        self.offset = offset
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(path: path, message: "cannot open: \(String(cString: strerror(errno)))") }
        posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        var info = stat()
        remaining = fstat(fd, &info) == 0 ? max(0, Int64(info.st_size) - offset) : Int64(LineReader.blockSize)
    }

    /// Closes the file; call once when done (a struct has no deinit).
    package func close() { _ = Glibc.close(fd) }

    /// The file's first `count` bytes (fewer when it is shorter or a read fails), wherever the
    /// source stands: a new file's fingerprint without opening it a second time.
    package func head(_ count: Int = 4096) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = 0
            while initialized < count {
                let got = pread(fd, buffer.baseAddress! + initialized, count - initialized, off_t(initialized))
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else { return }
                initialized += got
            }
        }
    }

    package mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let got = pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
            if got < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, message: "read failed at byte \(offset): \(String(cString: strerror(errno)))")
            }
            offset += Int64(got)
            return got
        }
    }
}

/// The decoded bytes of a zstd stream read from another source, in bounded memory.
package struct ZstdByteSource<Inner: ByteSource>: ByteSource {
    var inner: Inner
    let decoder: ZstdDecoder
    let input: UnsafeMutableRawBufferPointer
    var filled = 0
    var position = 0
    var innerDone = false
    /// Decoded bytes handed out so far.
    package private(set) var decodedBytes: Int64 = 0

    package init(_ inner: Inner) throws {
        self.inner = inner
        decoder = try ZstdDecoder()
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 17, alignment: 16)
    }

    /// Frees the input buffer; call once when done.
    package func release() { input.deallocate() }

    package mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            if position < filled {
                let got = try decoder.pull(UnsafeRawBufferPointer(rebasing: input[0..<filled]), position: &position, into: buffer)
                if got > 0 { decodedBytes += Int64(got); return got }
            }
            if innerDone {
                // Input used up: flush what the decoder still holds, then insist on a complete frame.
                let got = try decoder.pull(UnsafeRawBufferPointer(start: nil, count: 0), position: &position, into: buffer)
                if got > 0 { decodedBytes += Int64(got); return got }
                try decoder.finish()
                return 0
            }
            filled = try inner.read(into: input)
            position = 0
            if filled == 0 { innerDone = true }
        }
    }
}

/// Bytes already in memory (a store event body), so they go through the same readers as files.
package struct MemoryByteSource: ByteSource {
    let bytes: [UInt8]
    var offset = 0
    package init(_ bytes: [UInt8]) { self.bytes = bytes }
    package mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - offset)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + n)])) }
        offset += n
        return n
    }
}

/// The bytes of one BLOB cell, read incrementally.
package struct BlobByteSource: ByteSource {
    let blob: SQLiteBlob
    package init(_ blob: SQLiteBlob) { self.blob = blob }
    package mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int { try blob.read(into: buffer) }
}

/// Passes another source's bytes through while hashing them (SHA-256), to check an archive's
/// recorded checksum without a second read.
package struct HashingByteSource<Inner: ByteSource>: ByteSource {
    package var inner: Inner
    package var hash = SHA256()
    package init(_ inner: Inner) { self.inner = inner }
    package mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let got = try inner.read(into: buffer)
        if got > 0 { hash.update(UnsafeRawBufferPointer(rebasing: buffer[0..<got])) }
        return got
    }
}
