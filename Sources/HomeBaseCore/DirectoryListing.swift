import Foundation

/// A directory's entries with what `stat` says of each, from one `readdir` pass and one
/// `fstatat` per entry relative to the open directory. Looking each entry up by its full path
/// (FileManager's `fileExists`, then `stat` again) walked every component of the path twice:
/// on a state directory of 31 k session files that was half of an ingest with nothing new.
package enum DirectoryListing {
    package struct Entry: Sendable, Equatable {
        /// The name; one that is not UTF-8 is shown with its other bytes as `\xff` (see `isUTF8`).
        package var name: String
        /// What `stat` (symbolic links followed) says, nil when it failed (e.g. a dangling link):
        /// the caller looks again by path and reports the error there.
        package var status: FileStatus?
        /// False for a name that is not UTF-8: paths are text everywhere after the listing
        /// (catalog, reports), so such a file cannot be opened under `name`.
        package var isUTF8 = true

        package init(name: String, status: FileStatus?, isUTF8: Bool = true) {
            self.name = name
            self.status = status
            self.isUTF8 = isUTF8
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

    /// The entries of `directory` but `.` and `..`, sorted by name (String order). A large
    /// folder's entries are looked at on every CPU this process may use: `fstatat` is kernel
    /// time (path lookup, inode attributes) that one core spent alone on a state directory of
    /// 30 k session files, a third of a nightly ingest with nothing new.
    package static func entries(_ directory: String) throws(Failure) -> [Entry] {
        var entries: [Entry] = []
        var names: [CChar] = []  // the raw names, each ending in NUL
        var starts: [Int] = []
        try read(directory) { _, raw, name, isUTF8, _ in
            starts.append(names.count)
            names.append(contentsOf: UnsafeBufferPointer(start: raw, count: strlen(raw) + 1))
            entries.append(Entry(name: name, status: nil, isUTF8: isUTF8))
        } then: { fd in
            for (i, status) in statuses(fd, names: names, starts: starts).enumerated() { entries[i].status = status }
        }
        return entries.sorted { $0.name < $1.name }
    }

    /// Entries per thread below which one thread looks at all of them.
    static let parallelChunk = 256

    /// `fstatat` of each name (symbolic links followed) relative to the open directory `fd`, in
    /// order; contiguous chunks on up to `Processors.available` threads.
    static func statuses(_ fd: Int32, names: [CChar], starts: [Int]) -> [FileStatus?] {
        let chunks = min(Processors.available, max(1, starts.count / parallelChunk))
        let bounds = (0...chunks).map { starts.count * $0 / chunks }
        let parts = ParallelSlots<[FileStatus?]>.map(chunks, workers: chunks) { c in
            names.withUnsafeBufferPointer { buffer in
                (bounds[c]..<bounds[c + 1]).map { i -> FileStatus? in
                    var info = stat()
                    return fstatat(fd, buffer.baseAddress! + starts[i], &info, 0) == 0 ? FileStatus(info) : nil
                }
            }
        }
        return parts.flatMap { $0 }
    }

    /// What an entry is, symbolic links not followed.
    package enum Kind: Sendable { case directory, file, other }

    /// The names of `directory` but `.` and `..` with their kind, in directory order, from the
    /// entry's type (`lstat` only where the file system does not give one): no `stat` per file.
    package static func kinds(_ directory: String) throws(Failure) -> [(name: String, kind: Kind)] {
        var entries: [(name: String, kind: Kind)] = []
        try read(directory) { fd, raw, name, _, type in
            var mode = mode_t(0)
            switch Int32(type) {
            case Int32(DT_DIR): mode = S_IFDIR
            case Int32(DT_REG): mode = S_IFREG
            case Int32(DT_UNKNOWN):
                var info = stat()
                if fstatat(fd, raw, &info, AT_SYMLINK_NOFOLLOW) == 0 { mode = info.st_mode & S_IFMT }
            default: break
            }
            entries.append((name, mode == S_IFDIR ? .directory : mode == S_IFREG ? .file : .other))
        }
        return entries
    }

    /// A name that is not UTF-8, readable: ASCII as is, every other byte as `\xff`.
    private static func escaped(_ raw: UnsafePointer<CChar>) -> String {
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: strlen(raw))
        return bytes.map { $0 < 0x80 ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }.joined()
    }

    /// Calls `body(fd, raw name, name, name is UTF-8, d_type)` for each entry of `directory` but
    /// `.` and `..`; `stat` goes by the raw name, which also finds a file whose name is not UTF-8.
    /// `then(fd)` runs after the last entry, while the directory is still open.
    private static func read(
        _ directory: String, _ body: (Int32, UnsafePointer<CChar>, String, Bool, UInt8) -> Void,
        then: (Int32) -> Void = { _ in }
    ) throws(Failure) {
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
                then(fd)
                return
            }
            let type = entry.pointee.d_type
            withUnsafeBytes(of: &entry.pointee.d_name) { bytes in
                let raw = bytes.baseAddress!.assumingMemoryBound(to: CChar.self)
                let decoded = String(validatingCString: raw)
                let name = decoded ?? escaped(raw)
                if name != "." && name != ".." { body(fd, raw, name, decoded != nil, type) }
            }
        }
    }
}
