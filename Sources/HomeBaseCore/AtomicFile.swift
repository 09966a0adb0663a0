import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Writes files so that readers see the old or the new content, never a torn one:
/// temporary name in the same directory, fsync, rename, fsync of the directory.
package enum AtomicFile {
    package struct Failure: Error, CustomStringConvertible, Sendable {
        package var path: String
        package var message: String
        package var description: String { "\(path): \(message)" }
        package init(path: String, message: String) { self.path = path; self.message = message }
    }

    package static func write(_ data: Data, to path: String) throws {
        let temporary = temporaryPath(for: path)
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw Failure(path: path, message: "cannot create \(temporary) (check the directory exists and is writable)")
        }
        try fsyncFile(temporary)
        try commit(temporary, to: path)
    }

    /// A hidden temporary name beside `path`.
    package static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())").path
    }

    /// Renames a finished temporary file over `path` and makes the rename durable (unless the
    /// caller makes a whole batch durable at once with `syncAll()`).
    package static func commit(_ temporary: String, to path: String, durable: Bool = true) throws {
        guard rename(temporary, path) == 0 else {
            throw Failure(path: path, message: "rename failed: \(String(cString: strerror(errno)))")
        }
        if durable { fsyncDirectory(URL(fileURLWithPath: path).deletingLastPathComponent().path) }
    }

    /// Flushes every written file and directory entry to disk in one call: cheaper than two
    /// fsyncs per file when a run writes hundreds of small parts.
    package static func syncAll() { sync() }

    package static func fsyncFile(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Failure(path: path, message: "cannot open for fsync: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw Failure(path: path, message: "fsync failed: \(String(cString: strerror(errno)))") }
    }

    package static func fsyncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        if fd >= 0 { fsync(fd); close(fd) }
    }
}
