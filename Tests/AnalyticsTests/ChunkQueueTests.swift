import Testing
@testable import Analytics

/// The hand-off between the reading and the summing core: order kept, a bounded queue, and
/// either side failing ends both without a hang.
@Suite struct ChunkQueueTests {
    struct Stop: Error, Equatable { var at: Int }

    @Test func itemsArriveInOrderAndBothResultsReturn() throws {
        let (produced, consumed) = try ChunkQueue<Int>.run(
            capacity: 2,
            produce: { queue in
                for k in 0..<1000 { guard queue.put(k) else { return -1 } }
                return 1000
            },
            consume: { queue in
                var seen: [Int] = []
                while let k = queue.take() { seen.append(k) }
                return seen
            })
        #expect(produced == 1000)
        #expect(consumed == Array(0..<1000))
    }

    @Test func aFailingProducerEndsTheConsumerAndItsErrorIsThrown() {
        #expect(throws: Stop(at: 7)) {
            _ = try ChunkQueue<Int>.run(
                capacity: 2,
                produce: { queue in
                    for k in 0..<10 {
                        if k == 7 { throw Stop(at: k) }
                        _ = queue.put(k)
                    }
                    return 0
                },
                consume: { queue in
                    var count = 0
                    while queue.take() != nil { count += 1 }
                    return count
                })
        }
    }

    @Test func aFailingConsumerStopsTheProducer() {
        // The producer would block forever on a full queue if giving up did not wake it.
        #expect(throws: Stop(at: 3)) {
            _ = try ChunkQueue<Int>.run(
                capacity: 1,
                produce: { queue in
                    var k = 0
                    while queue.put(k) { k += 1 }
                    return k
                },
                consume: { queue in
                    while let k = queue.take() { if k == 3 { throw Stop(at: k) } }
                    return 0
                })
        }
    }
}
