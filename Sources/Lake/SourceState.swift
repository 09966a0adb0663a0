/// What the catalog remembers about one raw input file, so the next run reads only what is new.
package struct SourceState: Sendable, Equatable {
    package var path: String
    /// `transcript`, `gateway`, `invoice`, …
    package var kind: String
    package var size: Int64
    package var mtimeNanos: Int64
    /// Bytes consumed so far (always at a line boundary).
    package var offset: Int64
    /// Lines consumed so far (the next line's number is `lineCount + 1`).
    package var lineCount: Int64
    /// Hash of the first `min(size, 4 KiB)` bytes, to notice a file rewritten in place.
    package var fingerprint: String
    /// Parser state carried between incremental reads (e.g. session id, last failed call).
    package var parserState: String?

    package init(
        path: String, kind: String, size: Int64, mtimeNanos: Int64, offset: Int64, lineCount: Int64, fingerprint: String, parserState: String?
    ) {
        self.path = path
        self.kind = kind
        self.size = size
        self.mtimeNanos = mtimeNanos
        self.offset = offset
        self.lineCount = lineCount
        self.fingerprint = fingerprint
        self.parserState = parserState
    }
}
