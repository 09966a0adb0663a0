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
        if values.count >= bracketMinimum, let (lower, upper) = middle(bracketing: values, k) {
            return values.count % 2 == 0 ? lower + 0.5 * (upper - lower) : upper
        }
        let upper = select(&values, k)
        guard values.count % 2 == 0 else { return upper }
        // After selection everything before k is ≤ the k-th value: the (k−1)-th is their maximum.
        let lower = values[0..<k].max() ?? upper
        return lower + 0.5 * (upper - lower)
    }

    /// Orders `values` so that positions `0...low` and `high..<count` hold what a full ascending
    /// sort puts there (the middle is left in any order): quantiles in the tails read as from a
    /// sorted array at a fraction of the sort. Values with a NaN or a −0 (whose order selection
    /// does not define) are sorted whole, as are small arrays.
    package static func sortTails(_ values: inout [Double], low: Int, high: Int) {
        let n = values.count
        guard low >= 0, high < n, low + 1 < high, n >= 64,
            !values.contains(where: \.placedOnlyBySort)
        else {
            values.sort()
            return
        }
        _ = select(&values, low)  // the low + 1 smallest before and at `low`
        values[0...low].sort()
        var rest = Array(values[(low + 1)...])
        _ = select(&rest, high - low - 1)  // the largest from `high` on
        rest[(high - low - 1)...].sort()
        values.replaceSubrange((low + 1)..., with: rest)
    }

    /// Values from which `median(selecting:)` first brackets the middle from a sample.
    static let bracketMinimum = 4096

    /// The (k−1)-th and k-th smallest values (0-based; the first is the second when k = 0) without
    /// reordering `values`: an evenly spaced sample of 1,024 values, sorted, gives two bounds 3.5
    /// standard errors either side of the middle; one pass without branches counts the values
    /// below the lower bound and copies those between the bounds (a few percent of them), and the
    /// copies are selected in. Quickselect over all values mispredicted a branch on about every
    /// other comparison. nil when the bounds missed, or for values with a NaN or a −0 (whose
    /// order selection does not define): the caller then selects over all of them.
    static func middle(bracketing values: [Double], _ k: Int) -> (Double, Double)? {
        let n = values.count
        let step = n / 1024
        var sample = stride(from: step / 2, to: n, by: step).map { values[$0] }
        guard !sample.contains(where: \.isNaN) else { return nil }
        sample.sort()
        let centre = Int(Double(k) / Double(n) * Double(sample.count))
        let lo = sample[max(0, centre - 56)], hi = sample[min(sample.count - 1, centre + 56)]
        let limit = n / 4
        var inside = [Double](repeating: 0, count: limit + 1)
        var below = 0, above = 0, count = 0
        var negativeZeros = 0
        let fits: Bool = values.withUnsafeBufferPointer { v in
            inside.withUnsafeMutableBufferPointer { out in
                for x in v {
                    below &+= x < lo ? 1 : 0
                    above &+= x > hi ? 1 : 0
                    out[count] = x
                    count &+= x >= lo && x <= hi ? 1 : 0
                    negativeZeros &+= x.bitPattern == (-0.0).bitPattern ? 1 : 0
                    if count == limit { return false }
                }
                return true
            }
        }
        // Every value counted once (no NaN), and both middle ranks between the bounds.
        guard fits, negativeZeros == 0, below + above + count == n, below <= max(0, k - 1), k < below + count else { return nil }
        inside.removeLast(inside.count - count)
        let upper = select(&inside, k - below)
        // Selection left the values before it no larger: the (k−1)-th is their maximum (below ≤ k − 1, so there is one).
        let lower = inside[0..<(k - below)].max() ?? upper
        return (lower, upper)
    }

    /// The k-th smallest (0-based) value, with `values` reordered so that those before k are ≤ it
    /// (Hoare's selection with a median-of-three pivot).
    static func select(_ values: inout [Double], _ k: Int) -> Double {
        // Through a buffer pointer: `swapAt` on the array checked bounds and uniqueness on every
        // swap, most of the trends section (the median of 66 k slopes per series).
        values.withUnsafeMutableBufferPointer { buffer in
            let v = buffer.baseAddress!
            var low = 0, high = buffer.count - 1
            while low < high {
                let mid = low + (high - low) / 2
                if v[mid] < v[low] { (v[mid], v[low]) = (v[low], v[mid]) }
                if v[high] < v[low] { (v[high], v[low]) = (v[low], v[high]) }
                if v[high] < v[mid] { (v[high], v[mid]) = (v[mid], v[high]) }
                let pivot = v[mid]
                var i = low, j = high
                while i <= j {
                    while v[i] < pivot { i += 1 }
                    while v[j] > pivot { j -= 1 }
                    if i <= j {
                        (v[i], v[j]) = (v[j], v[i])
                        i += 1
                        j -= 1
                    }
                }
                if k <= j { high = j } else if k >= i { low = i } else { break }
            }
            return v[k]
        }
    }
}
