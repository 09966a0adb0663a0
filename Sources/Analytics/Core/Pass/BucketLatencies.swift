import HomeBaseCore

/// Latencies per time bucket (local day or UTC hour) and agent, kept only while a bucket is open:
/// once no part still to be read can hold a call of the bucket (`close(before:)`), its values
/// are sorted once and reduced to the fleet's statistics and each agent's p95. So the exact
/// daily and hourly percentiles need a few buckets of calls in memory, not the year.
package struct BucketLatencies: Sendable {
    let count: Int
    /// The instant from which on no call can fall in bucket `k` (see `init`).
    private let closedFrom: [Int64]
    /// Per bucket, per agent id, the latencies in arrival order (emptied when the bucket closes).
    private var open: [[[Double]]]
    private var nextToClose = 0
    /// The fleet's statistics per bucket (p95 only unless `fullStats`).
    private(set) var fleet: [Analysis.LatencyStats]
    /// Per agent id, the p95 of each bucket.
    private(set) var agentP95: [[Double?]] = []
    private let fullStats: Bool

    /// `closedFrom[k]`: every call at or after this instant is in a later bucket than `k`.
    package init(closedFrom: [Int64], fullStats: Bool) {
        count = closedFrom.count
        self.closedFrom = closedFrom
        self.fullStats = fullStats
        fleet = Array(repeating: Analysis.LatencyStats(), count: closedFrom.count)
        open = Array(repeating: [], count: closedFrom.count)
    }

    package mutating func add(bucket: Int, agent: Int32, latency: Double) {
        let a = Int(agent)
        open[bucket].grow(to: a + 1, with: [])
        open[bucket][a].append(latency)
    }

    /// Reduces every bucket that no call at or after `micros` can belong to.
    package mutating func close(before micros: Int64) {
        while nextToClose < count && closedFrom[nextToClose] <= micros {
            reduce(nextToClose)
            nextToClose += 1
        }
    }

    /// Reduces the buckets still open (after the last part).
    package mutating func closeAll() {
        while nextToClose < count {
            reduce(nextToClose)
            nextToClose += 1
        }
    }

    private mutating func reduce(_ k: Int) {
        var agents = open[k]
        open[k] = []
        var sortedAgents: [[Double]] = []
        for a in agents.indices where !agents[a].isEmpty {
            RadixSort.sort(&agents[a])
            while agentP95.count <= a { agentP95.append(Array(repeating: nil, count: count)) }
            agentP95[a][k] = Percentile.of(sorted: agents[a], 0.95)
            sortedAgents.append(agents[a])
        }
        let all = Self.merged(sortedAgents)
        guard !all.isEmpty else { return }
        if fullStats {
            var stats = Analysis.LatencyStats()
            stats.n = all.count
            stats.mean = all.reduce(0, +) / Double(all.count)
            stats.p50 = Percentile.of(sorted: all, 0.5)
            stats.p90 = Percentile.of(sorted: all, 0.9)
            stats.p95 = Percentile.of(sorted: all, 0.95)
            stats.p99 = Percentile.of(sorted: all, 0.99)
            stats.max = all.last
            fleet[k] = stats
        } else {
            fleet[k].n = all.count
            fleet[k].p95 = Percentile.of(sorted: all, 0.95)
        }
    }

    /// The values of ascending lists, ascending: merged two by two (sorting them all again was
    /// a tenth of summing the last days). With a −0 or a NaN, whose place sorting decides, the
    /// concatenation is sorted as before.
    static func merged(_ lists: [[Double]]) -> [Double] {
        guard lists.count > 1 else { return lists.first ?? [] }
        if lists.contains(where: { $0.contains(where: \.placedOnlyBySort) }) {
            var all = lists.flatMap { $0 }
            RadixSort.sort(&all)
            return all
        }
        var level = lists
        while level.count > 1 {
            var next: [[Double]] = []
            next.reserveCapacity((level.count + 1) / 2)
            for i in stride(from: 0, to: level.count, by: 2) {
                next.append(i + 1 < level.count ? mergedPair(level[i], level[i + 1]) : level[i])
            }
            level = next
        }
        return level[0]
    }

    private static func mergedPair(_ a: [Double], _ b: [Double]) -> [Double] {
        [Double](unsafeUninitializedCapacity: a.count + b.count) { out, count in
            var i = 0, j = 0, k = 0
            while i < a.count && j < b.count {
                if b[j] < a[i] {
                    out[k] = b[j]
                    j += 1
                } else {
                    out[k] = a[i]
                    i += 1
                }
                k += 1
            }
            while i < a.count {
                out[k] = a[i]
                i += 1
                k += 1
            }
            while j < b.count {
                out[k] = b[j]
                j += 1
                k += 1
            }
            count = k
        }
    }

    /// Agent `a`'s p95 per bucket (nil where it had no call with a latency).
    package func p95(agent a: Int) -> [Double?] { a < agentP95.count ? agentP95[a] : Array(repeating: nil, count: count) }
}

extension BucketLatencies {
    /// Whether no latency was ever added.
    var isEmpty: Bool { agentP95.isEmpty && open.allSatisfy(\.isEmpty) && fleet.allSatisfy { $0.n == 0 } }

    /// The buckets as they stand (`AnalysisCheckpoint`): open ones with their values, closed ones
    /// reduced.
    func write(to out: inout StateWriter) {
        out.int(count)  // of every per-bucket list below
        out.int(nextToClose)
        for agents in open {
            out.int(agents.count)
            for values in agents { out.array(values) }
        }
        for stats in fleet { stats.write(to: &out) }
        out.int(agentP95.count)
        for values in agentP95 {
            for value in values { out.optional(value) { $0.double($1) } }
        }
    }

    /// What `write` saved, in the buckets of `layout` (a new, empty one: the saved buckets
    /// first, for a range that grew at its end).
    init(reading input: inout StateReader, layout: BucketLatencies) throws {
        self = layout
        let saved = try input.int()
        nextToClose = try input.int()
        guard saved >= 0, saved <= count, nextToClose >= 0, nextToClose <= saved else { throw input.damaged() }
        for k in 0..<saved {
            open[k] = try (0..<input.count(size: 8)).map { _ in try input.array(of: Double.self) }
        }
        for k in 0..<saved { fleet[k] = try Analysis.LatencyStats(reading: &input) }
        agentP95 = try (0..<input.count(size: saved)).map { _ in
            try (0..<saved).map { _ in try input.optional { try $0.double() } } + Array(repeating: nil, count: count - saved)
        }
    }
}

extension Analysis.LatencyStats {
    func write(to out: inout StateWriter) {
        out.int(n)
        for value in [mean, p50, p90, p95, p99, max] { out.optional(value) { $0.double($1) } }
    }

    init(reading input: inout StateReader) throws {
        self.init()
        n = try input.int()
        let values = try (0..<6).map { _ in try input.optional { try $0.double() } }
        (mean, p50, p90, p95, p99, max) = (values[0], values[1], values[2], values[3], values[4], values[5])
    }
}
