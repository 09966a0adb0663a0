import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Space on the file system holding one directory, from `statvfs`.
package struct DiskUsage: Sendable, Equatable, Codable {
    /// A short name for the directory (`data`, `state`), used in column names and alerts.
    package var label: String
    package var path: String
    package var totalBytes: Int64
    /// Free to unprivileged users (`f_bavail`): what the data dir can still grow into.
    package var availableBytes: Int64
    /// Total minus all free blocks (root's reserve included in free).
    package var usedBytes: Int64

    package init(label: String, path: String, totalBytes: Int64, availableBytes: Int64, usedBytes: Int64) {
        self.label = label
        self.path = path
        self.totalBytes = totalBytes
        self.availableBytes = availableBytes
        self.usedBytes = usedBytes
    }

    private enum CodingKeys: String, CodingKey {
        case label, path, totalBytes = "total_bytes", availableBytes = "available_bytes", usedBytes = "used_bytes"
    }

    /// Measures the file system of `path`.
    package static func measure(label: String, path: String) throws(HealthError) -> DiskUsage {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else {
            throw HealthError(
                path: path, message: "statvfs failed: \(String(cString: strerror(errno)))",
                fix: "check the directory exists (health.disk_dirs in the config)")
        }
        let unit = Int64(info.f_frsize == 0 ? info.f_bsize : info.f_frsize)
        let total = Int64(info.f_blocks) * unit
        return DiskUsage(
            label: label, path: path, totalBytes: total, availableBytes: Int64(info.f_bavail) * unit,
            usedBytes: total - Int64(info.f_bfree) * unit)
    }
}
