extension Analysis {
    /// `health`: the System health section, one entry per host that sent samples
    /// (`homebase sample` → `host_samples`); absent when the lake has no samples in the window.
    package struct HealthSection: Codable, Sendable, Equatable {
        /// The window the samples were taken from (ISO instants, UTC) and the expected interval.
        package var from = ""
        package var to = ""
        package var interval_s = 60.0
        package var hosts: [HostHealth] = []
        package init() {}
    }

    package struct HostHealth: Codable, Sendable, Equatable {
        package var host = ""
        package var samples = 0
        package var first = ""
        package var last = ""
        package var days: [HealthDay] = []
        package var gateway_restarts: [GatewayRestartPoint] = []
        package var disks: [DiskHeadroom] = []
        package var gaps: [SamplingGapSpan] = []
        /// The health alert rules that hold at `to` (also among the alerts of `nightly`).
        package var alerts: [Alert] = []
        package init() {}
    }

    /// CPU busy % and memory used % of one UTC day: p50, p95 (linear interpolation) and max.
    package struct HealthDay: Codable, Sendable, Equatable {
        package var day = ""
        package var samples = 0
        package var cpu_p50: Double?
        package var cpu_p95: Double?
        package var cpu_max: Double?
        package var mem_p50: Double?
        package var mem_p95: Double?
        package var mem_max: Double?
    }

    package struct GatewayRestartPoint: Codable, Sendable, Equatable {
        package var at = ""
        package var previous_pid: Int32 = 0
        package var pid: Int32 = 0
    }

    /// Headroom of one measured disk and the least-squares projection of when it is full.
    package struct DiskHeadroom: Codable, Sendable, Equatable {
        package var label = ""
        package var total_bytes: Int64 = 0
        package var available_bytes: Int64 = 0
        /// Positive: available space shrinks by this much per day.
        package var shrink_bytes_per_day = 0.0
        /// Nil when available space is not shrinking.
        package var days_until_full: Double?
        package var samples = 0
    }

    /// A stretch without samples longer than `gap_factor × interval_s`.
    package struct SamplingGapSpan: Codable, Sendable, Equatable {
        package var from = ""
        package var to = ""
        package var minutes = 0.0
        package var ongoing = false
    }
}
