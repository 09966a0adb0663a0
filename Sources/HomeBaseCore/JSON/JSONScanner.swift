/// A streaming, byte-level JSON (RFC 8259) scanner over one line held in memory.
///
/// It validates while it skips, so a value nobody needs costs a scan and nothing more: skipping
/// a string looks for the next `"`, `\` or control byte eight bytes at a time. Callers walk
/// objects with ``beginObject()``/``nextKey()``/``afterMember()`` and decode only the spans they
/// need (see `JSONScanner+Decode.swift`). Skipped strings are not checked for valid UTF-8;
/// decoded strings repair invalid UTF-8 and lone surrogate escapes to U+FFFD.
package struct JSONScanner {
    package static let maxDepth = 512

    package let bytes: UnsafeRawBufferPointer
    /// Next byte to read.
    package var position: Int
    /// One past the last byte that belongs to this scan.
    package let end: Int

    package init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.position = 0
        self.end = bytes.count
    }

    /// A scanner over one previously recorded value span of the same buffer.
    package init(_ bytes: UnsafeRawBufferPointer, span: JSONSpan) {
        self.bytes = bytes
        self.position = span.start
        self.end = span.end
    }

    // MARK: Bytes

    @inline(__always) package func byte(at index: Int) -> UInt8 {
        bytes.load(fromByteOffset: index, as: UInt8.self)
    }

    /// The next non-whitespace byte (not consumed), or `nil` at the end.
    @inline(__always) package mutating func peekToken() -> UInt8? {
        skipWhitespace()
        return position < end ? byte(at: position) : nil
    }

    @inline(__always) package mutating func skipWhitespace() {
        while position < end {
            let c = byte(at: position)
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { position += 1 } else { return }
        }
    }

    @inline(__always) mutating func fail(_ code: JSONScanError.Code) -> JSONScanError {
        JSONScanError(code, at: position, found: position < end ? byte(at: position) : nil)
    }

    // MARK: Whole documents

    /// Validates that the buffer holds exactly one JSON value (surrounded by optional whitespace).
    package mutating func validateDocument() throws(JSONScanError) {
        guard peekToken() != nil else { throw JSONScanError(.empty, at: position) }
        try skipValue()
        try finish()
    }

    /// After the top-level value: only whitespace may follow.
    package mutating func finish() throws(JSONScanError) {
        skipWhitespace()
        if position < end { throw fail(.trailingData) }
    }

    // MARK: Skipping (validating)

    /// Skips one value of any kind, validating it; returns its span.
    @discardableResult
    package mutating func skipValue(depth: Int = 0) throws(JSONScanError) -> JSONSpan {
        guard let c = peekToken() else { throw fail(.unexpectedEnd) }
        let start = position
        switch c {
        case UInt8(ascii: "\""):
            let escaped = try skipString()
            return JSONSpan(start: start, end: position, escaped: escaped)
        case UInt8(ascii: "{"):
            guard depth < Self.maxDepth else { throw fail(.tooDeep) }
            if try beginObject() {
                repeat {
                    _ = try nextKey()
                    try skipValue(depth: depth + 1)
                } while try afterMember()
            }
        case UInt8(ascii: "["):
            guard depth < Self.maxDepth else { throw fail(.tooDeep) }
            if try beginArray() {
                repeat {
                    try skipValue(depth: depth + 1)
                } while try afterElement()
            }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
        default: throw fail(.unexpectedByte)
        }
        return JSONSpan(start: start, end: position)
    }

    private mutating func literal(_ word: StaticString) throws(JSONScanError) {
        let count = word.utf8CodeUnitCount
        guard position + count <= end else {
            // Report a torn literal as an end-of-input problem only if what is there matches so far.
            let start = word.utf8Start
            var i = 0
            while position + i < end {
                if byte(at: position + i) != start[i] { position += i; throw fail(.invalidLiteral) }
                i += 1
            }
            position = end
            throw fail(.unexpectedEnd)
        }
        let start = word.utf8Start
        for i in 0..<count where byte(at: position + i) != start[i] {
            position += i
            throw fail(.invalidLiteral)
        }
        position += count
    }

    /// Skips a number, validating the RFC 8259 grammar. Position must be at `-` or a digit.
    package mutating func skipNumber() throws(JSONScanError) {
        if byte(at: position) == UInt8(ascii: "-") { position += 1 }
        guard position < end else { throw fail(.unexpectedEnd) }
        let first = byte(at: position)
        if first == UInt8(ascii: "0") {
            position += 1
        } else if first >= UInt8(ascii: "1") && first <= UInt8(ascii: "9") {
            position += 1
            skipDigits()
        } else {
            throw fail(.invalidNumber)
        }
        if position < end && byte(at: position) == UInt8(ascii: ".") {
            position += 1
            guard position < end else { throw fail(.unexpectedEnd) }
            guard isDigit(byte(at: position)) else { throw fail(.invalidNumber) }
            skipDigits()
        }
        if position < end && (byte(at: position) | 0x20) == UInt8(ascii: "e") {
            position += 1
            guard position < end else { throw fail(.unexpectedEnd) }
            let sign = byte(at: position)
            if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
            guard position < end else { throw fail(.unexpectedEnd) }
            guard isDigit(byte(at: position)) else { throw fail(.invalidNumber) }
            skipDigits()
        }
    }

    @inline(__always) private func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }

    @inline(__always) private mutating func skipDigits() {
        while position < end && isDigit(byte(at: position)) { position += 1 }
    }

    /// Skips a string; position must be at its opening quote. Returns whether it held escapes.
    ///
    /// The hot loop tests eight bytes at once for `"`, `\` or a byte below 0x20 (SWAR) and jumps
    /// straight to the first such byte (the lowest flagged byte is exact; borrows only flag bytes
    /// after it), so long tool results cost about as much as a `memchr` and an escape costs one
    /// word, not a pass per byte up to it.
    @discardableResult
    package mutating func skipString() throws(JSONScanError) -> Bool {
        var i = position + 1
        var escaped = false
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = SIMD16<UInt8>(repeating: 0x22), backslashes = SIMD16<UInt8>(repeating: 0x5C), controls = SIMD16<UInt8>(repeating: 0x20)
        while true {
            var special = false
            // 16 bytes at a time while none is a quote, backslash or control byte (2.6x the word
            // loop on a long message), then a word at a time to find which one is.
            while i + 16 <= end {
                let v = bytes.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                if any((v .== quotes) .| (v .== backslashes) .| (v .< controls)) { break }
                i += 16
            }
            while i + 8 <= end {
                let w = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let q = w ^ (ones &* 0x22)
                let b = w ^ (ones &* 0x5C)
                let hits = (((q &- ones) & ~q) | ((b &- ones) & ~b) | ((w &- ones &* 0x20) & ~w)) & highs
                if hits != 0 {
                    i += hits.trailingZeroBitCount &>> 3
                    special = true
                    break
                }
                i += 8
            }
            if !special {
                while i < end {
                    let c = byte(at: i)
                    if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 { break }
                    i += 1
                }
                guard i < end else {
                    position = end
                    throw fail(.unexpectedEnd)
                }
            }
            let c = byte(at: i)
            if c == UInt8(ascii: "\"") {
                position = i + 1
                return escaped
            } else if c == UInt8(ascii: "\\") {
                escaped = true
                guard i + 1 < end else { position = end; throw fail(.unexpectedEnd) }
                switch byte(at: i + 1) {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                    UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    for k in 2..<6 {
                        guard i + k < end else { position = end; throw fail(.unexpectedEnd) }
                        guard Self.hexValue(byte(at: i + k)) != nil else {
                            position = i + k
                            throw fail(.invalidEscape)
                        }
                    }
                    i += 6
                default:
                    position = i + 1
                    throw fail(.invalidEscape)
                }
            } else {
                position = i
                throw fail(.controlCharacter)
            }
        }
    }

    @inline(__always) static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    // MARK: Walking containers

    /// Consumes `{`; returns `false` if the object is empty (and its `}` was consumed too).
    package mutating func beginObject() throws(JSONScanError) -> Bool {
        guard let c = peekToken() else { throw fail(.unexpectedEnd) }
        guard c == UInt8(ascii: "{") else { throw fail(.unexpectedByte) }
        position += 1
        guard let next = peekToken() else { throw fail(.unexpectedEnd) }
        if next == UInt8(ascii: "}") { position += 1; return false }
        return true
    }

    /// Reads a member key and the `:` after it; returns the key's span (quotes included).
    package mutating func nextKey() throws(JSONScanError) -> JSONSpan {
        guard let c = peekToken() else { throw fail(.unexpectedEnd) }
        guard c == UInt8(ascii: "\"") else { throw fail(.expectedKey) }
        let start = position
        let escaped = try skipString()
        let span = JSONSpan(start: start, end: position, escaped: escaped)
        guard let colon = peekToken() else { throw fail(.unexpectedEnd) }
        guard colon == UInt8(ascii: ":") else { throw fail(.expectedColon) }
        position += 1
        return span
    }

    /// After a member value: consumes `,` (returns `true`, another member follows) or `}` (`false`).
    package mutating func afterMember() throws(JSONScanError) -> Bool {
        guard let c = peekToken() else { throw fail(.unexpectedEnd) }
        position += 1
        if c == UInt8(ascii: ",") { return true }
        if c == UInt8(ascii: "}") { return false }
        position -= 1
        throw fail(.expectedCommaOrEnd)
    }

    /// Consumes `[`; returns `false` if the array is empty (and its `]` was consumed too).
    package mutating func beginArray() throws(JSONScanError) -> Bool {
        guard let c = peekToken() else { throw fail(.unexpectedEnd) }
        guard c == UInt8(ascii: "[") else { throw fail(.unexpectedByte) }
        position += 1
        guard let next = peekToken() else { throw fail(.unexpectedEnd) }
        if next == UInt8(ascii: "]") { position += 1; return false }
        return true
    }

    /// After an element: consumes `,` (returns `true`) or `]` (`false`).
    package mutating func afterElement() throws(JSONScanError) -> Bool {
        guard let c = peekToken() else { throw fail(.unexpectedEnd) }
        position += 1
        if c == UInt8(ascii: ",") { return true }
        if c == UInt8(ascii: "]") { return false }
        position -= 1
        throw fail(.expectedCommaOrEnd)
    }
}
