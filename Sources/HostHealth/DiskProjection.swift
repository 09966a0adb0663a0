/// Headroom of one measured directory and when it runs out at the recent rate: a least-squares
/// line through available bytes over time.
package struct DiskProjection: Sendable, Equatable {
    package var label: String
    package var path: String
    package var totalBytes: Int64
    /// At the latest sample.
    package var availableBytes: Int64
    /// How fast available space shrinks (positive = filling up), bytes per day.
    package var growthBytesPerDay: Double
    /// Nil when not growing (`growthBytesPerDay ≤ 0`).
    package var daysUntilFull: Double?
    package var samples: Int

    package init(
        label: String, path: String, totalBytes: Int64, availableBytes: Int64, growthBytesPerDay: Double,
        daysUntilFull: Double?, samples: Int
    ) {
        self.label = label; self.path = path; self.totalBytes = totalBytes; self.availableBytes = availableBytes
        self.growthBytesPerDay = growthBytesPerDay; self.daysUntilFull = daysUntilFull; self.samples = samples
    }

    /// "12.5 days until full" or "not growing".
    package var outlook: String {
        guard let days = daysUntilFull else { return "not growing" }
        return days < 0.1 ? "full now" : "\(HealthRules.format(days)) days until full"
    }

    /// One projection per disk label, over the samples within `windowDays` of the newest one;
    /// labels with fewer than two samples or no time spread are left out.
    package static func project(_ samples: [HostSample], windowDays: Double = 7) -> [DiskProjection] {
        guard let newest = samples.map(\.tsMicros).max() else { return [] }
        let since = newest - Int64(windowDays * 86_400_000_000)
        var points: [String: [(x: Double, disk: DiskUsage)]] = [:]
        var order: [String] = []
        for sample in samples.sorted(by: { $0.tsMicros < $1.tsMicros }) where sample.tsMicros >= since {
            for disk in sample.disks {
                if points[disk.label] == nil { order.append(disk.label) }
                points[disk.label, default: []].append((Double(sample.tsMicros - since) / 86_400_000_000, disk))
            }
        }
        return order.compactMap { label in
            guard let series = points[label], series.count >= 2, let last = series.last else { return nil }
            guard let slope = leastSquaresSlope(series.map { ($0.x, Double($0.disk.availableBytes)) }) else { return nil }
            let growth = -slope
            let days = growth > 0 ? Double(last.disk.availableBytes) / growth : nil
            return DiskProjection(
                label: label, path: last.disk.path, totalBytes: last.disk.totalBytes,
                availableBytes: last.disk.availableBytes, growthBytesPerDay: growth,
                daysUntilFull: days, samples: series.count)
        }
    }

    /// Σ(x − x̄)(y − ȳ) / Σ(x − x̄)²; nil when all x are equal.
    static func leastSquaresSlope(_ points: [(Double, Double)]) -> Double? {
        let n = Double(points.count)
        let meanX = points.reduce(0) { $0 + $1.0 } / n
        let meanY = points.reduce(0) { $0 + $1.1 } / n
        var sxy = 0.0, sxx = 0.0
        for (x, y) in points {
            sxy += (x - meanX) * (y - meanY)
            sxx += (x - meanX) * (x - meanX)
        }
        return sxx > 0 ? sxy / sxx : nil
    }
}
