/// One reading of the host and the OpenClaw gateway: a line of the spool and a row of the lake
/// table `host_samples`. Keys are snake_case, the same names as the table's columns.
package struct HostSample: Sendable, Equatable, Codable {
    /// Sample time, microseconds since the epoch (UTC).
    package var tsMicros: Int64
    package var host: String
    /// Percent of all CPUs busy over the last `cpuWindowSeconds`; nil when no earlier reading
    /// was usable (first run after a reboot).
    package var cpuBusyPercent: Double?
    package var cpuWindowSeconds: Double?
    package var load1: Double
    package var load5: Double
    package var load15: Double
    package var cpuCount: Int
    package var memTotalBytes: Int64
    package var memAvailableBytes: Int64
    package var swapTotalBytes: Int64
    package var swapUsedBytes: Int64
    package var uptimeSeconds: Double
    package var disks: [DiskUsage]
    /// Nil when the gateway was not running (or not found).
    package var gateway: GatewaySample?

    package init(
        tsMicros: Int64, host: String, cpuBusyPercent: Double?, cpuWindowSeconds: Double?, load1: Double, load5: Double,
        load15: Double, cpuCount: Int, memTotalBytes: Int64, memAvailableBytes: Int64, swapTotalBytes: Int64,
        swapUsedBytes: Int64, uptimeSeconds: Double, disks: [DiskUsage], gateway: GatewaySample?
    ) {
        self.tsMicros = tsMicros; self.host = host; self.cpuBusyPercent = cpuBusyPercent; self.cpuWindowSeconds = cpuWindowSeconds
        self.load1 = load1; self.load5 = load5; self.load15 = load15; self.cpuCount = cpuCount
        self.memTotalBytes = memTotalBytes; self.memAvailableBytes = memAvailableBytes
        self.swapTotalBytes = swapTotalBytes; self.swapUsedBytes = swapUsedBytes; self.uptimeSeconds = uptimeSeconds
        self.disks = disks; self.gateway = gateway
    }

    package var memUsedBytes: Int64 { memTotalBytes - memAvailableBytes }
    /// Used memory as a percent of total; nil when total is 0.
    package var memUsedPercent: Double? {
        memTotalBytes > 0 ? Double(memUsedBytes) / Double(memTotalBytes) * 100 : nil
    }

    private enum CodingKeys: String, CodingKey {
        case tsMicros = "ts_us", host, cpuBusyPercent = "cpu_busy_pct", cpuWindowSeconds = "cpu_window_s"
        case load1, load5, load15, cpuCount = "cpu_count"
        case memTotalBytes = "mem_total_bytes", memAvailableBytes = "mem_available_bytes"
        case swapTotalBytes = "swap_total_bytes", swapUsedBytes = "swap_used_bytes", uptimeSeconds = "uptime_s"
        case disks, gateway
    }
}

/// The gateway process at sample time.
package struct GatewaySample: Sendable, Equatable, Codable {
    package var pid: Int32
    /// Percent of one CPU used since the previous reading of the same process; nil on the first.
    package var cpuPercent: Double?
    package var rssBytes: Int64?
    package var threads: Int
    /// Nil when `/proc/<pid>/fd` is not readable (another user's process).
    package var openFiles: Int?
    /// Process start, microseconds since the epoch (boot time + stat field 22).
    package var startMicros: Int64
    /// The start time (or pid) differs from the previous sample's: the gateway restarted.
    package var restarted: Bool

    package init(pid: Int32, cpuPercent: Double?, rssBytes: Int64?, threads: Int, openFiles: Int?, startMicros: Int64, restarted: Bool) {
        self.pid = pid; self.cpuPercent = cpuPercent; self.rssBytes = rssBytes; self.threads = threads
        self.openFiles = openFiles; self.startMicros = startMicros; self.restarted = restarted
    }

    private enum CodingKeys: String, CodingKey {
        case pid, cpuPercent = "cpu_pct", rssBytes = "rss_bytes", threads, openFiles = "open_files"
        case startMicros = "start_us", restarted
    }
}
