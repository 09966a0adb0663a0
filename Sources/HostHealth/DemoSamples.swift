import Foundation

/// Made-up but plausible samples for the demo data set (`make run`): a daily CPU and memory
/// cycle, one gateway restart, one two-hour gap and a data disk that slowly fills. Seeded, so
/// the same arguments give the same samples.
package enum DemoSamples {
    package static func generate(
        host: String = "demo-host", startMicros: Int64, days: Int, intervalSeconds: Int64 = 300,
        seed: UInt64
    ) -> [HostSample] {
        var random = seed &+ 0x9E37_79B9_7F4A_7C15
        func next() -> Double {  // SplitMix64 → [0, 1)
            random &+= 0x9E37_79B9_7F4A_7C15
            var z = random
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
        let step = intervalSeconds * 1_000_000, total = Int64(days) * 86_400_000_000
        let gapStart = total - 20 * 3_600_000_000, gapEnd = gapStart + 2 * 3_600_000_000
        let restartAt = total / 2
        let gib: Int64 = 1_073_741_824
        var samples: [HostSample] = []
        var offset: Int64 = 0
        while offset < total {
            defer { offset += step }
            if offset >= gapStart && offset < gapEnd { continue }
            let hour = Double(offset % 86_400_000_000) / 3_600_000_000
            let daytime = max(0, sin((hour - 6) / 24 * 2 * Double.pi))
            let cpu = min(100, 8 + 50 * daytime + 10 * next())
            let memUsed = 0.45 + 0.3 * daytime + 0.05 * next()
            let diskUsed = 40 * gib + Int64(Double(offset) / 86_400_000_000 * 1.5 * Double(gib))
            let afterRestart = offset >= restartAt
            let started = afterRestart ? startMicros + restartAt - 20_000_000 : startMicros - 3 * 86_400_000_000
            samples.append(
                HostSample(
                    tsMicros: startMicros + offset, host: host, cpuBusyPercent: cpu, cpuWindowSeconds: Double(intervalSeconds),
                    load1: cpu / 25, load5: cpu / 27, load15: cpu / 30, cpuCount: 4,
                    memTotalBytes: 16 * gib, memAvailableBytes: Int64((1 - memUsed) * Double(16 * gib)),
                    swapTotalBytes: 2 * gib, swapUsedBytes: Int64(0.1 * next() * Double(gib)), uptimeSeconds: Double(offset / 1_000_000 + 86_400 * 9),
                    disks: [
                        DiskUsage(
                            label: "data", path: "/var/lib/homebase", totalBytes: 100 * gib,
                            availableBytes: 95 * gib - diskUsed, usedBytes: diskUsed + 5 * gib)
                    ],
                    gateway: GatewaySample(
                        pid: afterRestart ? 48_213 : 1_207, cpuPercent: cpu / 4, rssBytes: Int64(300 + 200 * daytime) * 1_048_576,
                        threads: 22, openFiles: 64 + Int(20 * daytime), startMicros: started,
                        restarted: afterRestart && offset - step < restartAt)))
        }
        return samples
    }
}
