import Testing
@testable import HomeBaseCore
@testable import Analytics

/// The correlation's cost and latency pairs go to a temporary file block by block and come back
/// in row order, with or without the file.
@Suite struct PairBlocksTests {
    @Test func pairsComeBackInOrderAcrossSpilledBlocks() throws {
        let n = PairBlocks.blockSize * 3 + 123
        let spill = try #require(PairSpill())
        var spilled = PairBlocks(), kept = PairBlocks()
        var other = PairBlocks()  // a second model writing to the same file in between
        for i in 0..<n {
            spilled.append(cost: Double(i) * 0.25, latency: Double(n - i), spill: spill)
            kept.append(cost: Double(i) * 0.25, latency: Double(n - i), spill: nil)
            if i % 3 == 0 { other.append(cost: -Double(i), latency: 1, spill: spill) }
        }
        let expected = ((0..<n).map { Double($0) * 0.25 }, (0..<n).map { Double(n - $0) })
        let fromFile = try #require(spilled.arrays(spill: spill))
        #expect(fromFile.costs == expected.0 && fromFile.latencies == expected.1)
        let inMemory = try #require(kept.arrays(spill: nil))
        #expect(inMemory.costs == expected.0 && inMemory.latencies == expected.1)
        let third = try #require(other.arrays(spill: spill))
        #expect(third.costs == stride(from: 0, to: n, by: 3).map { -Double($0) })
        #expect(spilled.count == n && other.count == (n + 2) / 3)
    }

    /// Saved and read back (`AnalysisCheckpoint`), with and without a spill file, at block
    /// boundaries and between them: the same pairs, and appending goes on as before.
    @Test func savedPairsComeBackAndKeepGrowing() throws {
        for n in [0, 5, PairBlocks.blockSize, PairBlocks.blockSize * 2 + 7] {
            for spill in [PairSpill(), nil] {
                var blocks = PairBlocks()
                for i in 0..<n { blocks.append(cost: Double(i), latency: -Double(i), spill: spill) }
                var out = StateWriter()
                #expect(blocks.write(to: &out, spill: spill))
                var input = StateReader(out.bytes)
                var back = try PairBlocks(reading: &input, spill: spill)
                #expect(input.atEnd && back.count == n)
                for i in n..<n + PairBlocks.blockSize + 3 { back.append(cost: Double(i), latency: -Double(i), spill: spill) }
                let total = n + PairBlocks.blockSize + 3
                let pairs = try #require(back.arrays(spill: spill))
                #expect(pairs.costs == (0..<total).map(Double.init) && pairs.latencies == (0..<total).map { -Double($0) })
            }
        }
    }

    @Test func noTemporaryDirectoryKeepsThePairsInMemory() {
        #expect(PairSpill(directory: "/nonexistent/dir") == nil)
    }
}
