import HomeBaseCore
/// A robust decomposition forecast: a weekly profile from phase medians of the last 8 weeks
/// (each week's mean removed first), a Theil–Sen slope of the deseasonalised last 4 weeks, and a
/// level from the median of the last 7 deseasonalised days moved to the last day along that slope.
/// Forecast: level + slope·(φ + … + φʰ) + profile, φ = 0.9, so the drift levels off.
struct RobustSeasonalDrift {
    static let phi = 0.9
    let level: Double
    let slope: Double
    /// Indexed by day index mod 7.
    let profile: [Double]
    let count: Int

    init(_ y: [Double]) {
        let n = y.count, m = 7
        let start = max(0, n - 56)
        let weeks = (n - start) / m
        var byPhase = [[Double]](repeating: [], count: m)
        for w in 0..<weeks {
            let lo = n - (w + 1) * m
            let mean = y[lo..<(lo + m)].reduce(0, +) / Double(m)
            for i in lo..<(lo + m) { byPhase[i % m].append(y[i] - mean) }
        }
        var profile = byPhase.map { Percentile.median($0) ?? 0 }
        let centre = profile.reduce(0, +) / Double(m)
        profile = profile.map { $0 - centre }
        let tail = max(0, n - 28)
        let x = (tail..<n).map { y[$0] - profile[$0 % m] }
        var slopes: [Double] = []
        slopes.reserveCapacity(x.count * x.count / 2)
        for i in x.indices {
            for j in (i + 1)..<x.count { slopes.append((x[j] - x[i]) / Double(j - i)) }
        }
        let slope = Percentile.median(slopes) ?? 0
        let last = x.count - 1
        let recent = (max(0, x.count - 7)..<x.count).map { x[$0] + slope * Double(last - $0) }
        level = Percentile.median(recent) ?? 0
        self.slope = slope
        self.profile = profile
        count = n
    }

    func forecast(_ h: Int) -> [Double] {
        var damp = 0.0, power = 1.0
        return (0..<max(h, 0)).map { step in
            power *= Self.phi
            damp += power
            return level + slope * damp + profile[(count + step) % 7]
        }
    }
}
