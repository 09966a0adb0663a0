import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// A file opened for reading front to back with `read(2)`: what a streamed state or a whole-file
/// checksum needs, without `FileHandle`'s `Data` for every piece.
package final class ReadableFile {
    private let fd: Int32
    /// The size when opened.
    package let size: Int

    /// Nil when the file cannot be opened or is not a regular file.
    package init?(_ path: String) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var status = stat()
        guard fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return nil
        }
        size = Int(status.st_size)
    }

    deinit { close(fd) }

    /// Reads into `buffer`; the bytes read, 0 at the end or on an error.
    package func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = Glibc.read(fd, base, buffer.count)
            if n < 0 && errno == EINTR { continue }
            return max(0, n)
        }
    }

    /// Reads exactly `buffer.count` bytes; false when the file ends first.
    package func readFully(into buffer: UnsafeMutableRawBufferPointer) -> Bool {
        var done = 0
        while done < buffer.count {
            let n = read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]))
            guard n > 0 else { return false }
            done += n
        }
        return true
    }

    /// Back to the first byte.
    package func rewind() -> Bool { lseek(fd, 0, SEEK_SET) == 0 }
}
