/// Why a series file could not be read or written: where (file and 1-based line, 0 when the
/// problem is not a line), what was wrong, and what to do about it.
package struct SeriesError: Error, CustomStringConvertible, Sendable, Equatable, Codable {
    package enum Code: String, Sendable, Codable {
        case cannotOpen = "cannot_open"
        case missingHeader = "missing_header"
        case badHeader = "bad_header"
        case badLine = "bad_line"
        case badTimestamp = "bad_timestamp"
        case badValue = "bad_value"
        case outOfOrder = "out_of_order"
        case duplicateDay = "duplicate_day"
        case tooShort = "too_short"
        case cannotWrite = "cannot_write"
    }

    package var file: String
    package var line: Int
    package var code: Code
    package var reason: String
    package var fix: String

    package init(file: String, line: Int, code: Code, reason: String, fix: String) {
        self.file = file
        self.line = line
        self.code = code
        self.reason = reason
        self.fix = fix
    }

    package var description: String {
        (line > 0 ? "\(file):\(line): " : "\(file): ") + reason + " (" + fix + ")"
    }
}
