import HomeBaseCore
/// A line that could not be used, kept with where it came from and why (never silently dropped).
package struct QuarantineRecord: Sendable, Equatable {
    /// When the line was quarantined (the run's clock), epoch µs UTC.
    package var timestampMicros: Int64
    package var sourceFile: String
    /// 1-based line number.
    package var sourceLine: Int64
    /// Byte offset of the line's first byte in the file.
    package var byteOffset: Int64
    /// What is wrong and what to do, e.g. "invalid JSON at byte 17: unterminated string".
    package var reason: String
    /// The first KiB of the raw line (UTF-8 safe).
    package var excerpt: String

    package init(timestampMicros: Int64, sourceFile: String, sourceLine: Int64, byteOffset: Int64, reason: String, excerpt: String) {
        self.timestampMicros = timestampMicros
        self.sourceFile = sourceFile
        self.sourceLine = sourceLine
        self.byteOffset = byteOffset
        self.reason = reason
        self.excerpt = excerpt
    }
}
