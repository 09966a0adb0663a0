/// Grows an array indexed by an interned id (agents, models, sessions appear as parts are read).
extension Array {
    mutating func grow(to count: Int, with value: Element) {
        if self.count < count { append(contentsOf: repeatElement(value, count: count - self.count)) }
    }
}

/// Calls, errors, cost and output tokens per bucket (day or hour) of the fleet (scope 0) and of
/// each agent (scope 1 + agent id), added in row order.
struct ScopeSeries: Sendable {
    let buckets: Int
    private(set) var calls: [[Int]] = []
    private(set) var errors: [[Int]] = []
    private(set) var cost: [[Double]] = []
    private(set) var output: [[Int64]] = []

    init(buckets: Int) {
        self.buckets = buckets
        ensure(scopes: 1)
    }

    var scopes: Int { calls.count }

    private mutating func ensure(scopes: Int) {
        while calls.count < scopes {
            calls.append(Array(repeating: 0, count: buckets))
            errors.append(Array(repeating: 0, count: buckets))
            cost.append(Array(repeating: 0, count: buckets))
            output.append(Array(repeating: 0, count: buckets))
        }
    }

    mutating func add(bucket h: Int, agent: Int32, isError: Bool, cost value: Double, output tokens: Int64) {
        ensure(scopes: 2 + Int(agent))
        for s in [0, 1 + Int(agent)] {
            calls[s][h] += 1
            if isError { errors[s][h] += 1 }
            cost[s][h] += value
            output[s][h] += tokens
        }
    }
}
