import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Takes one `HostSample` from `/proc` (or a fixture tree) and the directories to measure.
/// CPU figures are differences: against the previous sample's counters when they are recent and
/// from the same boot, otherwise against a second reading `fallbackWindowSeconds` later.
package struct HostSampler: Sendable {
    /// A directory whose file system is measured, with its short label.
    package struct DiskTarget: Sendable, Equatable {
        package var label: String
        package var path: String
        package init(label: String, path: String) { self.label = label; self.path = path }
    }

    /// A sample, the counters to keep for the next one, and what could not be measured.
    package struct Outcome: Sendable {
        package var sample: HostSample
        package var state: SamplerState
        package var warnings: [String]
    }

    package var proc: ProcFS
    package var disks: [DiskTarget]
    package var gateway: GatewayLocator
    package var host: String
    /// Previous counters older than this are not used (their average would hide the present).
    package var maxStateAgeSeconds: Double = 900
    /// The pause between two readings when there is no usable previous state.
    package var fallbackWindowSeconds: Double = 0.5
    /// Our own pid, skipped when looking for the gateway by name.
    package var ownPid: Int32 = getpid()

    package init(proc: ProcFS = ProcFS(), disks: [DiskTarget], gateway: GatewayLocator, host: String = HostSampler.hostName()) {
        self.proc = proc
        self.disks = disks
        self.gateway = gateway
        self.host = host
    }

    /// This machine's name (`gethostname`), no DNS lookup.
    package static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// One sample at `clock()`; `sleep` is only called when `previous` cannot serve as the
    /// earlier reading.
    package func sample(previous: SamplerState?, clock: () -> Int64, sleep: (Double) -> Void) throws(HealthError) -> Outcome {
        var now = clock()
        var stat = try proc.stat()
        var gatewayPid = gateway.locate(in: proc, excluding: ownPid)
        var gatewayStat = gatewayPid.flatMap { proc.processStat($0) }
        var earlier: SamplerState? = previous
        if let previous, !usable(previous, now: now, bootTime: stat.bootTimeSeconds, cpu: stat.cpu) { earlier = nil }
        if earlier == nil, fallbackWindowSeconds > 0 {
            earlier = SamplerState(
                tsMicros: now, bootTimeSeconds: stat.bootTimeSeconds, cpu: stat.cpu,
                gateway: counters(gatewayStat, bootTime: stat.bootTimeSeconds))
            sleep(fallbackWindowSeconds)
            now = clock()
            stat = try proc.stat()
            gatewayPid = gateway.locate(in: proc, excluding: ownPid)
            gatewayStat = gatewayPid.flatMap { proc.processStat($0) }
        }
        let busy = earlier.flatMap { stat.cpu.busyPercent(since: $0.cpu) }
        let window = earlier.map { Double(now - $0.tsMicros) / 1_000_000 }
        let load = try proc.loadAverage()
        let memory = try proc.memInfo()
        let uptime = try proc.uptimeSeconds()
        var warnings: [String] = []
        var measured: [DiskUsage] = []
        for target in disks {
            do { measured.append(try DiskUsage.measure(label: target.label, path: target.path)) } catch { warnings.append(error.description) }
        }
        let current = counters(gatewayStat, bootTime: stat.bootTimeSeconds)
        var gatewaySample: GatewaySample?
        if let gatewayStat, let current {
            // Restart against the previous *saved* sample, even when its counters were too old for CPU %.
            let before = previous?.gateway
            let restarted = before.map { $0.pid != current.pid || abs($0.startMicros - current.startMicros) > Self.startJitterMicros } ?? false
            var cpu: Double?
            if let last = earlier?.gateway, let earlier, last.pid == current.pid,
                abs(last.startMicros - current.startMicros) <= Self.startJitterMicros, current.cpuTicks >= last.cpuTicks, now > earlier.tsMicros
            {
                let seconds = Double(current.cpuTicks - last.cpuTicks) / proc.ticksPerSecond
                cpu = seconds / (Double(now - earlier.tsMicros) / 1_000_000) * 100
            }
            gatewaySample = GatewaySample(
                pid: gatewayStat.pid, cpuPercent: cpu, rssBytes: proc.residentBytes(gatewayStat.pid),
                threads: gatewayStat.threads, openFiles: proc.openFileCount(gatewayStat.pid),
                startMicros: current.startMicros, restarted: restarted)
        }
        let sample = HostSample(
            tsMicros: now, host: host, cpuBusyPercent: busy, cpuWindowSeconds: busy == nil ? nil : window,
            load1: load.one, load5: load.five, load15: load.fifteen, cpuCount: cpuCount(),
            memTotalBytes: memory.totalBytes, memAvailableBytes: memory.availableBytes,
            swapTotalBytes: memory.swapTotalBytes, swapUsedBytes: memory.swapUsedBytes,
            uptimeSeconds: uptime, disks: measured, gateway: gatewaySample)
        // While the gateway is down keep its last identity, so its return counts as a restart.
        let state = SamplerState(tsMicros: now, bootTimeSeconds: stat.bootTimeSeconds, cpu: stat.cpu, gateway: current ?? previous?.gateway)
        return Outcome(sample: sample, state: state, warnings: warnings)
    }

    /// `btime` is derived from the clock and can move by a second between reads; a start time
    /// that moved less than this is the same process start.
    package static let startJitterMicros: Int64 = 2_000_000

    private func usable(_ previous: SamplerState, now: Int64, bootTime: Int64, cpu: CPUTimes) -> Bool {
        let age = Double(now - previous.tsMicros) / 1_000_000
        return age > 0 && age <= maxStateAgeSeconds && abs(previous.bootTimeSeconds - bootTime) <= 2
            && cpu.busyPercent(since: previous.cpu) != nil
    }

    private func counters(_ stat: ProcessStat?, bootTime: Int64) -> SamplerState.GatewayCounters? {
        stat.map {
            SamplerState.GatewayCounters(
                pid: $0.pid, startMicros: $0.startMicros(bootTimeSeconds: bootTime, ticksPerSecond: proc.ticksPerSecond),
                cpuTicks: $0.cpuTicks)
        }
    }

    /// The number of `cpuN` lines in `<root>/stat`.
    private func cpuCount() -> Int {
        guard let text = try? proc.text("stat") else { return 0 }
        return text.split(separator: "\n").filter { $0.hasPrefix("cpu") && !$0.hasPrefix("cpu ") }.count
    }
}
