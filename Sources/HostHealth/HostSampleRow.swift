/// A `HostSample` flattened into the columns of the lake table `host_samples`: one row per
/// sample; the disks labelled `data` and `state` get their own columns (other labels stay in
/// the spool only), the gateway's fields are null when it was not running.
package enum HostSampleRow {
    /// A cell: the column types of the table, each nullable.
    package enum Value: Sendable, Equatable {
        case int(Int64?)
        case double(Double?)
        case string(String?)
        case bool(Bool?)
    }

    /// The disk labels that become columns.
    package static let diskLabels = ["data", "state"]

    /// Column names in table order.
    package static let columns: [String] =
        [
            "ts_us", "host", "cpu_busy_pct", "cpu_window_s", "load1", "load5", "load15", "cpu_count",
            "mem_total_bytes", "mem_available_bytes", "mem_used_pct", "swap_total_bytes", "swap_used_bytes", "uptime_s"
        ] + diskLabels.flatMap { ["disk_\($0)_total_bytes", "disk_\($0)_available_bytes", "disk_\($0)_used_bytes"] } + [
            "gateway_pid", "gateway_cpu_pct", "gateway_rss_bytes", "gateway_threads", "gateway_open_files",
            "gateway_start_us", "gateway_restarted"
        ]

    /// The cell type of each column, in `columns` order (the cases of a full sample's cells): the
    /// lake schema of `host_samples` is built from these.
    package static let kinds: [Value] = values(
        HostSample(
            tsMicros: 0, host: "", cpuBusyPercent: 0, cpuWindowSeconds: 0, load1: 0, load5: 0, load15: 0, cpuCount: 0,
            memTotalBytes: 0, memAvailableBytes: 0, swapTotalBytes: 0, swapUsedBytes: 0, uptimeSeconds: 0,
            disks: diskLabels.map { DiskUsage(label: $0, path: "", totalBytes: 0, availableBytes: 0, usedBytes: 0) },
            gateway: GatewaySample(pid: 0, cpuPercent: 0, rssBytes: 0, threads: 0, openFiles: 0, startMicros: 0, restarted: false)))

    /// The cells of `sample`, in `columns` order.
    package static func values(_ sample: HostSample) -> [Value] {
        var row: [Value] = [
            .int(sample.tsMicros), .string(sample.host), .double(sample.cpuBusyPercent), .double(sample.cpuWindowSeconds),
            .double(sample.load1), .double(sample.load5), .double(sample.load15), .int(Int64(sample.cpuCount)),
            .int(sample.memTotalBytes), .int(sample.memAvailableBytes), .double(sample.memUsedPercent),
            .int(sample.swapTotalBytes), .int(sample.swapUsedBytes), .double(sample.uptimeSeconds)
        ]
        for label in diskLabels {
            let disk = sample.disks.first { $0.label == label }
            row += [.int(disk?.totalBytes), .int(disk?.availableBytes), .int(disk?.usedBytes)]
        }
        let gateway = sample.gateway
        row += [
            .int(gateway.map { Int64($0.pid) }), .double(gateway?.cpuPercent), .int(gateway?.rssBytes),
            .int(gateway.map { Int64($0.threads) }), .int(gateway?.openFiles.map(Int64.init)), .int(gateway?.startMicros),
            .bool(gateway?.restarted)
        ]
        return row
    }

    /// The sample back from a row read from the lake (`values` in `columns` order), for
    /// `analyze`; nil when `ts_us` or `host` is missing. Disks come back labelled `data`/`state`
    /// with an empty path; the gateway when `gateway_pid` is set.
    package static func sample(_ values: [Value]) -> HostSample? {
        guard values.count == columns.count else { return nil }
        var cells: [String: Value] = [:]
        for (name, value) in zip(columns, values) { cells[name] = value }
        func int(_ name: String) -> Int64? { if case .int(let v)? = cells[name] { return v }; return nil }
        func double(_ name: String) -> Double? { if case .double(let v)? = cells[name] { return v }; return nil }
        guard let ts = int("ts_us"), case .string(let hostValue)? = cells["host"], let host = hostValue else { return nil }
        let disks: [DiskUsage] = diskLabels.compactMap { label in
            guard let total = int("disk_\(label)_total_bytes"), let available = int("disk_\(label)_available_bytes") else { return nil }
            return DiskUsage(
                label: label, path: "", totalBytes: total, availableBytes: available, usedBytes: int("disk_\(label)_used_bytes") ?? total - available)
        }
        var gateway: GatewaySample?
        if let pid = int("gateway_pid"), let start = int("gateway_start_us") {
            var restarted = false
            if case .bool(let flag)? = cells["gateway_restarted"] { restarted = flag ?? false }
            gateway = GatewaySample(
                pid: Int32(truncatingIfNeeded: pid), cpuPercent: double("gateway_cpu_pct"), rssBytes: int("gateway_rss_bytes"),
                threads: Int(int("gateway_threads") ?? 0), openFiles: int("gateway_open_files").map { Int($0) },
                startMicros: start, restarted: restarted)
        }
        let total = int("mem_total_bytes") ?? 0
        return HostSample(
            tsMicros: ts, host: host, cpuBusyPercent: double("cpu_busy_pct"), cpuWindowSeconds: double("cpu_window_s"),
            load1: double("load1") ?? 0, load5: double("load5") ?? 0, load15: double("load15") ?? 0,
            cpuCount: Int(int("cpu_count") ?? 0), memTotalBytes: total, memAvailableBytes: int("mem_available_bytes") ?? total,
            swapTotalBytes: int("swap_total_bytes") ?? 0, swapUsedBytes: int("swap_used_bytes") ?? 0,
            uptimeSeconds: double("uptime_s") ?? 0, disks: disks, gateway: gateway)
    }
}
