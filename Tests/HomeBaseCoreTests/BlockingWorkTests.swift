import Foundation
import Testing

@testable import HomeBaseCore

/// The threads that wait for `fsync` at once: every index once, and the first failure reported.
@Suite struct BlockingWorkTests {
    private final class Seen: @unchecked Sendable {
        let lock = NSLock()
        var indices: [Int] = []
        var running = 0
        var mostAtOnce = 0
        func enter(_ i: Int) {
            lock.withLock {
                indices.append(i); running += 1; mostAtOnce = max(mostAtOnce, running)
            }
        }
        func leave() { lock.withLock { running -= 1 } }
    }

    struct Failed: Error, Equatable { var index: Int }

    @Test func everyIndexRunsOnceOnSeveralThreads() throws {
        let seen = Seen()
        try BlockingWork.forEach(1_000, threads: 8) { i in
            seen.enter(i)
            usleep(200)  // a call that waits, as fsync does
            seen.leave()
        }
        #expect(seen.indices.sorted() == Array(0..<1_000))
        #expect(seen.mostAtOnce > 1 && seen.mostAtOnce <= 8)
    }

    /// Every index runs, and the lowest failing index's error is the one thrown, whatever the
    /// threads' timing (a later index may fail first).
    @Test func theLowestFailingIndexIsThrown() {
        for _ in 0..<20 {
            let seen = Seen()
            #expect(throws: Failed(index: 37)) {
                try BlockingWork.forEach(1_000, threads: 8) { i in
                    seen.enter(i)
                    defer { seen.leave() }
                    if i % 100 == 37 { throw Failed(index: i) }
                }
            }
            #expect(seen.indices.contains(37))
        }
    }

    @Test func oneThreadOrNothingToDo() throws {
        let seen = Seen()
        try BlockingWork.forEach(5, threads: 1) {
            seen.enter($0); seen.leave()
        }
        #expect(seen.indices == [0, 1, 2, 3, 4])
        try BlockingWork.forEach(0, threads: 8) { _ in Issue.record("called with nothing to do") }
        let one = Seen()
        #expect(throws: Failed(index: 2)) {
            try BlockingWork.forEach(5, threads: 1) { i in
                one.enter(i)
                if i >= 2 { throw Failed(index: i) }
            }
        }
        #expect(one.indices == [0, 1, 2])  // nothing after the failure
    }
}
