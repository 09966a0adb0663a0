import Foundation
import HomeBaseCore

/// Starts child processes for tests through `ProcessStart`, the lock the product's own starts
/// (the mail command) take as well.
package enum ProcessLauncher {
    package static func run(_ process: Process) throws {
        try ProcessStart.run(process)
    }
}
