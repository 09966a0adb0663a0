import Foundation

/// Samples this process's resident set size on a background thread and keeps the peak.
final class ResidentSampler: @unchecked Sendable {
    private let lock = NSLock()
    private var running = false
    private var peak = 0
    private let finished = DispatchSemaphore(value: 0)

    /// Resident bytes now, from /proc/self/statm (pages × page size).
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }

    func start() {
        lock.withLock {
            running = true; peak = Self.residentBytes()
        }
        Thread.detachNewThread { [self] in
            while lock.withLock({ running }) {
                let now = Self.residentBytes()
                lock.withLock { peak = max(peak, now) }
                usleep(2000)
            }
            finished.signal()
        }
    }

    /// Stops sampling; returns the peak seen.
    func stop() -> Int {
        lock.withLock { running = false }
        finished.wait()
        return lock.withLock { max(peak, Self.residentBytes()) }
    }
}
