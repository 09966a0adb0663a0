/// The cumulative jiffy counters of the aggregate `cpu` line of `/proc/stat`; busy % is the
/// share of non-idle time between two readings.
package struct CPUTimes: Sendable, Equatable, Codable {
    /// user, nice, system, idle, iowait, irq, softirq, steal (guest time is already inside user).
    package var user: UInt64, nice: UInt64, system: UInt64, idle: UInt64
    package var iowait: UInt64, irq: UInt64, softirq: UInt64, steal: UInt64

    package init(
        user: UInt64, nice: UInt64, system: UInt64, idle: UInt64,
        iowait: UInt64 = 0, irq: UInt64 = 0, softirq: UInt64 = 0, steal: UInt64 = 0
    ) {
        self.user = user; self.nice = nice; self.system = system; self.idle = idle
        self.iowait = iowait; self.irq = irq; self.softirq = softirq; self.steal = steal
    }

    /// From the numbers after `cpu` (older kernels have fewer columns; missing ones are 0).
    init?(fields: [UInt64]) {
        guard fields.count >= 4 else { return nil }
        func at(_ i: Int) -> UInt64 { i < fields.count ? fields[i] : 0 }
        self.init(user: at(0), nice: at(1), system: at(2), idle: at(3), iowait: at(4), irq: at(5), softirq: at(6), steal: at(7))
    }

    package var total: UInt64 { user &+ nice &+ system &+ idle &+ iowait &+ irq &+ softirq &+ steal }
    /// Idle and waiting-for-I/O time: the CPU was not doing work.
    package var idleAll: UInt64 { idle &+ iowait }

    /// Percent busy between `earlier` and `self`; nil when the counters did not advance or went
    /// backwards (a reboot between the two readings).
    package func busyPercent(since earlier: CPUTimes) -> Double? {
        guard total > earlier.total, idleAll >= earlier.idleAll else { return nil }
        let elapsed = Double(total - earlier.total)
        let idleDelta = Double(idleAll - earlier.idleAll)
        return max(0, min(100, (elapsed - idleDelta) / elapsed * 100))
    }
}
