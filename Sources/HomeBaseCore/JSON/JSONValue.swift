/// A fully materialised JSON value, for small documents where convenience beats speed
/// (gateway log lines, tests). Numbers keep their literal text so nothing is lost.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in document order (duplicates kept; lookups take the last, as most parsers do).
    case object([(key: String, value: JSONValue)])

    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// Parses one complete JSON document.
    package static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONScanError) -> JSONValue {
        var scanner = JSONScanner(bytes)
        guard scanner.peekToken() != nil else { throw JSONScanError(.empty, at: scanner.position) }
        let value = try scanner.parseValue()
        try scanner.finish()
        return value
    }

    /// Parses a JSON document held in a string.
    package static func parse(_ text: String) throws(JSONScanError) -> JSONValue {
        var copy = text
        let result: Result<JSONValue, JSONScanError> = copy.withUTF8 { buffer in
            do throws(JSONScanError) {
                return .success(try parse(UnsafeRawBufferPointer(buffer)))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The member `key` of an object (last one wins), or `nil`.
    package subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    package var stringValue: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    package var doubleValue: Double? {
        if case let .number(n) = self { return Double(n) }
        return nil
    }
}

extension JSONScanner {
    /// Parses and materialises the next value.
    package mutating func parseValue(depth: Int = 0) throws(JSONScanError) -> JSONValue {
        guard let c = peekToken() else { throw JSONScanError(.unexpectedEnd, at: position) }
        switch c {
        case UInt8(ascii: "\""):
            let span = try skipValue(depth: depth)
            return .string(string(span) ?? "")
        case UInt8(ascii: "{"):
            guard depth < Self.maxDepth else { throw JSONScanError(.tooDeep, at: position, found: c) }
            var members: [(key: String, value: JSONValue)] = []
            if try beginObject() {
                repeat {
                    let key = try nextKey()
                    let value = try parseValue(depth: depth + 1)
                    members.append((string(key) ?? "", value))
                } while try afterMember()
            }
            return .object(members)
        case UInt8(ascii: "["):
            guard depth < Self.maxDepth else { throw JSONScanError(.tooDeep, at: position, found: c) }
            var elements: [JSONValue] = []
            if try beginArray() {
                repeat {
                    elements.append(try parseValue(depth: depth + 1))
                } while try afterElement()
            }
            return .array(elements)
        case UInt8(ascii: "t"): try skipValue(depth: depth); return .bool(true)
        case UInt8(ascii: "f"): try skipValue(depth: depth); return .bool(false)
        case UInt8(ascii: "n"): try skipValue(depth: depth); return .null
        default:
            let span = try skipValue(depth: depth)
            return .number(rawText(span))
        }
    }
}
