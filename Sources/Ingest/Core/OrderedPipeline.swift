import Foundation

/// Reads items on worker threads while the calling thread consumes the results in input order,
/// so parsing (workers) and absorbing into the lake (caller) overlap and both cores stay busy.
/// At most `windowItems` items, or `windowBytes` of input, are read ahead of the consumer, which
/// bounds memory whatever the number of files; an item counts for at most a quarter of the bytes,
/// so one huge file (a runaway session of 389 MB) is read while the other workers go on with the
/// files after it, instead of every other thread waiting for it. Results are handed over in input
/// order, so the lake does not depend on the number of workers or on timing.
final class OrderedPipeline<Result: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [Int: Result] = [:]
    private var claimed = 0
    private var consumed = 0
    private var inFlightBytes: Int64 = 0
    private var stopped = false
    private var running = 0

    /// Runs `read(i)` for `0..<sizes.count` on `workers` threads and `consume(i, result)` on the
    /// calling thread in order. If `consume` throws, the workers stop and the error is rethrown.
    static func run(
        sizes: [Int64], workers: Int, windowItems: Int = 2048, windowBytes: Int64 = 256 << 20,
        read: @escaping @Sendable (Int) -> Result, consume: (Int, Result) throws -> Void
    ) throws {
        let pipeline = OrderedPipeline<Result>()
        let count = sizes.count
        let sizes = sizes.map { min($0, max(1, windowBytes / 4)) }  // what each item counts against the window
        pipeline.running = max(1, workers)
        for _ in 0..<max(1, workers) {
            Thread.detachNewThread {
                while let i = pipeline.claim(count: count, sizes: sizes, windowItems: windowItems, windowBytes: windowBytes) {
                    pipeline.deliver(i, read(i))
                }
                pipeline.workerDone()
            }
        }
        defer { pipeline.stopAndJoin() }
        for i in 0..<count {
            let result = pipeline.take(i, size: sizes[i])
            try consume(i, result)
        }
    }

    /// The next index for a worker, waiting while the window is full; nil when done or stopped.
    private func claim(count: Int, sizes: [Int64], windowItems: Int, windowBytes: Int64) -> Int? {
        condition.lock(); defer { condition.unlock() }
        while !stopped && claimed < count
            && (claimed - consumed >= windowItems || (claimed > consumed && inFlightBytes + sizes[claimed] > windowBytes))
        {
            condition.wait()
        }
        guard !stopped && claimed < count else { return nil }
        let i = claimed
        claimed += 1
        inFlightBytes += sizes[i]
        return i
    }

    private func deliver(_ i: Int, _ result: Result) {
        condition.lock()
        ready[i] = result
        condition.broadcast()
        condition.unlock()
    }

    /// The result of item `i`, waiting until a worker has it; frees its share of the window.
    private func take(_ i: Int, size: Int64) -> Result {
        condition.lock(); defer { condition.unlock() }
        while ready[i] == nil { condition.wait() }
        let result = ready.removeValue(forKey: i)!
        consumed = i + 1
        inFlightBytes -= size
        condition.broadcast()
        return result
    }

    private func workerDone() {
        condition.lock()
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Stops the workers (after an error, or at the end) and waits until none is running.
    private func stopAndJoin() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }
}
