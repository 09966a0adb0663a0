import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Whole files as byte arrays, read and written with one system call loop each: no `Data` in
/// between (for state files of several MB, each copy through `Data` cost milliseconds).
package enum FileBytes {
    /// The file's bytes; nil when it cannot be opened or read.
    package static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_size >= 0 else { return nil }
        let size = Int(status.st_size)
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var done = 0
            while done < size {
                let n = Glibc.read(fd, buffer.baseAddress! + done, size - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { break }
                done += n
            }
            failed = done != size
            initialized = done
        }
        return failed ? nil : bytes
    }

    /// Writes `bytes` to a new file at `path` (replacing one there); false when that fails (what
    /// was written is removed).
    package static func write(_ bytes: [UInt8], to path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        let written = bytes.withUnsafeBytes { raw -> Bool in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                done += n
            }
            return true
        }
        guard close(fd) == 0, written else {
            unlink(path)
            return false
        }
        return true
    }
}
