import HomeBaseCore

/// Grows an array indexed by an interned id (agents, models, sessions appear as parts are read).
extension Array {
    package mutating func grow(to count: Int, with value: Element) {
        if self.count < count { append(contentsOf: repeatElement(value, count: count - self.count)) }
    }
}

/// Calls, errors, cost and output tokens per bucket (day or hour) of the fleet (scope 0) and of
/// each agent (scope 1 + agent id), added in row order. One flat array per measure (scope-major),
/// so adding a chunk touches no nested array.
struct ScopeSeries: Sendable {
    let buckets: Int
    private var callCounts: [Int] = []
    private var errorCounts: [Int] = []
    private var costSums: [Double] = []
    private var outputSums: [Int64] = []

    init(buckets: Int) {
        self.buckets = buckets
        ensure(scopes: 1)
    }

    /// Scopes that have had a row added: the fleet and every agent up to the highest id added.
    private(set) var scopes = 0

    func calls(_ s: Int) -> [Int] { Array(callCounts[s * buckets..<(s + 1) * buckets]) }
    func errors(_ s: Int) -> [Int] { Array(errorCounts[s * buckets..<(s + 1) * buckets]) }
    func cost(_ s: Int) -> [Double] { Array(costSums[s * buckets..<(s + 1) * buckets]) }
    func output(_ s: Int) -> [Int64] { Array(outputSums[s * buckets..<(s + 1) * buckets]) }

    private mutating func ensure(scopes wanted: Int) {
        guard wanted > scopes else { return }
        scopes = wanted
        callCounts.grow(to: wanted * buckets, with: 0)
        errorCounts.grow(to: wanted * buckets, with: 0)
        costSums.grow(to: wanted * buckets, with: 0)
        outputSums.grow(to: wanted * buckets, with: 0)
    }

    /// Adds row `rows[j]` of `t` to bucket `bucketOf[j]`, for the fleet and for the row's agent;
    /// every cell takes its rows in row order.
    mutating func add(_ t: CallTable, rows: [Int32], bucketOf: [Int32]) {
        guard let highest = rows.lazy.map({ t.agent[Int($0)] }).max() else { return }
        ensure(scopes: 2 + Int(highest))
        let buckets = self.buckets
        callCounts.withUnsafeMutableBufferPointer { calls in
            errorCounts.withUnsafeMutableBufferPointer { errors in
                costSums.withUnsafeMutableBufferPointer { cost in
                    outputSums.withUnsafeMutableBufferPointer { output in
                        for (j, row) in rows.enumerated() {
                            let i = Int(row), h = Int(bucketOf[j])
                            let isError = t.isError[i], value = t.cost[i], tokens = t.outputTokens[i]
                            func add(_ cell: Int) {
                                calls[cell] += 1
                                if isError { errors[cell] += 1 }
                                cost[cell] += value
                                output[cell] += tokens
                            }
                            add(h)
                            add((1 + Int(t.agent[i])) * buckets + h)
                        }
                    }
                }
            }
        }
    }
}

extension ScopeSeries {
    /// The sums as they stand (`AnalysisCheckpoint`).
    func write(to out: inout StateWriter) {
        out.int(buckets)
        out.int(scopes)
        out.array(callCounts)
        out.array(errorCounts)
        out.array(costSums)
        out.array(outputSums)
    }

    /// What `write` saved, laid out for `buckets` buckets per scope (the saved ones first: a
    /// range that grew at its end).
    init(reading input: inout StateReader, buckets: Int) throws {
        self.init(buckets: buckets)
        let saved = try input.int()
        let savedScopes = try input.int()
        let calls = try input.array(of: Int.self), errors = try input.array(of: Int.self)
        let cost = try input.array(of: Double.self), output = try input.array(of: Int64.self)
        let cells = savedScopes * saved
        guard saved <= buckets, savedScopes >= 1, [calls.count, errors.count, cost.count, output.count].allSatisfy({ $0 == cells }) else {
            throw input.damaged()
        }
        ensure(scopes: savedScopes)
        for s in 0..<savedScopes {
            for h in 0..<saved {
                let from = s * saved + h, to = s * buckets + h
                (callCounts[to], errorCounts[to], costSums[to], outputSums[to]) = (calls[from], errors[from], cost[from], output[from])
            }
        }
    }
}
