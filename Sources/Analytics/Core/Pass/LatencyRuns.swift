import HomeBaseCore

/// An exact latency distribution kept as distinct values with their counts: whole milliseconds
/// below `denseLimit` (what OpenClaw logs) are counted in an array indexed by the value, any
/// other value is buffered and sorted into runs when the buffer fills. Memory follows the number
/// of distinct latencies, not the number of calls, and every statistic equals the one taken over
/// the sorted raw values.
package struct LatencyRuns: Sendable {
    /// 131,072 ms: an array of at most 512 KB per group.
    static let denseLimit = 1 << 17
    private var dense: [UInt32] = []
    private var values: [Double] = []
    private var counts: [Int] = []
    private var pending: [Double] = []

    /// Number of values added.
    private(set) var count = 0

    package init() {}

    package mutating func add(_ value: Double) {
        count += 1
        if value >= 0 && value < Double(Self.denseLimit), let index = Int(exactly: value), value.sign == .plus {
            if index >= dense.count { dense.grow(to: min(Self.denseLimit, max(index + 1, dense.count * 2, 1024)), with: 0) }
            if dense[index] < .max {  // a full counter sends further values to the runs
                dense[index] += 1
                return
            }
        }
        pending.append(value)
        if pending.count >= max(4096, values.count) { fold() }
    }

    /// Adds every value of `values`, as `add` one by one would: the dense counters are grown once
    /// and written through one pointer (per value, `add` paid a uniqueness and a bounds check).
    mutating func add(contentsOf values: UnsafeBufferPointer<Double>) {
        guard !values.isEmpty else { return }
        count += values.count
        let limit = Double(Self.denseLimit)
        var top = -1.0
        for value in values where value < limit && value > top { top = value }
        if top >= 0, Int(top) >= dense.count { dense.grow(to: min(Self.denseLimit, max(Int(top) + 1, dense.count * 2, 1024)), with: 0) }
        var spilled: [Double] = []
        dense.withUnsafeMutableBufferPointer { dense in
            for value in values {
                if value >= 0 && value < limit, let index = Int(exactly: value), value.sign == .plus, dense[index] < .max {
                    dense[index] += 1  // a full counter sends further values to the runs, as in `add`
                } else {
                    spilled.append(value)
                }
            }
        }
        guard !spilled.isEmpty else { return }
        pending.append(contentsOf: spilled)
        if pending.count >= max(4096, self.values.count) { fold() }
    }

    /// Adds `values[k]` to `runs[groups[k]]` for every k: the values are counting-sorted by group
    /// (stable) and each group's run added at once.
    static func add(_ values: [Double], groups: [Int32], to runs: inout [LatencyRuns]) {
        var starts = [Int](repeating: 0, count: runs.count + 1)
        for g in groups { starts[Int(g) + 1] += 1 }
        for g in 0..<runs.count { starts[g + 1] += starts[g] }
        var next = starts
        var sorted = [Double](repeating: 0, count: values.count)
        for k in values.indices {
            let g = Int(groups[k])
            sorted[next[g]] = values[k]
            next[g] += 1
        }
        sorted.withUnsafeBufferPointer { sorted in
            for g in 0..<runs.count where starts[g + 1] > starts[g] {
                runs[g].add(contentsOf: UnsafeBufferPointer(rebasing: sorted[starts[g]..<starts[g + 1]]))
            }
        }
    }

    /// Sorts the buffered values into the runs.
    mutating func fold() {
        guard !pending.isEmpty else { return }
        RadixSort.sort(&pending)
        var mergedValues: [Double] = [], mergedCounts: [Int] = []
        mergedValues.reserveCapacity(values.count + pending.count)
        mergedCounts.reserveCapacity(values.count + pending.count)
        func push(_ value: Double, _ n: Int) {
            if let last = mergedValues.last, last == value {
                mergedCounts[mergedCounts.count - 1] += n
            } else {
                mergedValues.append(value)
                mergedCounts.append(n)
            }
        }
        var i = 0, j = 0
        while i < values.count || j < pending.count {
            if j == pending.count || (i < values.count && values[i] <= pending[j]) {
                push(values[i], counts[i])
                i += 1
            } else {
                push(pending[j], 1)
                j += 1
            }
        }
        values = mergedValues
        counts = mergedCounts
        pending = []
    }

    /// n, mean, p50…p99 and max, as `LatencyStats` over the sorted values (the mean adds them in
    /// ascending order, one by one, as a sum over the sorted array does).
    package func stats() -> Analysis.LatencyStats {
        var settled = self
        settled.fold()
        settled.mergeDense()
        var result = Analysis.LatencyStats()
        result.n = settled.count
        guard settled.count > 0 else { return result }
        var sum = 0.0
        for (value, n) in zip(settled.values, settled.counts) { for _ in 0..<n { sum += value } }
        result.mean = sum / Double(settled.count)
        let sorted = Expanded(values: settled.values, counts: settled.counts)
        result.p50 = Percentile.of(sorted: sorted, 0.5)
        result.p90 = Percentile.of(sorted: sorted, 0.9)
        result.p95 = Percentile.of(sorted: sorted, 0.95)
        result.p99 = Percentile.of(sorted: sorted, 0.99)
        result.max = settled.values.last
        return result
    }

    /// Moves the dense counts into the sorted runs (for reading).
    private mutating func mergeDense() {
        guard !dense.isEmpty else { return }
        var mergedValues: [Double] = [], mergedCounts: [Int] = []
        var i = 0, j = 0
        while i < values.count || j < dense.count {
            if j < dense.count && dense[j] == 0 {
                j += 1
            } else if j == dense.count || (i < values.count && values[i] < Double(j)) {
                mergedValues.append(values[i])
                mergedCounts.append(counts[i])
                i += 1
            } else if i < values.count && values[i] == Double(j) {  // -0.0 sorts with 0
                mergedValues.append(values[i])
                mergedCounts.append(counts[i] + Int(dense[j]))
                i += 1
                j += 1
            } else {
                mergedValues.append(Double(j))
                mergedCounts.append(Int(dense[j]))
                j += 1
            }
        }
        values = mergedValues
        counts = mergedCounts
        dense = []
    }

    /// The distribution as it stands (`AnalysisCheckpoint`); the dense counters as (value, count)
    /// pairs of the values seen, since most of a group's 131,072 counters are zero.
    func write(to out: inout StateWriter) {
        out.int(count)
        out.int(dense.count)
        var seen: [UInt32] = []
        for (value, n) in dense.enumerated() where n > 0 {
            seen.append(UInt32(value))
            seen.append(n)
        }
        out.array(seen)
        out.array(values)
        out.array(counts)
        out.array(pending)
    }

    init(reading input: inout StateReader) throws {
        count = try input.int()
        let denseCount = try input.int()
        let seen = try input.array(of: UInt32.self)
        guard denseCount >= 0 && denseCount <= Self.denseLimit && seen.count % 2 == 0 else { throw input.damaged() }
        dense = Array(repeating: 0, count: denseCount)
        for k in stride(from: 0, to: seen.count, by: 2) {
            guard Int(seen[k]) < denseCount else { throw input.damaged() }
            dense[Int(seen[k])] = seen[k + 1]
        }
        values = try input.array()
        counts = try input.array()
        pending = try input.array()
        guard values.count == counts.count else { throw input.damaged() }
    }

    /// The runs read as the sorted array they stand for, without expanding it.
    private struct Expanded: RandomAccessCollection {
        let values: [Double]
        let ends: [Int]  // running totals of the counts

        init(values: [Double], counts: [Int]) {
            self.values = values
            var total = 0
            ends = counts.map {
                total += $0
                return total
            }
        }

        var startIndex: Int { 0 }
        var endIndex: Int { ends.last ?? 0 }

        subscript(position: Int) -> Double {
            var low = 0, high = ends.count - 1
            while low < high {  // the first run that ends after `position`
                let middle = (low + high) / 2
                if ends[middle] > position { high = middle } else { low = middle + 1 }
            }
            return values[low]
        }
    }
}
