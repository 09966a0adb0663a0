import Foundation

/// Starts child processes one at a time in this process. swift-corelibs-foundation's
/// `Process.run()` has crashed (SIGSEGV in a `memcpy` inside `run()`) when two threads started
/// processes at once, so every start (the mail command here, test oracles) takes one lock;
/// the children still run and are waited for concurrently.
package enum ProcessStart {
    private static let lock = NSLock()

    package static func run(_ process: Process) throws {
        try lock.withLock { try process.run() }
    }
}
