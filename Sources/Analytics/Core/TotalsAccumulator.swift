/// Sums calls, errors, tokens, cost and cache savings per group id, then turns each group into
/// `Analysis.Totals` with the derived ratios.
struct TotalsAccumulator: Sendable {
    private var calls: [Int]
    private var errors: [Int]
    private var cost: [Double]
    private var savings: [Double]
    private var tokens: [Int64]  // 5 per group: input, output, cache read, cache write, total

    init(groups: Int) {
        calls = Array(repeating: 0, count: groups)
        errors = calls
        cost = Array(repeating: 0, count: groups)
        savings = cost
        tokens = Array(repeating: 0, count: groups * 5)
    }

    var groups: Int { calls.count }

    /// Makes room for groups up to `count` (ids interned since the accumulator was made).
    mutating func grow(to count: Int) {
        guard count > calls.count else { return }
        calls.grow(to: count, with: 0)
        errors.grow(to: count, with: 0)
        cost.grow(to: count, with: 0)
        savings.grow(to: count, with: 0)
        tokens.grow(to: count * 5, with: 0)
    }

    /// Adds row `i` of `t` (whose cache savings are `saved`) to group `g`.
    mutating func add(_ t: CallTable, row i: Int, saved: Double, group g: Int) {
        if g >= calls.count { grow(to: g + 1) }
        calls[g] += 1
        if t.isError[i] { errors[g] += 1 }
        cost[g] += t.cost[i]
        savings[g] += saved
        tokens[g * 5] += t.inputTokens[i]
        tokens[g * 5 + 1] += t.outputTokens[i]
        tokens[g * 5 + 2] += t.cacheReadTokens[i]
        tokens[g * 5 + 3] += t.cacheWriteTokens[i]
        tokens[g * 5 + 4] += t.totalTokens[i]
    }

    func totals(_ g: Int) -> Analysis.Totals {
        var result = Analysis.Totals()
        guard g < calls.count else { return result }
        result.calls = calls[g]
        result.errors = errors[g]
        result.cost_usd = cost[g]
        result.cache_savings_usd = savings[g]
        result.input_tokens = tokens[g * 5]
        result.output_tokens = tokens[g * 5 + 1]
        result.cache_read_tokens = tokens[g * 5 + 2]
        result.cache_write_tokens = tokens[g * 5 + 3]
        result.total_tokens = tokens[g * 5 + 4]
        if calls[g] > 0 { result.cost_per_request_usd = cost[g] / Double(calls[g]) }
        if result.total_tokens > 0 { result.cost_per_1k_tokens_usd = cost[g] * 1000 / Double(result.total_tokens) }
        let prompt = result.input_tokens + result.cache_read_tokens + result.cache_write_tokens
        if prompt > 0 { result.cache_hit_ratio = Double(result.cache_read_tokens) / Double(prompt) }
        return result
    }

    func calls(_ g: Int) -> Int { g < calls.count ? calls[g] : 0 }

    /// Groups with at least one call, by name.
    func named(_ names: [String], offset: Int = 0) -> [String: Analysis.Totals] {
        var result: [String: Analysis.Totals] = [:]
        for (index, name) in names.enumerated() where calls(offset + index) > 0 {
            result[name] = totals(offset + index)
        }
        return result
    }
}
