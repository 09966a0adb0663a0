import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive lock on the data directory so that two runs never overlap (exit code 4).
/// Held with `flock`, so it is released by the kernel if the process dies.
package final class RunLock {
    package struct Held: Error, CustomStringConvertible, Sendable {
        package var path: String
        package var holder: String
        package var description: String {
            "another run holds the lock \(path) (\(holder.isEmpty ? "holder unknown" : holder)); wait for it to finish"
        }
    }

    private let fd: Int32

    /// Takes the lock or throws `Held` at once, naming who holds it.
    package init(dataDir: String, command: String, nowMicros: Int64) throws {
        let path = dataDir + "/homebase.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw AtomicFile.Failure(path: path, message: "cannot open the lock file: \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(fd)
            throw Held(path: path, holder: holder)
        }
        ftruncate(fd, 0)
        let text = "pid \(getpid()) running '\(command)' since \(UTCDate.isoString(micros: nowMicros))\n"
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        self.fd = fd
    }

    deinit {
        ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
    }
}
