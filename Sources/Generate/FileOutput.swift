#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whole-file writes with one `open`/`write`/`close` each (no per-line syscalls).
enum FileOutput {
    static func write(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw GenerateError(path: path, message: "cannot create file (errno \(errno)); check that the --out directory is writable")
        }
        defer { close(fd) }
        try bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, base + offset, min(buffer.count - offset, 1 << 24))
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else {
                    throw GenerateError(path: path, message: "write failed (errno \(errno)); is the disk full?")
                }
                offset += written
            }
        }
    }

    /// Sets a file's modification time to `milliseconds` since the epoch, as the writer of a real
    /// transcript leaves it at its last append. A file that is not there (moved into a session
    /// store by the layout) is skipped.
    static func setModified(_ path: String, milliseconds: Int64) throws {
        let at = timespec(tv_sec: Int(milliseconds / 1000), tv_nsec: Int(milliseconds % 1000) * 1_000_000)
        let times = [at, at]
        guard utimensat(AT_FDCWD, path, times, 0) == 0 else {
            if errno == ENOENT { return }
            throw GenerateError(path: path, message: "cannot set the modification time (errno \(errno))")
        }
    }

    /// `mkdir -p`.
    static func makeDirectories(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw GenerateError(path: current, message: "cannot create directory (errno \(errno))")
            }
        }
    }
}
