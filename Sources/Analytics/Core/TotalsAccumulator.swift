import HomeBaseCore

/// Sums calls, errors, tokens, cost and cache savings per group id, then turns each group into
/// `Analysis.Totals` with the derived ratios.
struct TotalsAccumulator: Sendable {
    /// Per group: calls, errors, then the five token sums (input, output, cache read, cache
    /// write, total). One flat array each for the counts and the money, so adding a row touches
    /// two arrays, not five (a window adds every row into four accumulators).
    private var counts: [Int64]
    private var money: [Double]  // per group: cost, cache savings
    private static let countWidth = 7

    init(groups: Int) {
        counts = Array(repeating: 0, count: groups * Self.countWidth)
        money = Array(repeating: 0, count: groups * 2)
    }

    var groups: Int { money.count / 2 }

    /// Makes room for groups up to `count` (ids interned since the accumulator was made).
    mutating func grow(to count: Int) {
        guard count > groups else { return }
        counts.grow(to: count * Self.countWidth, with: 0)
        money.grow(to: count * 2, with: 0)
    }

    /// Adds rows `rows` of `t` (whose cache savings are `saved`, per row of `t`), row `i` to
    /// group `groupOf[i]` (group 0 when nil), in the order given: the same sums as adding them one
    /// at a time, with the buffers taken once for the whole chunk.
    mutating func add(_ t: CallTable, rows: [Int32], saved: [Double], groupOf: [Int32]?) {
        guard !rows.isEmpty else { return }
        if let groupOf, let highest = rows.lazy.map({ groupOf[Int($0)] }).max() { grow(to: Int(highest) + 1) }
        counts.withUnsafeMutableBufferPointer { c in
            money.withUnsafeMutableBufferPointer { m in
                for row in rows {
                    let i = Int(row)
                    let g = groupOf.map { Int($0[i]) } ?? 0
                    let at = g * Self.countWidth
                    c[at] += 1
                    if t.isError[i] { c[at + 1] += 1 }
                    c[at + 2] += t.inputTokens[i]
                    c[at + 3] += t.outputTokens[i]
                    c[at + 4] += t.cacheReadTokens[i]
                    c[at + 5] += t.cacheWriteTokens[i]
                    c[at + 6] += t.totalTokens[i]
                    m[g * 2] += t.cost[i]
                    m[g * 2 + 1] += saved[i]
                }
            }
        }
    }

    func totals(_ g: Int) -> Analysis.Totals {
        var result = Analysis.Totals()
        guard g < groups else { return result }
        let at = g * Self.countWidth
        let calls = Int(counts[at]), cost = money[g * 2]
        result.calls = calls
        result.errors = Int(counts[at + 1])
        result.cost_usd = cost
        result.cache_savings_usd = money[g * 2 + 1]
        result.input_tokens = counts[at + 2]
        result.output_tokens = counts[at + 3]
        result.cache_read_tokens = counts[at + 4]
        result.cache_write_tokens = counts[at + 5]
        result.total_tokens = counts[at + 6]
        if calls > 0 { result.cost_per_request_usd = cost / Double(calls) }
        if result.total_tokens > 0 { result.cost_per_1k_tokens_usd = cost * 1000 / Double(result.total_tokens) }
        let prompt = result.input_tokens + result.cache_read_tokens + result.cache_write_tokens
        if prompt > 0 { result.cache_hit_ratio = Double(result.cache_read_tokens) / Double(prompt) }
        return result
    }

    func calls(_ g: Int) -> Int { g < groups ? Int(counts[g * Self.countWidth]) : 0 }

    /// Groups with at least one call, by name.
    func named(_ names: [String], offset: Int = 0) -> [String: Analysis.Totals] {
        var result: [String: Analysis.Totals] = [:]
        for (index, name) in names.enumerated() where calls(offset + index) > 0 {
            result[name] = totals(offset + index)
        }
        return result
    }
}

extension TotalsAccumulator {
    /// The sums as they stand (`AnalysisCheckpoint`).
    func write(to out: inout StateWriter) {
        out.array(counts)
        out.array(money)
    }

    init(reading input: inout StateReader) throws {
        self.init(groups: 0)
        counts = try input.array()
        money = try input.array()
        guard counts.count == groups * Self.countWidth else { throw input.damaged() }
    }
}
