import Foundation
import Testing
@testable import HomeBaseCore
@testable import Analytics
@testable import TestSupport

/// `LatencyRuns` keeps sorted distinct values with counts instead of every call: its statistics
/// must be those of the sorted raw values, across many folds of its buffer.
@Suite struct LatencyRunsTests {
    @Test func smallCaseByHand() {
        var runs = LatencyRuns()
        for value in [300.0, 100, 200, 100, 400] { runs.add(value) }
        let stats = runs.stats()
        // Sorted: 100 100 200 300 400. p50: h = 4·0.5 = 2 → 200. p90: h = 3.6 → 300 + 0.6·100 = 360.
        #expect(stats.n == 5)
        #expect(stats.mean == 220)
        #expect(stats.p50 == 200)
        #expect(stats.p90 == 360)
        #expect(stats.max == 400)
        #expect(LatencyRuns().stats() == Analysis.LatencyStats())
    }

    @Test func manyFoldsMatchNumpyAndASumOverTheSortedValues() throws {
        // 60 k values, many repeated, some fractional and negative, in an order that is not sorted.
        var generator = SplitMix64(seed: 42)
        var values: [Double] = []
        for k in 0..<60_000 {
            switch k % 5 {
            case 0: values.append(Double(generator.next() % 3_000))
            case 1: values.append(Double(generator.next() % 90_000) / 7)
            case 2: values.append(-Double(generator.next() % 50))
            default: values.append(Double(200 + generator.next() % 60_000))
            }
        }
        var runs = LatencyRuns()
        for value in values { runs.add(value) }
        let stats = runs.stats()
        // Bit patterns, so the values reach Python unrounded.
        let json = "[" + values.map { String($0.bitPattern) }.joined(separator: ",") + "]"
        let out = try PythonOracle.run(
            """
            import sys, json, struct, numpy
            v = [struct.unpack("<d", struct.pack("<Q", b))[0] for b in json.loads(sys.stdin.read())]
            s = sorted(v)
            total = 0.0
            for x in s: total += x
            bits = lambda x: struct.unpack("<Q", struct.pack("<d", x))[0]
            print(json.dumps([bits(float(x)) for x in [len(v), total / len(v)] + [float(numpy.percentile(v, q)) for q in (50, 90, 95, 99)] + [max(v)]]))
            """, [], stdin: Data(json.utf8))
        // Bit patterns back too: Foundation's JSON parser can round the last digit.
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [NSNumber]).map {
            Double(bitPattern: $0.uint64Value)
        }
        #expect(stats.mean == values.sorted().reduce(0, +) / Double(values.count))
        #expect(Double(stats.n) == expected[0])
        #expect(stats.mean == expected[1])  // the same additions in the same (ascending) order
        for (ours, theirs) in zip([stats.p50, stats.p90, stats.p95, stats.p99], expected[2...5]) {
            #expect(abs((ours ?? .nan) - theirs) <= 1e-9 * max(1, abs(theirs)))
        }
        #expect(stats.max == expected[6])
    }

    /// A bucket's fleet latencies are its agents' sorted lists merged: the same array as sorting
    /// their concatenation, for 0 to 9 lists of random whole milliseconds with repeats; a list
    /// holding −0 is sorted as a whole instead.
    @Test func mergedAgentListsAreTheSortedConcatenation() {
        var rng = SplitMix64(seed: 31)
        for lists in 0..<10 {
            let agents = (0..<lists).map { _ in (0..<Int(rng.below(40))).map { _ in Double(rng.below(500)) }.sorted() }
            let merged = BucketLatencies.merged(agents)
            #expect(merged.map(\.bitPattern) == agents.flatMap { $0 }.sorted().map(\.bitPattern), "\(lists) lists")
        }
        var concatenated: [Double] = [0, 1, -0.0, 2]
        RadixSort.sort(&concatenated)
        #expect(BucketLatencies.merged([[0, 1], [-0.0, 2]]).map(\.bitPattern) == concatenated.map(\.bitPattern))
    }
}
