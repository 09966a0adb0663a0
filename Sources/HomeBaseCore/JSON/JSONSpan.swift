/// Where one JSON value sits in a scanned buffer: `start` is its first byte (a `"` for strings),
/// `end` is one past its last byte. `escaped` says whether a string holds backslash escapes.
package struct JSONSpan: Sendable, Equatable {
    package var start: Int
    package var end: Int
    package var escaped: Bool

    package init(start: Int, end: Int, escaped: Bool = false) {
        self.start = start
        self.end = end
        self.escaped = escaped
    }

    /// The span of nothing, used for "field absent".
    package static let absent = JSONSpan(start: 0, end: 0)

    package var isAbsent: Bool { end <= start }
}
