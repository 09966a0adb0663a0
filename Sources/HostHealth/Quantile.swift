/// Linear-interpolation quantiles (numpy's default, DuckDB's `quantile_cont`): the same rule as
/// HomeBase's `Percentile`, repeated here (6 lines) until that moves into HomeBaseCore.
enum Quantile {
    /// The `p`-quantile of `values` (any order); nil when empty. Position `h = (n − 1)·p`.
    static func of(_ values: [Double], _ p: Double) -> Double? {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return nil }
        let h = Double(sorted.count - 1) * min(max(p, 0), 1)
        let lower = Int(h.rounded(.down))
        guard lower + 1 < sorted.count else { return sorted[lower] }
        return sorted[lower] + (h - Double(lower)) * (sorted[lower + 1] - sorted[lower])
    }
}
