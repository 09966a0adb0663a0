import Foundation

/// Work that waits on the disk rather than the CPU (`fsync`): plain threads, more of them than
/// CPUs, take indices in turn, so one journal commit of the file system serves several waiting
/// calls. GCD's `concurrentPerform` keeps to the CPU count, and one thread waited for each
/// commit alone: 0.8 s at the end of a year's ingest for 2,500 parts and their folders.
package enum BlockingWork {
    /// Calls `body(i)` for every `i` in `0..<count` on up to `threads` threads and returns when
    /// all are done. After a failure no further index is started; the error of the lowest
    /// failing index is thrown.
    package static func forEach(_ count: Int, threads: Int, _ body: @escaping @Sendable (Int) throws -> Void) throws {
        guard count > 0 else { return }
        let threads = max(1, min(threads, count))
        guard threads > 1 else {
            for i in 0..<count { try body(i) }
            return
        }
        let state = State(count: count)
        let group = DispatchGroup()
        for _ in 0..<threads {
            group.enter()
            Thread.detachNewThread {
                while let i = state.next() {
                    do { try body(i) } catch { state.fail(i, error) }
                }
                group.leave()
            }
        }
        group.wait()
        if let error = state.failure?.error { throw error }
    }

    private final class State: @unchecked Sendable {
        private let lock = NSLock()
        private let count: Int
        private var taken = 0
        private(set) var failure: (index: Int, error: any Error)?

        init(count: Int) { self.count = count }

        func next() -> Int? {
            lock.lock(); defer { lock.unlock() }
            guard failure == nil, taken < count else { return nil }
            taken += 1
            return taken - 1
        }

        func fail(_ index: Int, _ error: any Error) {
            lock.lock(); defer { lock.unlock() }
            if failure == nil || index < failure!.index { failure = (index, error) }
        }
    }
}
