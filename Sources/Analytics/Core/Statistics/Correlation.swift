import HomeBaseCore
/// Pearson and Spearman correlation (Spearman = Pearson of average ranks, as `scipy.stats.spearmanr`).
package enum Correlation {
    /// Pearson's r; nil with fewer than two pairs or a constant side.
    package static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        let n = x.count
        guard n >= 2, y.count == n else { return nil }
        var mx = 0.0, my = 0.0
        for i in 0..<n { mx += x[i]; my += y[i] }
        mx /= Double(n); my /= Double(n)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in 0..<n {
            let dx = x[i] - mx, dy = y[i] - my
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy
        }
        guard sxx > 0, syy > 0 else { return nil }
        return max(-1, min(1, sxy / (sxx.squareRoot() * syy.squareRoot())))
    }

    /// Spearman's ρ with ties given their average rank; nil as for Pearson. Each side's ranks
    /// take its storage when the caller gives it up (`consume`).
    package static func spearman(_ x: consuming [Double], _ y: consuming [Double]) -> Double? {
        guard x.count == y.count else { return nil }
        let xRanks = ranks(consume x)
        return pearson(xRanks, ranks(consume y))
    }

    /// 1-based ranks, ties averaged (-0 ties with +0, as `==` says). From `RadixSort.threshold`
    /// values on, they are ordered by `RadixSort` on their bit patterns (-0 made +0 first): 10 M
    /// costs rank in a fifth of the time a comparison sort of (value, index) pairs took. With a
    /// NaN, which has no order, the comparison sort decides as before.
    /// The ranks are written over `values`' storage when the caller gives it up (`consume`).
    package static func ranks(_ values: consuming [Double]) -> [Double] {
        let n = values.count
        guard n >= RadixSort.threshold, n < Int(UInt32.max), !values.contains(where: \.isNaN) else { return comparisonRanks(values) }
        var keys = values.map { RadixSort.key($0 == 0 ? 0 : $0) }
        var order = [UInt32](unsafeUninitializedCapacity: n) { buffer, count in
            for i in 0..<n { buffer[i] = UInt32(i) }
            count = n
        }
        RadixSort.sort(&keys, carrying: &order)
        var ranks = values  // every slot is written below
        var start = 0
        while start < n {
            var end = start
            while end + 1 < n && keys[end + 1] == keys[start] { end += 1 }
            let rank = Double(start + end) / 2 + 1
            for k in start...end { ranks[Int(order[k])] = rank }
            start = end + 1
        }
        return ranks
    }

    /// The ranks by a comparison sort of (value, index) pairs: the reference for `ranks`.
    static func comparisonRanks(_ values: [Double]) -> [Double] {
        var pairs = values.enumerated().map { ($0.element, $0.offset) }
        pairs.sort { $0.0 < $1.0 }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < pairs.count {
            var end = start
            while end + 1 < pairs.count && pairs[end + 1].0 == pairs[start].0 { end += 1 }
            let rank = Double(start + end) / 2 + 1
            for k in start...end { ranks[pairs[k].1] = rank }
            start = end + 1
        }
        return ranks
    }
}
