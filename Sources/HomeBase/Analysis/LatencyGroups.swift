/// Exact latency percentiles for many groups at once: the known latencies are distributed to
/// their groups (a counting sort by group id), each group's slice is sorted once, and every
/// statistic is read off the sorted slice.
struct LatencyGroups {
    /// Per group: its values, ascending, as a slice of one shared buffer.
    private var values: [Double]
    private var starts: [Int]

    /// `group(row)` gives a group id in 0..<groups, or nil to leave the row out.
    init(_ c: AnalysisContext, groups: Int, group: (Int) -> Int?) {
        let latency = c.table.latency
        var counts = [Int](repeating: 0, count: groups + 1)
        var ids = [Int32](repeating: -1, count: latency.count)
        for i in 0..<latency.count where !latency[i].isNaN {
            guard let g = group(i) else { continue }
            ids[i] = Int32(g)
            counts[g + 1] += 1
        }
        for g in 0..<groups { counts[g + 1] += counts[g] }
        starts = counts
        var next = counts
        values = [Double](repeating: 0, count: counts[groups])
        for i in 0..<latency.count where ids[i] >= 0 {
            let g = Int(ids[i])
            values[next[g]] = latency[i]
            next[g] += 1
        }
        for g in 0..<groups where starts[g + 1] - starts[g] > 1 {
            values[starts[g]..<starts[g + 1]].sort()
        }
    }

    func sorted(_ g: Int) -> ArraySlice<Double> { values[starts[g]..<starts[g + 1]] }

    func stats(_ g: Int) -> Analysis.LatencyStats {
        let slice = sorted(g)
        var result = Analysis.LatencyStats()
        result.n = slice.count
        guard !slice.isEmpty else { return result }
        result.mean = slice.reduce(0, +) / Double(slice.count)
        result.p50 = Percentile.of(sorted: slice, 0.5)
        result.p90 = Percentile.of(sorted: slice, 0.9)
        result.p95 = Percentile.of(sorted: slice, 0.95)
        result.p99 = Percentile.of(sorted: slice, 0.99)
        result.max = slice.last
        return result
    }

    func named(_ names: [String], offset: Int = 0) -> [String: Analysis.LatencyStats] {
        var result: [String: Analysis.LatencyStats] = [:]
        for (k, name) in names.enumerated() where starts[offset + k + 1] > starts[offset + k] {
            result[name] = stats(offset + k)
        }
        return result
    }
}
