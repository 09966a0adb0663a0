import Foundation
import Testing

@testable import Ingest

/// The pipeline behind every ingest: results in input order whatever the timing, a bounded
/// window, and a file bigger than the window does not stop the workers from reading past it.
@Suite struct OrderedPipelineTests {
    final class Log: @unchecked Sendable {
        let lock = NSLock()
        var consumed: [Int] = []
        var inFlight = 0, maxInFlight = 0
        func started() { lock.lock(); inFlight += 1; maxInFlight = max(maxInFlight, inFlight); lock.unlock() }
        func finished() { lock.lock(); inFlight -= 1; lock.unlock() }
    }

    @Test func resultsComeInInputOrderWithinTheWindow() throws {
        let log = Log()
        let sizes = (0..<300).map { Int64(($0 * 7919) % 13 + 1) }
        try OrderedPipeline<Int>.run(sizes: sizes, workers: 3, windowItems: 8, windowBytes: 1 << 20) { i in
            log.started()
            usleep(UInt32((i * 31) % 7) * 100)  // finish out of order
            log.finished()
            return i * i
        } consume: { i, result in
            #expect(result == i * i)
            log.consumed.append(i)
        }
        #expect(log.consumed == Array(0..<300))
        #expect(log.maxInFlight <= 3)
    }

    /// Item 1 is ten times the window and only finishes once item 2 has been read: before items
    /// were capped at a quarter of the window, item 2 could not be claimed while item 1 was in
    /// flight, and the read of item 1 waited out its timeout.
    @Test func aHugeItemDoesNotHoldBackTheItemsAfterIt() throws {
        let secondRead = DispatchSemaphore(value: 0)
        let waited = Log()
        var order: [Int] = []
        try OrderedPipeline<Bool>.run(sizes: [1, 1000, 1, 1, 1], workers: 2, windowItems: 8, windowBytes: 100) { i in
            if i == 2 { secondRead.signal() }
            if i == 1 { return secondRead.wait(timeout: .now() + 10) == .success }
            return true
        } consume: { i, readPastIt in
            order.append(i)
            if i == 1 { waited.lock.lock(); waited.consumed.append(readPastIt ? 1 : 0); waited.lock.unlock() }
        }
        #expect(order == [0, 1, 2, 3, 4])
        #expect(waited.consumed == [1], "the item after the huge one was not read while it was")
    }

    @Test func aConsumerErrorStopsTheWorkersAndIsRethrown() {
        struct Stop: Error {}
        let reads = Log()
        #expect(throws: Stop.self) {
            try OrderedPipeline<Int>.run(sizes: Array(repeating: 1, count: 10_000), workers: 2, windowItems: 4) { i in
                reads.started()
                return i
            } consume: { i, _ in
                if i == 5 { throw Stop() }
            }
        }
        #expect(reads.inFlight <= 5 + 4 + 2)  // the window bounds what was read past the error
    }
}
