import Foundation

/// Runs two independent pieces of work on the two cores and returns both results (the first
/// error wins). Results are combined in a fixed order, so output does not depend on timing.
enum Parallel {
    static func both<A: Sendable, B: Sendable>(_ a: @escaping @Sendable () throws -> A, _ b: @escaping @Sendable () throws -> B) throws -> (A, B) {
        let first = ResultBox<A>(), second = ResultBox<B>()
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            if index == 0 { first.value = Result { try a() } } else { second.value = Result { try b() } }
        }
        guard let resultA = first.value, let resultB = second.value else { preconditionFailure("concurrentPerform skipped work") }
        return (try resultA.get(), try resultB.get())
    }
}

/// Holds one worker's result; written by exactly one worker before `concurrentPerform` returns.
final class ResultBox<T>: @unchecked Sendable {
    var value: Result<T, Error>?
}
