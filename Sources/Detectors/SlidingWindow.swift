/// The last `capacity` values in arrival order and in sorted order, so a median or any quantile
/// of the window costs O(1) and a push O(capacity) (one binary search and one shift each way).
struct SlidingWindow: Sendable {
    let capacity: Int
    private var arrival: [Double] = []
    private var oldest = 0
    private(set) var sorted: [Double] = []

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        arrival.reserveCapacity(self.capacity)
        sorted.reserveCapacity(self.capacity)
    }

    var count: Int { sorted.count }

    mutating func push(_ value: Double) {
        if arrival.count < capacity {
            arrival.append(value)
        } else {
            let leaving = arrival[oldest]
            arrival[oldest] = value
            oldest = (oldest + 1) % capacity
            sorted.remove(at: Self.lowerBound(sorted, leaving))
        }
        sorted.insert(value, at: Self.lowerBound(sorted, value))
    }

    mutating func removeAll() {
        arrival.removeAll(keepingCapacity: true)
        sorted.removeAll(keepingCapacity: true)
        oldest = 0
    }

    /// The median (mean of the two middle values for an even count); nil when empty.
    var median: Double? {
        let n = sorted.count
        guard n > 0 else { return nil }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }

    /// The first index whose value is not below `value`.
    static func lowerBound(_ values: [Double], _ value: Double) -> Int {
        var lo = 0, hi = values.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if values[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
