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

    /// The median, found by selection (O(n), reorders `values`); the same value as `median`.
    package static func median(selecting values: inout [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let k = values.count / 2
        let upper = select(&values, k)
        guard values.count % 2 == 0 else { return upper }
        // After selection everything before k is ≤ the k-th value: the (k−1)-th is their maximum.
        let lower = values[0..<k].max() ?? upper
        return lower + 0.5 * (upper - lower)
    }

    /// The k-th smallest (0-based) value, with `values` reordered so that those before k are ≤ it
    /// (Hoare's selection with a median-of-three pivot).
    static func select(_ values: inout [Double], _ k: Int) -> Double {
        var low = 0, high = values.count - 1
        while low < high {
            let mid = low + (high - low) / 2
            if values[mid] < values[low] { values.swapAt(mid, low) }
            if values[high] < values[low] { values.swapAt(high, low) }
            if values[high] < values[mid] { values.swapAt(high, mid) }
            let pivot = values[mid]
            var i = low, j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j { values.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { high = j } else if k >= i { low = i } else { break }
        }
        return values[k]
    }
}
