import Testing
import HomeBaseCore
@testable import Analytics

/// The blocks of a `ChunkedArray` read back as one array would: in order, by index, across the
/// block boundaries, whatever the length.
@Suite struct ChunkedArrayTests {
    @Test(arguments: [0, 1, 2, 16_383, 16_384, 16_385, 3 * 16_384 + 77])
    func readsBackAsAnArray(count: Int) {
        #expect(1 << ChunkedArray<Int>.blockShift == 16_384)  // the lengths above straddle its blocks
        var chunked = ChunkedArray<(Int, String)>()
        var plain: [(Int, String)] = []
        var rng = SplitMix64(seed: UInt64(count))
        for _ in 0..<count {
            let state = rng.next()
            let element = (Int(truncatingIfNeeded: state >> 11), String(state % 1000))
            chunked.append(element)
            plain.append(element)
        }
        #expect(chunked.count == plain.count && chunked.isEmpty == plain.isEmpty)
        #expect(chunked.map(\.0) == plain.map(\.0) && chunked.map(\.1) == plain.map(\.1))
        for index in stride(from: 0, to: count, by: max(1, count / 97)) {
            #expect(chunked[index].0 == plain[index].0)
        }
        #expect(Array(chunked.enumerated().map(\.offset)) == Array(plain.indices))
        if count > 0 { #expect(chunked[count - 1].1 == plain[count - 1].1) }
    }
}
