#if canImport(Glibc)
    import Glibc
#endif

/// A plain file descriptor for streaming reads and writes in large blocks, with errors that name
/// the file (`AtomicFile.Failure`). Never follows a symlink at the last component when creating.
package final class RawFile {
    package let path: String
    private var fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    package static func openForReading(_ path: String) throws -> RawFile {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw AtomicFile.Failure(path: path, message: "cannot open: \(RawFile.lastError)") }
        return RawFile(path: path, fd: fd)
    }

    /// Creates a new file; fails if anything (file or symlink) already has that name.
    package static func create(_ path: String, mode: mode_t = 0o644) throws -> RawFile {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw AtomicFile.Failure(path: path, message: "cannot create: \(RawFile.lastError)") }
        return RawFile(path: path, fd: fd)
    }

    /// The file's size from `fstat`.
    package func size() throws -> Int64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw AtomicFile.Failure(path: path, message: "cannot stat: \(RawFile.lastError)") }
        return Int64(info.st_size)
    }

    /// Reads up to `buffer.count` bytes; 0 means end of file.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw AtomicFile.Failure(path: path, message: "read failed: \(RawFile.lastError)") }
        }
    }

    /// Fills `buffer` whole; false when the file ends first.
    package func readFully(into buffer: UnsafeMutableRawBufferPointer) throws -> Bool {
        var done = 0
        while done < buffer.count {
            let count = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]))
            guard count > 0 else { return false }
            done += count
        }
        return true
    }

    /// Back to the first byte.
    package func rewind() throws {
        guard lseek(fd, 0, SEEK_SET) == 0 else { throw AtomicFile.Failure(path: path, message: "cannot seek: \(RawFile.lastError)") }
    }

    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let count = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                throw AtomicFile.Failure(path: path, message: "write failed: \(RawFile.lastError) (is the disk full?)")
            }
            offset += count
        }
    }

    package func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Flushes to stable storage and closes.
    package func syncAndClose() throws {
        guard fsync(fd) == 0 else { throw AtomicFile.Failure(path: path, message: "fsync failed: \(RawFile.lastError)") }
        close()
    }

    package func close() {
        if fd >= 0 { Glibc.close(fd); fd = -1 }
    }

    package static var lastError: String { String(cString: strerror(errno)) }
}
