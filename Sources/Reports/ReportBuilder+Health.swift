import SQLiteStore
import Analytics
import Render

extension ReportBuilder {
    /// `show: "health"`: the System health section of analysis.json, per host: CPU and memory per
    /// day, gateway restarts, disk headroom with days until full, sampling gaps and the health
    /// alerts that hold; without samples, how to start taking them.
    func healthBlock() -> Content {
        guard let health = analysis.health, !health.hosts.isEmpty else {
            return Content(
                paragraphs: [
                    "No host samples yet. Add `* * * * * homebase sample --config <file>` to cron: CPU, memory, disk and the gateway are sampled every minute and folded in by the next ingest (docs/health.md)."
                ])
        }
        var paragraphs: [String] = []
        var tables: [ReportTable] = []
        func pct(_ value: Double?) -> ReportCell { value.map { .percent($0 / 100, places: 1) } ?? .empty }
        for host in health.hosts {
            let restarts =
                host.gateway_restarts.isEmpty
                ? "no gateway restart"
                : "\(host.gateway_restarts.count) gateway restart\(host.gateway_restarts.count == 1 ? "" : "s") (latest \(host.gateway_restarts.last?.at.prefix(16).replacingOccurrences(of: "T", with: " ") ?? "") UTC)"
            let gaps =
                host.gaps.isEmpty
                ? "no sampling gap"
                : "\(host.gaps.count) sampling gap\(host.gaps.count == 1 ? "" : "s"), longest \(AlertEvaluator.fixed(host.gaps.map(\.minutes).max() ?? 0, 0)) min"
                    + (host.gaps.contains(where: \.ongoing) ? " (samples have stopped)" : "")
            paragraphs.append("\(host.host): \(host.samples) samples, \(restarts), \(gaps).")
            for alert in host.alerts { paragraphs.append("Alert (\(alert.severity)): \(alert.title). \(alert.detail)") }
            tables.append(
                ReportTable(
                    title: "CPU and memory of \(host.host) per day (UTC)",
                    columns: [
                        ReportColumn("Day"), ReportColumn("Samples", alignment: .right),
                        ReportColumn("CPU p50", alignment: .right), ReportColumn("CPU p95", alignment: .right),
                        ReportColumn("CPU max", alignment: .right),
                        ReportColumn("Memory p50", alignment: .right), ReportColumn("Memory p95", alignment: .right),
                        ReportColumn("Memory max", alignment: .right)
                    ],
                    rows: host.days.map { day in
                        [
                            .text(day.day), .integer(Int64(day.samples)), pct(day.cpu_p50), pct(day.cpu_p95), pct(day.cpu_max), pct(day.mem_p50),
                            pct(day.mem_p95), pct(day.mem_max)
                        ]
                    }))
            if !host.disks.isEmpty {
                tables.append(
                    ReportTable(
                        title: "Disk headroom of \(host.host)",
                        columns: [
                            ReportColumn("Disk"), ReportColumn("Free GiB", alignment: .right), ReportColumn("Size GiB", alignment: .right),
                            ReportColumn("Shrinks GiB/day", alignment: .right), ReportColumn("Days until full", alignment: .right)
                        ],
                        rows: host.disks.map { disk in
                            [
                                .text(disk.label), .decimal(Double(disk.available_bytes) / 1_073_741_824, places: 1),
                                .decimal(Double(disk.total_bytes) / 1_073_741_824, places: 1),
                                .decimal(disk.shrink_bytes_per_day / 1_073_741_824, places: 2),
                                disk.days_until_full.map { .decimal($0, places: 1) } ?? .text("not filling")
                            ]
                        }))
            }
        }
        return Content(paragraphs: paragraphs, tables: tables)
    }
}
