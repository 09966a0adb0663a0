/// Exact percentiles with linear interpolation between order statistics: numpy's default
/// (`method="linear"`) and DuckDB's `quantile_cont`, so every figure can be checked against both.
package enum Percentile {
    /// The `p`-quantile (`p` in 0...1) of ascending `sorted`; nil when empty.
    /// Position `h = (n − 1)·p`; result `x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])`.
    package static func of(sorted: some RandomAccessCollection<Double>, _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let h = Double(sorted.count - 1) * min(max(p, 0), 1)
        let lower = Int(h.rounded(.down))
        let base = sorted.index(sorted.startIndex, offsetBy: lower)
        let low = sorted[base]
        guard lower + 1 < sorted.count else { return low }
        let high = sorted[sorted.index(after: base)]
        let fraction = h - Double(lower)
        return fraction == 0 ? low : low + fraction * (high - low)
    }

    /// The `p`-quantile of unsorted values (sorts a copy).
    package static func of(_ values: [Double], _ p: Double) -> Double? {
        of(sorted: values.sorted(), p)
    }

    /// The median of unsorted values; nil when empty.
    package static func median(_ values: [Double]) -> Double? { of(values, 0.5) }
}
