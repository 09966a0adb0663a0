import HomeBaseCore
import SQLiteStore
import Parquet
import HostHealth
import Lake

extension Analyzer {
    /// The System health section: the samples of `host_samples` from the earlier of the first
    /// analysed day and `healthDays` before `healthNow` (at most 92 days back) up to
    /// `healthNow` (default `generatedAt`), summarised per host; nil when there are none.
    func healthSection(rangeFrom: String, snapshot: Int64?) throws -> Analysis.HealthSection? {
        let now = options.healthNow ?? options.generatedAt
        let nowDay = UTCDate.dayNumber(micros: now)
        var fromDay = nowDay - Int64(max(0, options.healthDays - 1))
        if let first = UTCDate.parseDate(rangeFrom) { fromDay = min(fromDay, first) }
        fromDay = max(fromDay, nowDay - 91)
        let scan = try LakeScan(
            dataDir: options.dataDir, table: .hostSamples, asOf: snapshot, from: UTCDate.dateString(days: fromDay),
            to: UTCDate.dateString(days: nowDay))
        guard !scan.parts.isEmpty else { return nil }
        let fromMicros = fromDay * 86_400_000_000
        var byHost: [String: [HostSample]] = [:]
        try scan.forEachPart(columns: HostSampleRow.columns) { _, columns in
            for row in 0..<(columns.first?.count ?? 0) {
                let cells = zip(HostSampleRow.kinds, columns).map { kind, column in Self.cell(kind, column, row) }
                guard let sample = HostSampleRow.sample(cells), sample.tsMicros >= fromMicros, sample.tsMicros <= now else { continue }
                byHost[sample.host, default: []].append(sample)
            }
        }
        guard !byHost.isEmpty else { return nil }
        var section = Analysis.HealthSection()
        section.from = UTCDate.isoString(micros: fromMicros)
        section.to = UTCDate.isoString(micros: now)
        section.interval_s = options.healthRules.expectedIntervalSeconds
        section.hosts = byHost.keys.sorted().map { host in
            let samples = (byHost[host] ?? []).sorted { $0.tsMicros < $1.tsMicros }
            let summary = HealthSummary.build(samples, nowMicros: now, rules: options.healthRules)
            var entry = Analysis.HostHealth()
            entry.host = host
            entry.samples = summary.samples
            entry.first = summary.firstMicros.map { UTCDate.isoString(micros: $0) } ?? ""
            entry.last = summary.lastMicros.map { UTCDate.isoString(micros: $0) } ?? ""
            entry.days = summary.days.map {
                Analysis.HealthDay(
                    day: $0.day, samples: $0.samples, cpu_p50: $0.cpuP50, cpu_p95: $0.cpuP95, cpu_max: $0.cpuMax,
                    mem_p50: $0.memP50, mem_p95: $0.memP95, mem_max: $0.memMax)
            }
            entry.gateway_restarts = summary.restarts.map {
                Analysis.GatewayRestartPoint(at: UTCDate.isoString(micros: $0.tsMicros), previous_pid: $0.previousPid, pid: $0.pid)
            }
            entry.disks = summary.disks.map {
                Analysis.DiskHeadroom(
                    label: $0.label, total_bytes: $0.totalBytes, available_bytes: $0.availableBytes,
                    shrink_bytes_per_day: $0.growthBytesPerDay, days_until_full: $0.daysUntilFull, samples: $0.samples)
            }
            entry.gaps = summary.gaps.map {
                Analysis.SamplingGapSpan(
                    from: UTCDate.isoString(micros: $0.fromMicros), to: UTCDate.isoString(micros: $0.toMicros),
                    minutes: $0.seconds / 60, ongoing: $0.ongoing)
            }
            entry.alerts =
                options.healthAlerts
                ? summary.findings.map { Alert(rule: $0.rule, key: $0.key, severity: $0.severity, title: $0.title, detail: $0.detail) } : []
            return entry
        }
        return section
    }

    /// One cell of a `host_samples` column as the row type expects it (nil for a null).
    static func cell(_ kind: HostSampleRow.Value, _ column: ColumnData, _ row: Int) -> HostSampleRow.Value {
        let null = column.isNull(row)
        switch (kind, column.values) {
        case (.int, .int64(let values)): return .int(null ? nil : values[row])
        case (.double, .double(let values)): return .double(null ? nil : values[row])
        case (.string, .byteArray(let values)): return .string(null ? nil : values.string(at: row))
        case (.bool, .boolean(let values)): return .bool(null ? nil : values[row])
        case (.int, _): return .int(nil)
        case (.double, _): return .double(nil)
        case (.string, _): return .string(nil)
        case (.bool, _): return .bool(nil)
        }
    }
}
