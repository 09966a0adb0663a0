import Foundation

/// The fields of `/proc/<pid>/stat` a health sample needs. The command name sits in parentheses
/// and may itself hold spaces and parentheses, so fields are counted from the last `)`.
package struct ProcessStat: Sendable, Equatable {
    package var pid: Int32
    package var comm: String
    /// Field 14 and 15: CPU time in user and kernel mode, in clock ticks.
    package var userTicks: UInt64
    package var systemTicks: UInt64
    /// Field 20.
    package var threads: Int
    /// Field 22: start time in clock ticks after boot.
    package var startTicks: UInt64

    package init(pid: Int32, comm: String, userTicks: UInt64, systemTicks: UInt64, threads: Int, startTicks: UInt64) {
        self.pid = pid; self.comm = comm; self.userTicks = userTicks; self.systemTicks = systemTicks
        self.threads = threads; self.startTicks = startTicks
    }

    package init?(parsing text: String) {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close,
            let pid = Int32(text[..<open].trimmingCharacters(in: .whitespaces))
        else { return nil }
        // After ")": field 3 (state) is index 0, so field n is index n − 3.
        let rest = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        func field(_ n: Int) -> Substring? { n - 3 < rest.count ? rest[n - 3] : nil }
        guard let utime = field(14).flatMap({ UInt64($0) }), let stime = field(15).flatMap({ UInt64($0) }),
            let threads = field(20).flatMap({ Int($0) }),
            let start = field(22).flatMap({ UInt64($0.trimmingCharacters(in: .newlines)) })
        else { return nil }
        self.init(
            pid: pid, comm: String(text[text.index(after: open)..<close]), userTicks: utime, systemTicks: stime,
            threads: threads, startTicks: start)
    }

    package var cpuTicks: UInt64 { userTicks &+ systemTicks }

    /// Start time in microseconds since the epoch: boot time plus field 22.
    package func startMicros(bootTimeSeconds: Int64, ticksPerSecond: Double) -> Int64 {
        bootTimeSeconds * 1_000_000 + Int64((Double(startTicks) / ticksPerSecond * 1_000_000).rounded())
    }
}
