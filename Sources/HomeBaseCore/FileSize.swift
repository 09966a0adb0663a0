import Foundation

/// A file's size from one `stat` call. `FileManager.attributesOfItem` also lists extended
/// attributes and resolves the working directory (about ten system calls a file), which showed
/// when a backup looked at every part of the lake.
package enum FileSize {
    /// The size in bytes of the file at `path` (symbolic links followed), nil when it cannot be stat-ed.
    package static func of(_ path: String) -> Int64? {
        DirectoryListing.FileStatus.of(path)?.size
    }
}
