import Foundation

/// Starts child processes one at a time. swift-corelibs-foundation's `Process.run()` has crashed
/// (SIGSEGV inside `run()`) when parallel suites started processes on several threads at once;
/// only the start is serialised, the children still run and are waited for concurrently.
package enum ProcessLauncher {
    private static let lock = NSLock()

    package static func run(_ process: Process) throws {
        try lock.withLock { try process.run() }
    }
}
