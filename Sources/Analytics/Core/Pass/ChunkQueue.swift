import Foundation

/// Hands parts read on one core to the core that sums them, in order, holding at most
/// `capacity` read parts at a time (memory stays a few parts, however long the lake).
final class ChunkQueue<Item: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Item] = []
    private var closed = false
    private var abandoned = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Runs `produce` on a thread of its own (so it never waits for a pool slot that the
    /// consumer holds) and `consume` on the calling thread, and returns both results.
    static func run<P: Sendable, C>(
        capacity: Int, produce: @escaping @Sendable (ChunkQueue<Item>) throws -> P, consume: (ChunkQueue<Item>) throws -> C
    ) throws -> (P, C) {
        let queue = ChunkQueue<Item>(capacity: capacity)
        let produced = ResultBox<P>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            produced.value = Result { try produce(queue) }
            queue.close()
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        let consumed = Result { try consume(queue) }
        if case .failure = consumed { queue.abandon() }
        done.wait()
        guard let producedResult = produced.value else { preconditionFailure("the producer thread ended without a result") }
        return (try producedResult.get(), try consumed.get())
    }

    /// Waits for room, then queues `item`; false when the consumer gave up (stop reading).
    func put(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !abandoned { condition.wait() }
        guard !abandoned else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// The next item, or nil once the producer closed the queue and it is empty.
    func take() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        guard !items.isEmpty else { return nil }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    /// No more items will come.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer stops: a waiting producer returns.
    func abandon() {
        condition.lock()
        abandoned = true
        items = []
        condition.broadcast()
        condition.unlock()
    }
}
