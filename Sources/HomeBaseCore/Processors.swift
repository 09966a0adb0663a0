import Foundation

/// How many CPUs this process may use, read once: its affinity mask (as `taskset` and container
/// runtimes set it), lowered to a cgroup CPU quota when one is set (`cpu.max` of cgroup v2,
/// `cpu.cfs_quota_us` / `cpu.cfs_period_us` of v1), rounded up. What
/// `ProcessInfo.activeProcessorCount` answers, without its reads through Foundation's file APIs,
/// whose first-use type metadata cost a query's start-up about a fifth of a millisecond.
package enum Processors {
    package static let available: Int = {
        var count = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        if let allowed = allowedCPUs(status: smallFile("/proc/self/status")), allowed > 0 { count = allowed }
        if let quota = quota(
            cpuMax: smallFile("/sys/fs/cgroup/cpu.max"),
            quotaV1: smallFile("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), periodV1: smallFile("/sys/fs/cgroup/cpu/cpu.cfs_period_us"))
        {
            count = min(count, quota)
        }
        return count
    }()

    /// CPUs granted by a cgroup quota (quota / period, rounded up, at least 1); nil when there
    /// is none ("max", -1, or no such file).
    static func quota(cpuMax: String?, quotaV1: String?, periodV1: String?) -> Int? {
        var quota: Double?, period: Double?
        // The files end in a newline: numbers are the whitespace-separated fields.
        if let fields = cpuMax?.split(whereSeparator: \.isWhitespace), fields.count == 2 {
            quota = Double(fields[0])
            period = Double(fields[1])
        } else if let q = quotaV1?.split(whereSeparator: \.isWhitespace).first, let p = periodV1?.split(whereSeparator: \.isWhitespace).first {
            quota = Double(q)
            period = Double(p)
        }
        guard let quota, let period, quota > 0, period > 0 else { return nil }
        return max(1, Int((quota / period).rounded(.up)))
    }

    /// The CPUs of the affinity mask in `/proc/self/status` ("Cpus_allowed:\t0000ffff,ffffffff"),
    /// nil when the line is missing or not hexadecimal.
    static func allowedCPUs(status: String?) -> Int? {
        guard let line = status?.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) else { return nil }
        var count = 0
        for c in line.dropFirst("Cpus_allowed:".count).utf8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): count += (c - UInt8(ascii: "0")).nonzeroBitCount
            case UInt8(ascii: "a")...UInt8(ascii: "f"): count += (c - UInt8(ascii: "a") + 10).nonzeroBitCount
            case UInt8(ascii: "A")...UInt8(ascii: "F"): count += (c - UInt8(ascii: "A") + 10).nonzeroBitCount
            case UInt8(ascii: ","), UInt8(ascii: " "), UInt8(ascii: "\t"): break
            default: return nil
            }
        }
        return count
    }

    /// A small file's text (at most 4 KB: `/proc/self/status` is about 1.5 KB), or nil when it
    /// cannot be read. Plain `open`/`read`, not Foundation's file APIs (see above).
    private static func smallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var length = 0
        while length < buffer.count {
            let n = read(fd, &buffer[length], buffer.count - length)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            length += n
        }
        return length > 0 ? String(decoding: buffer[..<length], as: UTF8.self) : nil
    }
}
