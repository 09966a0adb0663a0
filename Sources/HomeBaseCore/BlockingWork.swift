import Foundation

/// Work that waits on the disk rather than the CPU (`fsync`): plain threads, more of them than
/// CPUs, take indices in turn, so one journal commit of the file system serves several waiting
/// calls. GCD's `concurrentPerform` keeps to the CPU count, and one thread waited for each
/// commit alone: 0.8 s at the end of a year's ingest for 2,500 parts and their folders.
package enum BlockingWork {
    /// Calls `body(i)` for every `i` in `0..<count` on up to `threads` threads and returns when
    /// all are done; then the error of the lowest failing index is thrown (on one thread, the
    /// first error ends the loop).
    package static func forEach(_ count: Int, threads: Int, _ body: @escaping @Sendable (Int) throws -> Void) throws {
        guard count > 0 else { return }
        let threads = max(1, min(threads, count))
        guard threads > 1 else {
            for i in 0..<count { try body(i) }
            return
        }
        let failures = ParallelSlots<(any Error)?>(count: count)
        let group = DispatchGroup()
        for _ in 0..<threads {
            group.enter()
            Thread.detachNewThread {
                while let i = failures.next() {
                    do {
                        try body(i)
                        failures.set(i, nil)
                    } catch {
                        failures.set(i, error)
                    }
                }
                group.leave()
            }
        }
        group.wait()
        if let error = failures.values.lazy.compactMap({ $0 }).first { throw error }
    }
}
