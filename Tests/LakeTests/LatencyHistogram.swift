@testable import HomeBaseCore

/// Test helper: an exact latency distribution as sparse (value, count) pairs, what
/// `requests_latency_rollup` stores per group: merging histograms of buckets gives the histogram of their union, and its
/// quantiles are those of the raw values (`quantile_cont`), since every value is kept.
struct LatencyHistogram: Sendable, Equatable {
    /// Distinct values, ascending, and how many calls had each.
    private(set) var values: [Double] = []
    private(set) var counts: [Int64] = []
    private var pending: [Double: Int64] = [:]

    init() {}

    /// Adds `count` calls of latency `value` (NaN is ignored: an unknown latency).
    mutating func add(_ value: Double, count: Int64 = 1) {
        guard !value.isNaN, count > 0 else { return }
        pending[value, default: 0] += count
    }

    /// Adds every pair of `other`.
    mutating func merge(_ other: LatencyHistogram) {
        for (value, count) in zip(other.values, other.counts) { add(value, count: count) }
        for (value, count) in other.pending { add(value, count: count) }
    }

    /// Folds the pending pairs into the sorted arrays; call before reading.
    mutating func settle() {
        guard !pending.isEmpty else { return }
        for (value, count) in zip(values, counts) { pending[value, default: 0] += count }
        let sorted = pending.sorted { $0.key < $1.key }
        values = sorted.map(\.key)
        counts = sorted.map(\.value)
        pending = [:]
    }

    /// The number of values.
    var count: Int64 { counts.reduce(0, +) + pending.values.reduce(0, +) }

    /// The `p`-quantile (`Percentile.of` on the expanded values), nil when empty.
    func quantile(_ p: Double) -> Double? {
        var settled = self
        settled.settle()
        return Percentile.of(sorted: Expanded(settled), p)
    }

    /// The values repeated by their counts, as a sorted collection, without expanding them.
    private struct Expanded: RandomAccessCollection {
        let values: [Double]
        let ends: [Int]  // running totals of the counts

        init(_ histogram: LatencyHistogram) {
            values = histogram.values
            var total = 0
            ends = histogram.counts.map {
                total += Int($0)
                return total
            }
        }

        var startIndex: Int { 0 }
        var endIndex: Int { ends.last ?? 0 }

        subscript(position: Int) -> Double {
            var low = 0
            var high = ends.count - 1
            while low < high {  // the first run whose end is past `position`
                let middle = (low + high) / 2
                if ends[middle] > position { high = middle } else { low = middle + 1 }
            }
            return values[low]
        }
    }
}
