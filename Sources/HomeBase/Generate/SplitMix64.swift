/// A small seeded PRNG (SplitMix64): the generator's only source of randomness, so the same
/// seed gives byte-identical output on every platform and run.
struct SplitMix64: Sendable {
    private(set) var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A generator for an independent stream derived from this seed and a label (agent index, ...).
    static func derived(seed: UInt64, stream: UInt64) -> SplitMix64 {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        _ = mixer.next()
        return SplitMix64(seed: mixer.next())
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `0..<bound` (bound > 0); the tiny modulo bias is irrelevant for test data.
    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(max(bound, 1)))
    }

    /// Uniform in `range` (closed).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
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

    /// One element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

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
