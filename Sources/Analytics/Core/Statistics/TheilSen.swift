import HomeBaseCore
/// Theil–Sen line: the median of all pairwise slopes, robust to a few outlying days. Same
/// definition as `scipy.stats.theilslopes` (intercept = median(y) − slope·median(x)).
package struct TheilSen: Sendable, Equatable {
    package var slope: Double
    package var intercept: Double

    /// Fits `y` against `x` (same length, at least two distinct x); nil otherwise.
    package init?(x: [Double], y: [Double]) {
        guard x.count == y.count, x.count >= 2 else { return nil }
        var slopes: [Double]
        if zip(x, x.dropFirst()).allSatisfy({ $0 < $1 }) {
            // Increasing x (a daily series' day indices): every pair counts, written in place
            // without a test or a capacity check per pair, so the divisions run as vectors.
            let n = x.count
            slopes = [Double](unsafeUninitializedCapacity: n * (n - 1) / 2) { buffer, count in
                x.withUnsafeBufferPointer { x in
                    y.withUnsafeBufferPointer { y in
                        var out = buffer.baseAddress!
                        for i in 0..<(n - 1) {
                            let xi = x[i], yi = y[i]
                            for j in (i + 1)..<n { out[j - i - 1] = (y[j] - yi) / (x[j] - xi) }
                            out += n - i - 1
                        }
                    }
                }
                count = n * (n - 1) / 2
            }
        } else {
            slopes = []
            slopes.reserveCapacity(x.count * (x.count - 1) / 2)
            for i in 0..<x.count {
                for j in (i + 1)..<x.count where x[j] != x[i] {
                    slopes.append((y[j] - y[i]) / (x[j] - x[i]))
                }
            }
        }
        guard let slope = Percentile.median(selecting: &slopes), let my = Percentile.median(y), let mx = Percentile.median(x) else { return nil }
        self.slope = slope
        intercept = my - slope * mx
    }
}
