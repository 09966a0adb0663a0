import HomeBaseCore
/// Parses the lines of one OpenClaw transcript file, in order, possibly starting mid-file.
///
/// Each line is scanned once with ``JSONScanner``: the envelope keys and the `message` keys are
/// recorded as byte spans while everything else (user text, tool results) is skipped without
/// materialising it. Strings are created only for the fields of lines that are calls.
/// See `reference/openclaw-logs.md` §2 and the samples README for the shapes handled.
package struct TranscriptParser {
    package let agentId: String
    package let sourceFile: String
    package let fileSessionId: String
    /// Carried between incremental reads of one file (persist it with the byte offset).
    package internal(set) var state: State
    /// What this parser skipped or recorded as unknown so far.
    package internal(set) var quality = TranscriptQuality()

    package init(agentId: String, sourceFile: String, fileSessionId: String, state: State? = nil) {
        self.agentId = agentId
        self.sourceFile = sourceFile
        self.fileSessionId = fileSessionId
        self.state = state ?? State()
    }

    /// Parses one line (without its newline). `lineNumber` is 1-based; `byteOffset` is the file
    /// offset of the line's first byte (used in quarantine reasons).
    package mutating func parse(line: UnsafeRawBufferPointer, lineNumber: Int64, byteOffset: Int64) -> TranscriptLine {
        var scanner = JSONScanner(line)
        guard let first = scanner.peekToken() else { return .notACall }  // blank line
        guard first == UInt8(ascii: "{") else {
            return quarantine(notAnObject(line, byteOffset: byteOffset))
        }
        var entry = Entry()
        do throws(JSONScanError) {
            try scanEnvelope(&scanner, into: &entry)
            try scanner.finish()
        } catch {
            return quarantine("invalid JSON: \(error) (file offset \(byteOffset + Int64(error.offset)))")
        }
        return classify(entry, scanner: scanner, lineNumber: lineNumber)
    }

    private mutating func quarantine(_ reason: String) -> TranscriptLine {
        quality.quarantined += 1
        return .quarantine(reason: reason)
    }

    private func notAnObject(_ line: UnsafeRawBufferPointer, byteOffset: Int64) -> String {
        var scanner = JSONScanner(line)
        do throws(JSONScanError) {
            try scanner.validateDocument()
        } catch {
            return "invalid JSON: \(error) (file offset \(byteOffset + Int64(error.offset)))"
        }
        let kind: String
        switch scanner.peekFirstByte() {
        case UInt8(ascii: "["): kind = "an array"
        case UInt8(ascii: "\""): kind = "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): kind = "a boolean"
        case UInt8(ascii: "n"): kind = "null"
        default: kind = "a number"
        }
        return "valid JSON but \(kind), not an object, at byte 0 (file offset \(byteOffset)); transcript lines are objects"
    }

    // MARK: Scanning

    /// Byte spans of the fields a call needs; absent spans for fields the line does not have.
    struct Entry {
        var type = JSONSpan.absent, id = JSONSpan.absent, timestamp = JSONSpan.absent, customType = JSONSpan.absent
        var message = JSONSpan.absent
        var role = JSONSpan.absent, content = JSONSpan.absent, api = JSONSpan.absent, provider = JSONSpan.absent
        var model = JSONSpan.absent, usage = JSONSpan.absent, stopReason = JSONSpan.absent
        var errorMessage = JSONSpan.absent, messageTimestamp = JSONSpan.absent, errorStatus = JSONSpan.absent
        var data = JSONSpan.absent
        var dataTimestamp = JSONSpan.absent, dataProvider = JSONSpan.absent, dataModel = JSONSpan.absent
        var dataApi = JSONSpan.absent, dataError = JSONSpan.absent
    }

    private func scanEnvelope(_ s: inout JSONScanner, into e: inout Entry) throws(JSONScanError) {
        guard try s.beginObject() else { return }
        repeat {
            let key = try s.nextKey()
            if s.stringEquals(key, "message"), s.peekToken() == UInt8(ascii: "{") {
                let start = s.position
                try scanMessage(&s, into: &e)
                e.message = JSONSpan(start: start, end: s.position)
            } else if s.stringEquals(key, "data"), s.peekToken() == UInt8(ascii: "{") {
                let start = s.position
                try scanData(&s, into: &e)
                e.data = JSONSpan(start: start, end: s.position)
            } else {
                let value = try s.skipValue(depth: 1)
                if s.stringEquals(key, "type") {
                    e.type = value
                } else if s.stringEquals(key, "id") {
                    e.id = value
                } else if s.stringEquals(key, "timestamp") {
                    e.timestamp = value
                } else if s.stringEquals(key, "customType") {
                    e.customType = value
                } else if s.stringEquals(key, "message") {
                    e.message = value
                }  // not an object: reported later
            }
        } while try s.afterMember()
    }

    private func scanMessage(_ s: inout JSONScanner, into e: inout Entry) throws(JSONScanError) {
        guard try s.beginObject() else { return }
        repeat {
            let key = try s.nextKey()
            let value = try s.skipValue(depth: 2)
            switch key.end - key.start - 2 {  // dispatch on key length before comparing bytes
            case 3: if s.stringEquals(key, "api") { e.api = value }
            case 4: if s.stringEquals(key, "role") { e.role = value }
            case 5:
                if s.stringEquals(key, "model") { e.model = value } else if s.stringEquals(key, "usage") { e.usage = value }
            case 7: if s.stringEquals(key, "content") { e.content = value }
            case 8: if s.stringEquals(key, "provider") { e.provider = value }
            case 9: if s.stringEquals(key, "timestamp") { e.messageTimestamp = value }
            case 10: if s.stringEquals(key, "stopReason") { e.stopReason = value }
            case 11: if s.stringEquals(key, "errorStatus") { e.errorStatus = value }
            case 12: if s.stringEquals(key, "errorMessage") { e.errorMessage = value }
            default:
                if key.escaped { rescanEscapedMessageKey(key, value, s, &e) }
            }
        } while try s.afterMember()
    }

    /// Keys written with escapes (`"\u0072ole"`) are legal JSON; decode and match them slowly.
    private func rescanEscapedMessageKey(_ key: JSONSpan, _ value: JSONSpan, _ s: JSONScanner, _ e: inout Entry) {
        switch s.string(key) {
        case "role": e.role = value
        case "content": e.content = value
        case "api": e.api = value
        case "provider": e.provider = value
        case "model": e.model = value
        case "usage": e.usage = value
        case "stopReason": e.stopReason = value
        case "errorMessage": e.errorMessage = value
        case "timestamp": e.messageTimestamp = value
        case "errorStatus": e.errorStatus = value
        default: break
        }
    }

    private func scanData(_ s: inout JSONScanner, into e: inout Entry) throws(JSONScanError) {
        guard try s.beginObject() else { return }
        repeat {
            let key = try s.nextKey()
            let value = try s.skipValue(depth: 2)
            if s.stringEquals(key, "timestamp") {
                e.dataTimestamp = value
            } else if s.stringEquals(key, "provider") {
                e.dataProvider = value
            } else if s.stringEquals(key, "model") {
                e.dataModel = value
            } else if s.stringEquals(key, "api") {
                e.dataApi = value
            } else if s.stringEquals(key, "error") {
                e.dataError = value
            }
        } while try s.afterMember()
    }
}

extension JSONScanner {
    /// The first non-whitespace byte of the whole buffer.
    func peekFirstByte() -> UInt8? {
        var copy = JSONScanner(bytes)
        return copy.peekToken()
    }
}
