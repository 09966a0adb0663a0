import HomeBaseCore
import SQLiteStore

/// The generator's extras on the shared seeded PRNG: independent streams and shaped draws.
extension SplitMix64 {
    /// A generator for an independent stream derived from this seed and a label (agent index, ...).
    static func derived(seed: UInt64, stream: UInt64) -> SplitMix64 {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        _ = mixer.next()
        return SplitMix64(seed: mixer.next())
    }

    /// Uniform in `range` (closed).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Log-normal-ish positive integer around `median` (spread ~ factor of `spread` either way).
    mutating func around(_ median: Int, spread: Double = 2.0) -> Int {
        let u = unit() * 2 - 1
        let v = unit() * 2 - 1
        let factor = pow2((u + v) * 0.5 * log2(spread) * 1.6)
        return max(1, Int(Double(median) * factor))
    }

    private func pow2(_ x: Double) -> Double {
        // 2^x without Foundation: split into integer and fractional parts (fraction by a short series).
        let whole = x.rounded(.down)
        let fraction = x - whole
        let ln2 = 0.6931471805599453
        var term = 1.0, sum = 1.0
        for k in 1...12 { term *= fraction * ln2 / Double(k); sum += term }
        return sum * Double(sign: .plus, exponent: Int(whole), significand: 1.0)
    }

    private func log2(_ x: Double) -> Double {
        // Only used with small constant spreads; exponent + a series on the significand.
        let exponent = Double(x.exponent)
        let m = x.significand  // in [1, 2)
        let y = (m - 1) / (m + 1)
        var sum = 0.0, power = y
        for k in stride(from: 1, through: 15, by: 2) { sum += power / Double(k); power *= y * y }
        return exponent + 2 * sum / 0.6931471805599453
    }
}
