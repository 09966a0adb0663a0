/// The parts of `/proc/meminfo` a health sample keeps, in bytes.
package struct MemInfo: Sendable, Equatable, Codable {
    package var totalBytes: Int64
    /// What new work can use without swapping (`MemAvailable`).
    package var availableBytes: Int64
    package var freeBytes: Int64
    package var swapTotalBytes: Int64
    package var swapFreeBytes: Int64

    package init(totalBytes: Int64, availableBytes: Int64, freeBytes: Int64, swapTotalBytes: Int64, swapFreeBytes: Int64) {
        self.totalBytes = totalBytes
        self.availableBytes = availableBytes
        self.freeBytes = freeBytes
        self.swapTotalBytes = swapTotalBytes
        self.swapFreeBytes = swapFreeBytes
    }

    /// Total minus available: memory in use that cannot be reclaimed cheaply.
    package var usedBytes: Int64 { totalBytes - availableBytes }
    package var swapUsedBytes: Int64 { swapTotalBytes - swapFreeBytes }
}
