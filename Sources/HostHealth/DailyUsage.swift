import HomeBaseCore

/// CPU busy % and memory used % of one UTC day: median, 95th percentile and maximum.
package struct DailyUsage: Sendable, Equatable {
    package var day: String
    package var samples: Int
    package var cpuP50: Double?, cpuP95: Double?, cpuMax: Double?
    package var memP50: Double?, memP95: Double?, memMax: Double?

    package init(
        day: String, samples: Int, cpuP50: Double?, cpuP95: Double?, cpuMax: Double?,
        memP50: Double?, memP95: Double?, memMax: Double?
    ) {
        self.day = day; self.samples = samples
        self.cpuP50 = cpuP50; self.cpuP95 = cpuP95; self.cpuMax = cpuMax
        self.memP50 = memP50; self.memP95 = memP95; self.memMax = memMax
    }

    /// One row per UTC day that has samples, oldest first. Samples without a CPU figure count
    /// toward `samples` and memory but not CPU.
    package static func compute(_ samples: [HostSample]) -> [DailyUsage] {
        var byDay: [Int64: [HostSample]] = [:]
        for sample in samples { byDay[UTCDate.dayNumber(micros: sample.tsMicros), default: []].append(sample) }
        return byDay.keys.sorted().map { day in
            let group = byDay[day] ?? []
            let cpu = group.compactMap(\.cpuBusyPercent)
            let memory = group.compactMap(\.memUsedPercent)
            return DailyUsage(
                day: UTCDate.dateString(days: day), samples: group.count,
                cpuP50: Percentile.of(cpu, 0.5), cpuP95: Percentile.of(cpu, 0.95), cpuMax: cpu.max(),
                memP50: Percentile.of(memory, 0.5), memP95: Percentile.of(memory, 0.95), memMax: memory.max())
        }
    }
}
