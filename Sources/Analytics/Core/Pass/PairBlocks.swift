/// Cost and latency pairs of one model's calls, in row order, kept in fixed blocks: growing never
/// copies and leaves at most one block unused, where one array would double (up to twice the
/// memory of the pairs, the largest thing a streamed analysis holds).
struct PairBlocks: Sendable {
    static let blockSize = 1 << 16
    private var costs: [[Double]] = []
    private var latencies: [[Double]] = []
    private(set) var count = 0

    mutating func append(cost: Double, latency: Double) {
        if count % Self.blockSize == 0 {
            costs.append([])
            costs[costs.count - 1].reserveCapacity(Self.blockSize)
            latencies.append([])
            latencies[latencies.count - 1].reserveCapacity(Self.blockSize)
        }
        costs[costs.count - 1].append(cost)
        latencies[latencies.count - 1].append(latency)
        count += 1
    }

    /// The pairs as two arrays (built for one model's correlation, then dropped).
    func arrays() -> (costs: [Double], latencies: [Double]) {
        (Array(costs.joined()), Array(latencies.joined()))
    }
}
