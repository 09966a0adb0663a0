import Foundation

/// The process's environment, read once: `ProcessInfo.processInfo.environment` builds a new
/// dictionary on every call, and commands that each took their own copy at start-up cost every
/// invocation several of them.
package enum ProcessEnvironment {
    package static let current: [String: String] = ProcessInfo.processInfo.environment
}
