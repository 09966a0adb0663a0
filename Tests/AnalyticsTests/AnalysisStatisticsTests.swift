import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Analytics
@testable import TestSupport

/// The pure statistics of analysis: textbook cases by hand, and random cases against numpy/scipy.
@Suite struct AnalysisStatisticsTests {
    /// Random series with ties, a few outliers and several lengths (deterministic seed).
    static func samples() -> [[Double]] {
        var rng = SplitMix64(seed: 42)
        var result: [[Double]] = [[7], [3, 1], [5, 5, 5, 1]]
        for n in [5, 12, 33, 200, 1001] {
            result.append(
                (0..<n).map { k in
                    let base = Double(rng.below(1000)) / 10  // one decimal: plenty of ties
                    return k % 17 == 3 ? base * 40 : base
                })
        }
        return result
    }

    static func close(_ a: Double?, _ b: Double?, _ tolerance: Double = 1e-12) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return abs(a - b) <= tolerance * max(1, abs(a), abs(b))
    }

    static func oracle(_ code: String, _ input: Any) throws -> [[Double?]] {
        let data = try JSONSerialization.data(withJSONObject: input)
        let out = try PythonOracle.run("import sys, json, numpy as np, scipy.stats as st\ndata = json.load(sys.stdin)\n" + code, stdin: data)
        let rows = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[Any]] ?? []
        return rows.map { $0.map { ($0 as? NSNumber)?.doubleValue } }
    }

    @Test func percentilesTextbookAndNumpy() throws {
        // [1,2,3,4]: p50 at h = 3·0.5 = 1.5 → 2 + 0.5·(3 − 2) = 2.5; p90 at h = 2.7 → 3 + 0.7·1 = 3.7.
        #expect(Percentile.of([4, 1, 3, 2], 0.5) == 2.5)
        #expect(Self.close(Percentile.of([4, 1, 3, 2], 0.9), 3.7))
        #expect(Percentile.of([], 0.5) == nil)
        #expect(Percentile.of([9], 0.99) == 9)
        let ps = [0, 0.5, 0.9, 0.95, 0.99, 1]
        let samples = Self.samples()
        let expected = try Self.oracle("print(json.dumps([[float(np.percentile(x, p * 100)) for p in \(ps)] for x in data]))", samples)
        for (sample, want) in zip(samples, expected) {
            var scratch = sample  // selection gives exactly the sorted median
            #expect(Percentile.median(selecting: &scratch) == Percentile.median(sample))
            for (p, value) in zip(ps, want) {
                #expect(Self.close(Percentile.of(sample, p), value), "n=\(sample.count) p=\(p)")
            }
        }
    }

    /// The median of many values (where selection first brackets the middle from a sample) is the
    /// sorted median bit for bit: random, heavily tied, sorted, reversed, constant, a spike at
    /// the middle, both even and odd counts; a −0 among them, a NaN, or a constant run fall back to full selection.
    @Test func bracketedMedianIsTheSortedMedian() {
        var rng = SplitMix64(seed: 7)
        var cases: [[Double]] = []
        for n in [4096, 4097, 66_430, 66_795] {
            cases.append((0..<n).map { _ in Double(rng.below(1_000_000)) / 997 })
            cases.append((0..<n).map { _ in Double(rng.below(5)) })  // five values: the bounds are ties
            cases.append((0..<n).map { Double($0) })
            cases.append((0..<n).map { Double(n - $0) })
            cases.append(Array(repeating: 2.5, count: n))
            cases.append((0..<n).map { $0 == n / 2 ? 1e300 : Double(rng.below(100)) - 50 })
        }
        for values in cases {
            let sorted = values.sorted()
            let n = sorted.count
            let want = n % 2 == 1 ? sorted[n / 2] : sorted[n / 2 - 1] + 0.5 * (sorted[n / 2] - sorted[n / 2 - 1])
            var scratch = values
            #expect(Percentile.median(selecting: &scratch)?.bitPattern == want.bitPattern, "n=\(n)")
            // A constant run has every value between the bounds: more than the copy holds, so it selects over all.
            let constant = sorted.first == sorted.last
            #expect((Percentile.middle(bracketing: values, n / 2) != nil) != constant, "n=\(n), constant: \(constant)")
        }
        var signed = (0..<5000).map { Double($0 % 7) - 3 }
        signed[17] = -0.0
        #expect(Percentile.middle(bracketing: signed, 2500) == nil)
        var scratch = signed
        #expect(Percentile.median(selecting: &scratch) == 0)
        var withNaN = (0..<5000).map(Double.init)
        withNaN[100] = .nan
        #expect(Percentile.middle(bracketing: withNaN, 2500) == nil)
    }

    /// `sortTails` leaves both tails as a full sort does, bit for bit: random values, ties, a
    /// constant run, sorted and reversed input; with a −0 or a NaN, or a small array, it sorts all.
    @Test func sortedTailsAreTheSortsTails() {
        var rng = SplitMix64(seed: 11)
        var cases: [[Double]] = []
        for n in [64, 65, 1000, 8191] {
            cases.append((0..<n).map { _ in Double(rng.below(1_000_000)) / 997 - 400 })
            cases.append((0..<n).map { _ in Double(rng.below(4)) })
            cases.append(Array(repeating: 1.5, count: n))
            cases.append((0..<n).map { Double($0) })
            cases.append((0..<n).map { Double(n - $0) })
        }
        for values in cases {
            let n = values.count
            let sorted = values.sorted()
            for (low, high) in [(n / 10, n - n / 10 - 1), (1, n - 2), (n / 2 - 1, n / 2 + 1), (0, 2)] {
                var tails = values
                Percentile.sortTails(&tails, low: low, high: high)
                #expect(tails[0...low].map(\.bitPattern) == sorted[0...low].map(\.bitPattern), "n=\(n) low=\(low)")
                #expect(tails[high...].map(\.bitPattern) == sorted[high...].map(\.bitPattern), "n=\(n) high=\(high)")
                #expect(tails.sorted() == sorted, "a permutation")
            }
        }
        var signed = (0..<500).map { Double($0 % 7) - 3 }
        signed[17] = -0.0
        var scratch = signed
        Percentile.sortTails(&scratch, low: 50, high: 450)
        #expect(scratch.map(\.bitPattern) == signed.sorted().map(\.bitPattern), "a −0: sorted whole")
        var small = [3.0, 1, 2, 5, 4]
        Percentile.sortTails(&small, low: 0, high: 4)
        #expect(small == [1, 2, 3, 4, 5])
    }

    @Test func theilSenTextbookAndScipy() throws {
        // x = 0...4, y = 1,3,5,7,100. Pairwise slopes: six pairs among the first four give 2; with the
        // outlier 99/4, 97/3, 95/2, 93. Sorted: 2,2,2,2,2,2,24.75,... → median of ten = (2 + 2)/2 = 2;
        // intercept = median(y) − 2·median(x) = 5 − 2·2 = 1.
        let line = try #require(TheilSen(x: [0, 1, 2, 3, 4], y: [1, 3, 5, 7, 100]))
        #expect(line.slope == 2)
        #expect(line.intercept == 1)
        #expect(TheilSen(x: [1], y: [1]) == nil)
        let samples = Self.samples().filter { $0.count >= 2 && $0.count <= 300 }
        let expected = try Self.oracle("print(json.dumps([list(map(float, st.theilslopes(y, np.arange(len(y)))[:2])) for y in data]))", samples)
        for (y, want) in zip(samples, expected) {
            let fit = try #require(TheilSen(x: y.indices.map(Double.init), y: y))
            #expect(Self.close(fit.slope, want[0]), "n=\(y.count)")
            #expect(Self.close(fit.intercept, want[1]), "n=\(y.count)")
        }
    }

    @Test func mannKendallTextbookAndHandWrittenPython() throws {
        // 1,2,3,4,5: S = 10 (all pairs rising), Var = 5·4·15/18 = 16.667, z = (10 − 1)/√16.667 = 2.2045,
        // p = erfc(2.2045/√2) = 0.02749.
        let rising = try #require(MannKendall([1, 2, 3, 4, 5]))
        #expect(rising.s == 10)
        #expect(Self.close(rising.variance, 50.0 / 3))
        #expect(abs(rising.z - 2.204540768) < 1e-9)
        #expect(abs(rising.pValue - 0.027486) < 1e-6)
        #expect(MannKendall([1, 1, 1])?.pValue == 1)
        let samples = Self.samples().filter { $0.count >= 3 && $0.count <= 300 }
        // An independent implementation (tie-corrected variance, continuity correction) and S checked against
        // scipy's Kendall tau against time (S = τ_a·n(n−1)/2 needs no ties in x, which time has).
        let code = """
            import math
            out = []
            for y in data:
                n = len(y)
                s = sum((y[j] > y[i]) - (y[j] < y[i]) for i in range(n) for j in range(i + 1, n))
                _, counts = np.unique(y, return_counts=True)
                var = (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in counts)) / 18
                z = 0.0 if s == 0 else (s - math.copysign(1, s)) / math.sqrt(var)
                p = 2 * st.norm.sf(abs(z))
                tau_b = st.kendalltau(np.arange(n), y).statistic
                n0 = n * (n - 1) / 2; n2 = sum(t * (t - 1) / 2 for t in counts)
                out.append([float(s), float(var), float(z), float(p), float(tau_b * math.sqrt(n0 * (n0 - n2)))])
            print(json.dumps(out))
            """
        let expected = try Self.oracle(code, samples)
        for (y, want) in zip(samples, expected) {
            let test = try #require(MannKendall(y))
            #expect(Double(test.s) == want[0])
            #expect(Self.close(Double(test.s), want[4], 1e-9))
            #expect(Self.close(test.variance, want[1]))
            #expect(Self.close(test.z, want[2], 1e-10))
            #expect(Self.close(test.pValue, want[3], 1e-9), "n=\(y.count)")
        }
    }

    /// The radix ranks equal scipy's `rankdata` (average ties) exactly, over values that use every
    /// digit of the sort key: negatives, -0 beside +0, subnormals, huge and tiny magnitudes, repeats.
    /// Infinities (which JSON cannot carry) and a NaN (the comparison path) are checked by hand.
    @Test func ranksEqualScipyRankdata() throws {
        var rng = SplitMix64(seed: 7)
        var values: [Double] = [0, -0.0, 5e-324, -5e-324, 1e308, -1e308, 0.1, 0.1, -0.1]
        for k in 0..<60_000 {
            let mantissa = Double(rng.below(2_000_001)) - 1_000_000
            let scale = [1e-9, 1e-3, 1, 1e3, 1e12][k % 5]
            values.append(k % 11 == 0 ? Double(rng.below(20)) : mantissa * scale)
        }
        let want = try PythonOracle.run(
            "import sys, json, scipy.stats as st\nprint(json.dumps([float(r) for r in st.rankdata(json.load(sys.stdin))]))",
            stdin: try JSONSerialization.data(withJSONObject: values))
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(want.utf8)) as? [Double])
        #expect(Correlation.ranks(values) == expected)
        #expect(Correlation.ranks([.infinity, -0.0, -.infinity, 0, 3]) == [5, 2.5, 1, 2.5, 4])
        #expect(Correlation.ranks([2, .nan, 1]) == Correlation.comparisonRanks([2, .nan, 1]))
        #expect(Correlation.ranks([4]) == [1] && Correlation.ranks([]) == [])
    }

    /// The radix sort gives the comparison sort's array bit for bit: negatives, subnormals,
    /// infinities, repeats and whole milliseconds, above and below the size where it takes over;
    /// an array with -0 (which `<` ties with +0) or a NaN is left to the comparison sort.
    @Test func radixSortEqualsTheComparisonSort() {
        var rng = SplitMix64(seed: 11)
        for n in [0, 1, 5, RadixSort.threshold - 1, RadixSort.threshold, 3000, 70_000] {
            var values: [Double] = (0..<n).map { k in
                switch k % 6 {
                case 0: return Double(rng.below(120_000))  // whole milliseconds, many repeats
                case 1: return -Double(rng.below(5000)) / 7
                case 2: return Double(rng.next() >> 11) * 1e-300
                case 3: return k % 12 == 3 ? .infinity : -.infinity
                case 4: return 5e-324 * Double(rng.below(4))
                default:
                    let exponent = UInt64(rng.below(2046) + 1) << 52
                    let rest: UInt64 = rng.next() & ~(UInt64(0x7FF) << 52)
                    return Double(bitPattern: rest | exponent)
                }
            }
            var expected = values
            expected.sort()
            RadixSort.sort(&values)
            #expect(values.map(\.bitPattern) == expected.map(\.bitPattern), "n=\(n)")
        }
        var zeros: [Double] = []
        for k in 0..<2000 {
            let other = Double(k % 50) - 25
            zeros.append(k % 3 == 0 ? -0.0 : (k % 3 == 1 ? 0 : other))
        }
        var expected = zeros
        expected.sort()
        RadixSort.sort(&zeros)
        #expect(zeros.map(\.bitPattern) == expected.map(\.bitPattern))
        for v in [-0.0, 0, 1.5, -1e308, .infinity, 5e-324, -5e-324] { #expect(RadixSort.value(RadixSort.key(v)).bitPattern == v.bitPattern) }
        #expect(RadixSort.key(-0.0) < RadixSort.key(0) && RadixSort.key(-5e-324) < RadixSort.key(-0.0) && RadixSort.key(1) < RadixSort.key(.infinity))
    }

    @Test func correlationAgainstScipy() throws {
        // Perfectly monotone but not linear: Spearman 1, Pearson below 1; a constant side has no correlation.
        #expect(Self.close(Correlation.spearman([1, 2, 3, 4], [1, 4, 9, 100]), 1))
        #expect(try #require(Correlation.pearson([1, 2, 3, 4], [1, 4, 9, 100])) < 0.9)
        #expect(Correlation.pearson([1, 2, 3], [5, 5, 5]) == nil)
        #expect(Correlation.ranks([10, 20, 10, 30]) == [1.5, 3, 1.5, 4])
        let samples = Self.samples().filter { $0.count >= 5 }
        let pairs = samples.map { x in [x, x.enumerated().map { k, v in (v * 0.3 + Double((k * 7919) % 13)).rounded() }] }
        let expected = try Self.oracle(
            "print(json.dumps([[float(st.pearsonr(x, y).statistic), float(st.spearmanr(x, y).statistic)] for x, y in data]))", pairs)
        for (pair, want) in zip(pairs, expected) {
            #expect(Self.close(Correlation.pearson(pair[0], pair[1]), want[0], 1e-10))
            #expect(Self.close(Correlation.spearman(pair[0], pair[1]), want[1], 1e-10))
        }
    }
}
