import HomeBaseCore

/// The health alert rules and their thresholds (config `health.alerts.*`). `evaluate` turns one
/// host's samples into the findings that hold at `now`.
package struct HealthRules: Sendable, Equatable {
    /// Disk: warn/critical when projected full within this many days.
    package var diskWarningDays = 14.0
    package var diskCriticalDays = 3.0
    /// Days of samples the disk trend is fitted over.
    package var diskWindowDays = 7.0
    /// Memory: median used % over the last `memoryWindowSeconds` at or above these.
    package var memoryWarningPercent = 90.0
    package var memoryCriticalPercent = 97.0
    package var memoryWindowSeconds = 900.0
    /// Gateway restarts within the last `restartWindowSeconds`.
    package var restartWarningCount = 1
    package var restartCriticalCount = 3
    package var restartWindowSeconds = 86_400.0
    /// Gaps: the cron interval and the multiple of it that counts as a gap, looked for within
    /// the last `gapWindowSeconds`.
    package var expectedIntervalSeconds = 60.0
    package var gapFactor = 3.0
    package var gapWindowSeconds = 86_400.0

    package init() {}

    package func evaluate(_ samples: [HostSample], nowMicros: Int64) -> [HealthFinding] {
        guard let host = samples.max(by: { $0.tsMicros < $1.tsMicros })?.host else { return [] }
        return disk(samples, host: host) + memory(samples, host: host, now: nowMicros)
            + restarts(samples, host: host, now: nowMicros) + gaps(samples, host: host, now: nowMicros)
    }

    func disk(_ samples: [HostSample], host: String) -> [HealthFinding] {
        DiskProjection.project(samples, windowDays: diskWindowDays).compactMap { projection in
            guard let days = projection.daysUntilFull, days < diskWarningDays else { return nil }
            let gib = Double(projection.availableBytes) / 1_073_741_824
            let rate = projection.growthBytesPerDay / 1_073_741_824
            return HealthFinding(
                rule: "disk_full", key: "disk_full:\(host):\(projection.label)",
                severity: days < diskCriticalDays ? "critical" : "warning",
                title: "Disk of \(projection.label) dir on \(host): \(projection.outlook)",
                detail:
                    "\(projection.path): \(Self.format(gib)) GiB free, shrinking \(Self.format(rate)) GiB/day over the last \(Self.format(diskWindowDays)) days"
            )
        }
    }

    func memory(_ samples: [HostSample], host: String, now: Int64) -> [HealthFinding] {
        let since = now - Int64(memoryWindowSeconds * 1_000_000)
        let used = samples.filter { $0.tsMicros >= since && $0.tsMicros <= now }.compactMap(\.memUsedPercent)
        guard let median = Percentile.of(used, 0.5), median >= memoryWarningPercent else { return [] }
        return [
            HealthFinding(
                rule: "memory_pressure", key: "memory_pressure:\(host)",
                severity: median >= memoryCriticalPercent ? "critical" : "warning",
                title: "Memory pressure on \(host): \(Self.format(median))% used",
                detail:
                    "median of \(used.count) samples over the last \(Self.format(memoryWindowSeconds / 60)) min, threshold \(Self.format(memoryWarningPercent))%"
            )
        ]
    }

    func restarts(_ samples: [HostSample], host: String, now: Int64) -> [HealthFinding] {
        let since = now - Int64(restartWindowSeconds * 1_000_000)
        let recent = GatewayRestart.find(samples).filter { $0.tsMicros >= since && $0.tsMicros <= now }
        guard recent.count >= restartWarningCount, let last = recent.last else { return [] }
        return [
            HealthFinding(
                rule: "gateway_restart", key: "gateway_restart:\(host)",
                severity: recent.count >= restartCriticalCount ? "critical" : "warning",
                title: "OpenClaw gateway on \(host) restarted \(recent.count)× in the last \(Self.format(restartWindowSeconds / 3600)) h",
                detail: "latest at \(UTCDate.isoString(micros: last.tsMicros)) (pid \(last.previousPid) → \(last.pid))")
        ]
    }

    func gaps(_ samples: [HostSample], host: String, now: Int64) -> [HealthFinding] {
        let since = now - Int64(gapWindowSeconds * 1_000_000)
        let found = SamplingGap.find(samples, expectedIntervalSeconds: expectedIntervalSeconds, factor: gapFactor, nowMicros: now)
            .filter { $0.toMicros >= since }
        guard !found.isEmpty else { return [] }
        let ongoing = found.contains(where: \.ongoing)
        let longest = found.map(\.seconds).max() ?? 0
        return [
            HealthFinding(
                rule: "sampling_gap", key: "sampling_gap:\(host)", severity: ongoing ? "critical" : "warning",
                title: ongoing
                    ? "No health samples from \(host) since \(UTCDate.isoString(micros: found.last?.fromMicros ?? now))"
                    : "\(found.count) sampling gap\(found.count == 1 ? "" : "s") on \(host) in the last \(Self.format(gapWindowSeconds / 3600)) h",
                detail:
                    "longest \(Self.format(longest / 60)) min with no sample (expected one every \(Self.format(expectedIntervalSeconds)) s); check cron and that the host was up"
            )
        ]
    }

    /// One decimal, no trailing ".0".
    package static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int64(rounded)) : String(rounded)
    }
}
