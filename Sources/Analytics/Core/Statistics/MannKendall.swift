/// Mann–Kendall trend test: S = Σ sign(xⱼ − xᵢ) over i < j, variance corrected for ties,
/// continuity-corrected z and its two-sided normal p-value (Hipel & McLeod 1994).
package struct MannKendall: Sendable, Equatable {
    package var s: Int
    package var variance: Double
    package var z: Double
    package var pValue: Double

    /// Tests the series in time order; nil with fewer than three values.
    package init?(_ values: [Double]) {
        let n = values.count
        guard n >= 3 else { return nil }
        var s = 0
        values.withUnsafeBufferPointer { v in
            for i in 0..<n {
                let vi = v[i]
                var row = 0  // branch-free, so the comparisons run as vectors
                for j in (i + 1)..<n { row += (v[j] > vi ? 1 : 0) - (v[j] < vi ? 1 : 0) }
                s += row
            }
        }
        var tieTerm = 0.0
        var counts: [Double: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        for t in counts.values where t > 1 {
            let t = Double(t)
            tieTerm += t * (t - 1) * (2 * t + 5)
        }
        let nd = Double(n)
        let variance = (nd * (nd - 1) * (2 * nd + 5) - tieTerm) / 18
        let z: Double
        if variance <= 0 || s == 0 {
            z = 0
        } else {
            z = (Double(s) - (s > 0 ? 1 : -1)) / variance.squareRoot()
        }
        self.s = s
        self.variance = variance
        self.z = z
        pValue = variance <= 0 ? 1 : NormalDistribution.twoSidedP(z)
    }
}
