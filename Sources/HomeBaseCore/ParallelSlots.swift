import Foundation

/// Results filled by worker threads, plus their shared work counter: workers take indices with
/// `next()` and put each result in its slot, so the results come back in index order whatever
/// the timing (parallel store reads, parts encoded at once).
package final class ParallelSlots<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [T?]
    private var taken = 0

    package init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// The next index to work on, or nil when all are taken.
    package func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard taken < slots.count else { return nil }
        taken += 1
        return taken - 1
    }

    package func set(_ i: Int, _ value: T) { lock.lock(); slots[i] = value; lock.unlock() }

    /// Every slot, each filled by exactly one worker before the workers returned.
    package var values: [T] {
        lock.lock(); defer { lock.unlock() }
        return slots.map { $0! }
    }

    /// `work(i)` for `0..<count` on up to `workers` threads; the results in index order.
    package static func map(_ count: Int, workers: Int, _ work: @Sendable (Int) -> T) -> [T] {
        let slots = ParallelSlots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, count))) { _ in
            while let i = slots.next() { slots.set(i, work(i)) }
        }
        return slots.values
    }

    /// `work(i)` for `0..<count` on up to `workers` threads; the results in index order, or the
    /// error of the lowest index that failed (every index runs).
    package static func tryMap<U: Sendable>(_ count: Int, workers: Int, _ work: @Sendable (Int) throws -> U) throws -> [U]
    where T == Result<U, any Error> {
        try map(count, workers: workers) { i in Result { try work(i) } }.map { try $0.get() }
    }
}
