import Foundation

/// The process's environment, read once: `ProcessInfo.processInfo.environment` builds a new
/// dictionary on every call, and commands that each took their own copy at start-up cost every
/// invocation several of them. Read straight from `environ` into a dictionary sized for it.
package enum ProcessEnvironment {
    package static let current: [String: String] = read(environ)

    /// The `NAME=value` entries of a null-terminated array, as `getenv` sees them: the value is
    /// everything after the first `=`, the first of two same-named entries wins, and an entry
    /// without `=` is not a variable.
    static func read(_ entries: UnsafePointer<UnsafeMutablePointer<CChar>?>) -> [String: String] {
        var count = 0
        while entries[count] != nil { count += 1 }
        var result = [String: String](minimumCapacity: count)
        for k in 0..<count {
            guard let entry = entries[k], let equals = strchr(entry, 0x3D) else { continue }
            let name = String(decoding: UnsafeRawBufferPointer(start: entry, count: equals - entry), as: UTF8.self)
            if result[name] == nil { result[name] = String(cString: equals + 1) }
        }
        return result
    }
}
