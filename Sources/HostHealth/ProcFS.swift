import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Reads Linux `/proc` files under an injectable root, so tests can point it at a fixture tree
/// (`<root>/stat`, `<root>/meminfo`, `<root>/<pid>/stat`, …) and production at `/proc`.
package struct ProcFS: Sendable {
    /// The directory that plays `/proc`.
    package var root: String
    /// Clock ticks per second (`sysconf(_SC_CLK_TCK)`, 100 on every mainstream kernel).
    package var ticksPerSecond: Double

    package init(root: String = "/proc", ticksPerSecond: Double = ProcFS.systemTicksPerSecond) {
        self.root = root
        self.ticksPerSecond = ticksPerSecond
    }

    package static var systemTicksPerSecond: Double {
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        return ticks > 0 ? Double(ticks) : 100
    }

    /// The text of `<root>/<relative>`.
    package func text(_ relative: String) throws(HealthError) -> String {
        let path = root + "/" + relative
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HealthError(path: path, message: "cannot read", fix: "check that \(root) is a mounted procfs (Linux only)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The aggregate `cpu` line and `btime` of `/proc/stat`.
    package func stat() throws(HealthError) -> (cpu: CPUTimes, bootTimeSeconds: Int64) {
        let path = root + "/stat"
        let content = try text("stat")
        var cpu: CPUTimes?
        var btime: Int64?
        for line in content.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let head = fields.first else { continue }
            if head == "cpu" {
                cpu = CPUTimes(fields: fields.dropFirst().compactMap { UInt64($0) })
            } else if head == "btime", fields.count >= 2 {
                btime = Int64(fields[1])
            }
        }
        guard let cpu else { throw HealthError(path: path, message: "no aggregate \"cpu\" line", fix: "is this a Linux /proc?") }
        guard let btime else { throw HealthError(path: path, message: "no \"btime\" line", fix: "is this a Linux /proc?") }
        return (cpu, btime)
    }

    /// The 1, 5 and 15 minute load averages of `/proc/loadavg`.
    package func loadAverage() throws(HealthError) -> (one: Double, five: Double, fifteen: Double) {
        let fields = try text("loadavg").split(separator: " ")
        guard fields.count >= 3, let one = Double(fields[0]), let five = Double(fields[1]), let fifteen = Double(fields[2]) else {
            throw HealthError(path: root + "/loadavg", message: "expected three load averages", fix: "is this a Linux /proc?")
        }
        return (one, five, fifteen)
    }

    /// Seconds since boot, the first field of `/proc/uptime`.
    package func uptimeSeconds() throws(HealthError) -> Double {
        guard let first = try text("uptime").split(separator: " ").first,
            let seconds = Double(first.trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            throw HealthError(path: root + "/uptime", message: "expected seconds since boot", fix: "is this a Linux /proc?")
        }
        return seconds
    }

    /// `/proc/meminfo`.
    package func memInfo() throws(HealthError) -> MemInfo {
        let path = root + "/meminfo"
        var kib: [String: Int64] = [:]
        for line in try text("meminfo").split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int64($0) }
            if let value { kib[String(line[..<colon])] = value }
        }
        guard let total = kib["MemTotal"], let free = kib["MemFree"] else {
            throw HealthError(path: path, message: "no MemTotal/MemFree", fix: "is this a Linux /proc?")
        }
        // Kernels before 3.14 lack MemAvailable: free + page cache is the usual stand-in.
        let available = kib["MemAvailable"] ?? (free + (kib["Buffers"] ?? 0) + (kib["Cached"] ?? 0))
        return MemInfo(
            totalBytes: total * 1024, availableBytes: available * 1024, freeBytes: free * 1024,
            swapTotalBytes: (kib["SwapTotal"] ?? 0) * 1024, swapFreeBytes: (kib["SwapFree"] ?? 0) * 1024)
    }

    /// The numeric directory names under the root: the running pids.
    package func pids() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.compactMap { Int32($0) }.sorted()
    }

    /// `/proc/<pid>/stat`, nil when the process is gone.
    package func processStat(_ pid: Int32) -> ProcessStat? {
        guard let content = try? text("\(pid)/stat") else { return nil }
        return ProcessStat(parsing: content)
    }

    /// `/proc/<pid>/comm` without its newline.
    package func comm(_ pid: Int32) -> String? {
        (try? text("\(pid)/comm")).map { $0.trimmingCharacters(in: .newlines) }
    }

    /// `/proc/<pid>/cmdline` split at its NUL separators.
    package func cmdline(_ pid: Int32) -> [String] {
        guard let data = FileManager.default.contents(atPath: root + "/\(pid)/cmdline") else { return [] }
        return [UInt8](data).split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Resident set size in bytes from `/proc/<pid>/status` (`VmRSS`), nil when absent (kernel threads).
    package func residentBytes(_ pid: Int32) -> Int64? {
        guard let content = try? text("\(pid)/status") else { return nil }
        for line in content.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return line.dropFirst("VmRSS:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first
                .flatMap { Int64($0) }.map { $0 * 1024 }
        }
        return nil
    }

    /// The number of open file descriptors: the entries of `/proc/<pid>/fd` (nil when not readable,
    /// e.g. another user's process).
    package func openFileCount(_ pid: Int32) -> Int? {
        (try? FileManager.default.contentsOfDirectory(atPath: root + "/\(pid)/fd"))?.count
    }
}
