/// Why a line is not valid JSON (RFC 8259), with the byte offset (0-based, within the scanned
/// buffer) where the scanner stopped, so a quarantine reason can point at the exact spot.
package struct JSONScanError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Code: String, Sendable, Equatable {
        case unexpectedEnd = "unexpected end of input (torn or truncated line)"
        case unexpectedByte = "unexpected byte"
        case invalidLiteral = "invalid literal (expected true, false or null)"
        case invalidNumber = "invalid number"
        case invalidEscape = "invalid escape in string"
        case controlCharacter = "unescaped control character in string"
        case expectedKey = "expected a string key"
        case expectedColon = "expected ':' after key"
        case expectedCommaOrEnd = "expected ',' or a closing bracket"
        case tooDeep = "nesting deeper than 512 levels"
        case trailingData = "unexpected data after the JSON value"
        case empty = "empty input"
    }

    package var code: Code
    /// Byte offset where the problem was found.
    package var offset: Int
    /// The byte found there, if any (for `unexpectedByte`-like codes).
    package var found: UInt8?

    package init(_ code: Code, at offset: Int, found: UInt8? = nil) {
        self.code = code
        self.offset = offset
        self.found = found
    }

    package var description: String {
        var text = "\(code.rawValue) at byte \(offset)"
        if let found {
            if found >= 0x21 && found < 0x7F {
                text += " (found '\(Character(Unicode.Scalar(found)))')"
            } else {
                text += " (found byte 0x\(String(found, radix: 16, uppercase: true)))"
            }
        }
        return text
    }
}
