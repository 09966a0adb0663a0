import HomeBaseCore

/// Everything the System health section of `analyze` and the reports shows, from one host's
/// samples: per-day CPU/memory, restarts, disk outlook, gaps and the alert findings.
package struct HealthSummary: Sendable, Equatable {
    package var host: String?
    package var samples: Int
    package var firstMicros: Int64?
    package var lastMicros: Int64?
    package var days: [DailyUsage]
    package var restarts: [GatewayRestart]
    package var disks: [DiskProjection]
    package var gaps: [SamplingGap]
    package var findings: [HealthFinding]

    package static func build(_ samples: [HostSample], nowMicros: Int64, rules: HealthRules = HealthRules()) -> HealthSummary {
        let times = samples.map(\.tsMicros)
        return HealthSummary(
            host: samples.max(by: { $0.tsMicros < $1.tsMicros })?.host, samples: samples.count,
            firstMicros: times.min(), lastMicros: times.max(), days: DailyUsage.compute(samples),
            restarts: GatewayRestart.find(samples), disks: DiskProjection.project(samples, windowDays: rules.diskWindowDays),
            gaps: SamplingGap.find(
                samples, expectedIntervalSeconds: rules.expectedIntervalSeconds,
                factor: rules.gapFactor, nowMicros: nowMicros),
            findings: rules.evaluate(samples, nowMicros: nowMicros))
    }

    /// The section as plain text lines (the CLI's `analyze` output; renderers build tables from the fields).
    package func textLines() -> [String] {
        guard let host, let firstMicros, let lastMicros else {
            return ["System health: no samples (run `homebase sample` from cron, see docs/health.md)"]
        }
        var lines = ["System health of \(host): \(samples) samples, \(AlertClock.minute(firstMicros)) to \(AlertClock.minute(lastMicros))"]
        func percent(_ value: Double?) -> String { value.map { HealthRules.format($0) + "%" } ?? "–" }
        for day in days {
            lines.append(
                "  \(day.day)  CPU p50 \(percent(day.cpuP50)) p95 \(percent(day.cpuP95)) max \(percent(day.cpuMax))"
                    + "  memory p50 \(percent(day.memP50)) p95 \(percent(day.memP95)) max \(percent(day.memMax))  (\(day.samples) samples)")
        }
        lines.append(
            "  Gateway restarts: \(restarts.count)"
                + (restarts.isEmpty ? "" : " (latest \(AlertClock.minute(restarts[restarts.count - 1].tsMicros)))"))
        for disk in disks {
            let gib = HealthRules.format(Double(disk.availableBytes) / 1_073_741_824)
            lines.append("  Disk \(disk.label) (\(disk.path)): \(gib) GiB free, \(disk.outlook)")
        }
        lines.append(
            "  Sampling gaps: \(gaps.count)"
                + gaps.map { " [\(AlertClock.minute($0.fromMicros)) +\(HealthRules.format($0.seconds / 60)) min\($0.ongoing ? ", ongoing" : "")]" }
                .joined())
        for finding in findings { lines.append("  ALERT [\(finding.severity)] \(finding.title)") }
        return lines
    }
}

/// `YYYY-MM-DD HH:MM` for section text.
enum AlertClock {
    static func minute(_ micros: Int64) -> String {
        let iso = UTCDate.isoString(micros: micros)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5))
    }
}
