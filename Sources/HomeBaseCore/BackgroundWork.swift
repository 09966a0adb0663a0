import Foundation

/// Work started on a thread of its own while the caller goes on (a nightly's backup beside its
/// analysis, `analysis.json` written while the reports render); `wait()` gives its result, or
/// throws its error, once it has ended.
package final class BackgroundWork<T: Sendable>: @unchecked Sendable {
    private let done = DispatchGroup()
    private var result: Result<T, any Error>?

    /// Starts `body` on a new thread (not GCD's pool, which the caller's own parallel work
    /// uses); with `onThread` false (one job asked for) it runs here, before `init` returns.
    package init(onThread: Bool = true, _ body: @escaping @Sendable () throws -> T) {
        guard onThread else {
            result = Result { try body() }
            return
        }
        done.enter()
        Thread.detachNewThread { [self] in
            result = Result { try body() }
            done.leave()
        }
    }

    /// Blocks until the work has ended; its value, or its error.
    package func wait() throws -> T {
        done.wait()
        return try result!.get()
    }
}
