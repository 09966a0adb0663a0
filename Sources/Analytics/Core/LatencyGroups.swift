import HomeBaseCore
import SQLiteStore
/// Exact latency percentiles for many groups at once. The rows with a known latency are sorted
/// by latency once (`sortedRows`, shared by every grouping); each grouping then distributes them
/// to its groups in that order (a stable counting sort), so every group's slice comes out sorted.
struct LatencyGroups {
    /// Per group: its values, ascending, as a slice of one shared buffer.
    private var values: [Double]
    private var starts: [Int]

    /// Rows with a known latency, ascending by latency.
    static func sortedRows(_ latency: [Double]) -> [Int32] {
        var pairs: [(Double, Int32)] = []
        pairs.reserveCapacity(latency.count)
        for i in 0..<latency.count where !latency[i].isNaN { pairs.append((latency[i], Int32(i))) }
        pairs.sort { $0.0 < $1.0 }
        return pairs.map(\.1)
    }

    /// `group(row)` gives a group id in 0..<groups, or nil to leave the row out.
    init(_ c: AnalysisContext, groups: Int, group: (Int) -> Int?) {
        let latency = c.table.latency
        let order = c.latencyOrder
        var counts = [Int](repeating: 0, count: groups + 1)
        var ids = [Int32](repeating: -1, count: order.count)
        for (k, row) in order.enumerated() {
            guard let g = group(Int(row)) else { continue }
            ids[k] = Int32(g)
            counts[g + 1] += 1
        }
        for g in 0..<groups { counts[g + 1] += counts[g] }
        starts = counts
        var next = counts
        values = [Double](repeating: 0, count: counts[groups])
        for (k, row) in order.enumerated() where ids[k] >= 0 {
            let g = Int(ids[k])
            values[next[g]] = latency[Int(row)]
            next[g] += 1
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
