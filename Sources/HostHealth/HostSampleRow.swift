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
    package static let columns: [String] = [
        "ts_us", "host", "cpu_busy_pct", "cpu_window_s", "load1", "load5", "load15", "cpu_count",
        "mem_total_bytes", "mem_available_bytes", "mem_used_pct", "swap_total_bytes", "swap_used_bytes", "uptime_s",
    ] + diskLabels.flatMap { ["disk_\($0)_total_bytes", "disk_\($0)_available_bytes", "disk_\($0)_used_bytes"] } + [
        "gateway_pid", "gateway_cpu_pct", "gateway_rss_bytes", "gateway_threads", "gateway_open_files",
        "gateway_start_us", "gateway_restarted",
    ]

    /// The cells of `sample`, in `columns` order.
    package static func values(_ sample: HostSample) -> [Value] {
        var row: [Value] = [
            .int(sample.tsMicros), .string(sample.host), .double(sample.cpuBusyPercent), .double(sample.cpuWindowSeconds),
            .double(sample.load1), .double(sample.load5), .double(sample.load15), .int(Int64(sample.cpuCount)),
            .int(sample.memTotalBytes), .int(sample.memAvailableBytes), .double(sample.memUsedPercent),
            .int(sample.swapTotalBytes), .int(sample.swapUsedBytes), .double(sample.uptimeSeconds),
        ]
        for label in diskLabels {
            let disk = sample.disks.first { $0.label == label }
            row += [.int(disk?.totalBytes), .int(disk?.availableBytes), .int(disk?.usedBytes)]
        }
        let gateway = sample.gateway
        row += [.int(gateway.map { Int64($0.pid) }), .double(gateway?.cpuPercent), .int(gateway?.rssBytes),
                .int(gateway.map { Int64($0.threads) }), .int(gateway?.openFiles.map(Int64.init)), .int(gateway?.startMicros),
                .bool(gateway?.restarted)]
        return row
    }
}
