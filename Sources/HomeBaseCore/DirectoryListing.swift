import Foundation

/// A directory's entries with what `stat` says of each, from one `readdir` pass and one
/// `fstatat` per entry relative to the open directory. Looking each entry up by its full path
/// (FileManager's `fileExists`, then `stat` again) walked every component of the path twice:
/// on a state directory of 31 k session files that was half of an ingest with nothing new.
package enum DirectoryListing {
    package struct Entry: Sendable, Equatable {
        package var name: String
        /// What `stat` (symbolic links followed) says, nil when it failed (e.g. a dangling link):
        /// the caller looks again by path and reports the error there.
        package var status: FileStatus?

        package init(name: String, status: FileStatus?) {
            self.name = name
            self.status = status
        }
    }

    package struct FileStatus: Sendable, Equatable {
        package var isDirectory: Bool
        package var size: Int64
        package var mtimeNanos: Int64

        package init(_ info: stat) {
            isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
            size = Int64(info.st_size)
            mtimeNanos = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        }

        /// `stat` of `path`, symbolic links followed; nil with `errno` set when it fails.
        package static func of(_ path: String) -> FileStatus? {
            var info = stat()
            return stat(path, &info) == 0 ? FileStatus(info) : nil
        }
    }

    package struct Failure: Error, Sendable {
        package var path: String
        package var message: String
    }

    /// The entries of `directory` but `.` and `..`, sorted by name (String order).
    package static func entries(_ directory: String) throws(Failure) -> [Entry] {
        var entries: [Entry] = []
        try read(directory) { fd, name, _ in
            var info = stat()
            let status = fstatat(fd, name, &info, 0) == 0 ? FileStatus(info) : nil
            entries.append(Entry(name: name, status: status))
        }
        return entries.sorted { $0.name < $1.name }
    }

    /// What an entry is, symbolic links not followed.
    package enum Kind: Sendable { case directory, file, other }

    /// The names of `directory` but `.` and `..` with their kind, in directory order, from the
    /// entry's type (`lstat` only where the file system does not give one): no `stat` per file.
    package static func kinds(_ directory: String) throws(Failure) -> [(name: String, kind: Kind)] {
        var entries: [(name: String, kind: Kind)] = []
        try read(directory) { fd, name, type in
            var mode = mode_t(0)
            switch Int32(type) {
            case Int32(DT_DIR): mode = S_IFDIR
            case Int32(DT_REG): mode = S_IFREG
            case Int32(DT_UNKNOWN):
                var info = stat()
                if fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 { mode = info.st_mode & S_IFMT }
            default: break
            }
            entries.append((name, mode == S_IFDIR ? .directory : mode == S_IFREG ? .file : .other))
        }
        return entries
    }

    /// Marks a name that is not UTF-8: paths are text everywhere after this (catalog, reports), so
    /// such a file cannot be read under its name. The marker, `\u{FFFD}` and the bytes in hex,
    /// names no file (`stat` of it fails) and shows which one it was.
    private static func undecodable(_ cString: UnsafePointer<CChar>) -> String {
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(cString).assumingMemoryBound(to: UInt8.self), count: strlen(cString))
        return bytes.map { $0 < 0x80 ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }.joined() + undecodableMark
    }

    /// Appended to a name that is not UTF-8 (see `undecodable`).
    package static let undecodableMark = " \u{FFFD}(not UTF-8)"

    /// Calls `body(fd, name, d_type)` for each entry of `directory` but `.` and `..`.
    private static func read(_ directory: String, _ body: (Int32, String, UInt8) -> Void) throws(Failure) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(path: directory, message: String(cString: strerror(errno))) }
        guard let stream = fdopendir(fd) else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw Failure(path: directory, message: message)
        }
        defer { closedir(stream) }
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 { throw Failure(path: directory, message: String(cString: strerror(errno))) }
                return
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(validatingCString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
                    ?? undecodable(raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            body(fd, name, entry.pointee.d_type)
        }
    }
}
