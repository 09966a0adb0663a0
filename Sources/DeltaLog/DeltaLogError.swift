/// A Delta log that cannot be read or written: which file, what went wrong and what to do.
/// A lost commit race is its own code, so a writer can tell "someone else committed this
/// version" (retry on top of it) from a broken disk.
package struct DeltaLogError: Error, CustomStringConvertible, Sendable, Equatable {
    package enum Code: Sendable, Equatable {
        /// Another writer committed `version` first (put-if-absent failed): nothing of ours is visible.
        case commitConflict(version: Int64)
        /// A file system call failed.
        case io
        /// The log holds something this writer does not understand or did not expect.
        case invalidLog
        /// A data file cannot be described (unreadable footer, unsupported column type).
        case invalidDataFile
    }

    package var code: Code
    /// The file or directory concerned.
    package var path: String
    package var message: String
    /// What an operator can do about it.
    package var fix: String

    package init(_ code: Code, path: String, _ message: String, fix: String) {
        self.code = code
        self.path = path
        self.message = message
        self.fix = fix
    }

    package var description: String { "\(path): \(message) (\(fix))" }
}
