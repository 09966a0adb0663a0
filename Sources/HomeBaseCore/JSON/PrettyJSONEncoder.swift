import Foundation

/// Encodes a value byte for byte as Foundation's `JSONEncoder` with `.prettyPrinted` and
/// `.sortedKeys` does (and `.withoutEscapingSlashes` unless `escapeSlashes`), several times
/// faster: scalars are rendered straight into one byte buffer, containers are light arrays
/// sorted once at the end, and no coding path is kept. Foundation's encoder was 12 % of an
/// `analyze` of a year of a fleet (4 MB of analysis.json). The output rules it matches: two
/// spaces per level, `"key" : value`, empty containers as `[`/`{`, a blank line, the closing
/// bracket; keys in UTF-8 byte order, a repeated key keeps its last value; numbers as their
/// `description` without a trailing `.0`; NaN and infinities refused.
package struct PrettyJSONEncoder {
    package var escapeSlashes = false

    package init(escapeSlashes: Bool = false) { self.escapeSlashes = escapeSlashes }

    package func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let storage = PrettyJSONStorage()
        let root = try storage.slot(for: value)
        var out: [UInt8] = []
        out.reserveCapacity(storage.bytes.count + storage.bytes.count / 2)
        storage.write(root, level: 0, to: &out, escapeSlashes: escapeSlashes)
        return out
    }
}

/// A container's entries in the order they were encoded (keys only for objects).
final class PrettyJSONBox {
    var keys: [String] = []
    var values: [PrettyJSONSlot] = []
}

/// One encoded value: a scalar's rendered bytes (a range of the storage's buffer), an object or
/// an array, a string kept to be escaped when written, or a super encoder's value (`{}` if it
/// was given none).
enum PrettyJSONSlot {
    case scalar(Int, Int)
    case string(String)
    case object(PrettyJSONBox)
    case array(PrettyJSONBox)
    case deferred(Holder)

    /// Where an `Encoder` puts the one value it is asked for.
    final class Holder {
        var slot: PrettyJSONSlot?
    }
}

/// The byte buffer the scalars are rendered into, and the writer.
final class PrettyJSONStorage {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(1 << 16) }

    func scalar(_ text: String) -> PrettyJSONSlot {
        let start = bytes.count
        bytes.append(contentsOf: text.utf8)
        return .scalar(start, bytes.count)
    }

    func scalar<F: BinaryFloatingPoint & CustomStringConvertible>(_ value: F, path: @autoclosure () -> [CodingKey]) throws -> PrettyJSONSlot {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: path(), debugDescription: "Unable to encode \(value) directly in JSON."))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return scalar(text)
    }

    /// `value` encoded, the common scalar types rendered without an encoder.
    func slot<T: Encodable>(for value: T) throws -> PrettyJSONSlot {
        if let slot = try directSlot(value) { return slot }
        let holder = PrettyJSONSlot.Holder()
        try value.encode(to: PrettyJSONValueEncoder(storage: self, holder: holder))
        return holder.slot ?? .object(PrettyJSONBox())  // a value that encoded nothing is {}
    }

    /// A scalar's slot without an encoder; nil for anything else. The type is compared, not
    /// cast: a failed conformance or cast check for every struct and array was most of the
    /// encoding time. Types Foundation's encoder renders its own way (dates, data, URLs,
    /// decimals) are refused, not written differently.
    private func directSlot<T: Encodable>(_ value: T) throws -> PrettyJSONSlot? {
        func bits<S>(_: S.Type) -> S { unsafeBitCast(value, to: S.self) }
        if T.self == Double.self { return try scalar(bits(Double.self), path: []) }
        if T.self == String.self { return .string(bits(String.self)) }
        if T.self == Int.self { return scalar(String(bits(Int.self))) }
        if T.self == Int64.self { return scalar(String(bits(Int64.self))) }
        if T.self == Bool.self { return scalar(bits(Bool.self) ? "true" : "false") }
        if T.self == Int32.self { return scalar(String(bits(Int32.self))) }
        if T.self == UInt64.self { return scalar(String(bits(UInt64.self))) }
        if T.self == Float.self { return try scalar(bits(Float.self), path: []) }
        if T.self == UInt8.self { return scalar(String(bits(UInt8.self))) }
        if T.self == UInt32.self { return scalar(String(bits(UInt32.self))) }
        if T.self == Int16.self { return scalar(String(bits(Int16.self))) }
        if T.self == UInt16.self { return scalar(String(bits(UInt16.self))) }
        if T.self == Int8.self { return scalar(String(bits(Int8.self))) }
        if T.self == UInt.self { return scalar(String(bits(UInt.self))) }
        // Optionals and arrays of scalars (analysis.json's daily and hourly series are most of
        // it) without an encoder, a holder per element and a container per array.
        if T.self == Double?.self { return try bits(Double?.self).map { try scalar($0, path: []) } ?? scalar("null") }
        if T.self == String?.self { return bits(String?.self).map { .string($0) } ?? scalar("null") }
        if T.self == Int?.self { return bits(Int?.self).map { scalar(String($0)) } ?? scalar("null") }
        if T.self == [Double?].self { return try array(bits([Double?].self)) { try $0.map { try scalar($0, path: []) } ?? scalar("null") } }
        if T.self == [Double].self { return try array(bits([Double].self)) { try scalar($0, path: []) } }
        if T.self == [Int].self { return array(bits([Int].self)) { scalar(String($0)) } }
        if T.self == [String].self { return array(bits([String].self)) { .string($0) } }
        if T.self == [String?].self { return array(bits([String?].self)) { $0.map { .string($0) } ?? scalar("null") } }
        if T.self == Date.self || T.self == Data.self || T.self == URL.self || T.self == Decimal.self {
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: [], debugDescription: "\(T.self) is not supported by PrettyJSONEncoder"))
        }
        return nil
    }

    /// An array's slot from its elements' slots.
    private func array<E>(_ elements: [E], _ slot: (E) throws -> PrettyJSONSlot) rethrows -> PrettyJSONSlot {
        let box = PrettyJSONBox()
        box.values.reserveCapacity(elements.count)
        for element in elements { box.values.append(try slot(element)) }
        return .array(box)
    }

    // MARK: Writing

    func write(_ slot: PrettyJSONSlot, level: Int, to out: inout [UInt8], escapeSlashes: Bool) {
        switch slot {
        case .scalar(let start, let end):
            out.append(contentsOf: bytes[start..<end])
        case .string(let text):
            PrettyJSONStorage.quote(text, escapeSlashes: escapeSlashes, to: &out)
        case .deferred(let holder):
            write(holder.slot ?? .object(PrettyJSONBox()), level: level, to: &out, escapeSlashes: escapeSlashes)
        case .array(let box):
            out.append(UInt8(ascii: "["))
            out.append(0x0A)
            for (i, value) in box.values.enumerated() {
                if i > 0 { PrettyJSONStorage.separator(to: &out) }
                PrettyJSONStorage.indent(level + 1, to: &out)
                write(value, level: level + 1, to: &out, escapeSlashes: escapeSlashes)
            }
            out.append(0x0A)
            PrettyJSONStorage.indent(level, to: &out)
            out.append(UInt8(ascii: "]"))
        case .object(let box):
            out.append(UInt8(ascii: "{"))
            out.append(0x0A)
            var first = true
            for i in PrettyJSONStorage.sortedLastOfEachKey(box.keys) {
                if !first { PrettyJSONStorage.separator(to: &out) }
                first = false
                PrettyJSONStorage.indent(level + 1, to: &out)
                PrettyJSONStorage.quote(box.keys[i], escapeSlashes: escapeSlashes, to: &out)
                out.append(0x20)
                out.append(UInt8(ascii: ":"))
                out.append(0x20)
                write(box.values[i], level: level + 1, to: &out, escapeSlashes: escapeSlashes)
            }
            out.append(0x0A)
            PrettyJSONStorage.indent(level, to: &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Indices of `keys` in UTF-8 byte order, only the last index of a repeated key.
    static func sortedLastOfEachKey(_ keys: [String]) -> [Int] {
        var order = Array(keys.indices)
        order.sort { a, b in
            let c = compareBytes(keys[a], keys[b])
            return c < 0 || (c == 0 && a < b)  // equal keys: insertion order
        }
        var kept: [Int] = []
        kept.reserveCapacity(order.count)
        for i in order {
            if let last = kept.last, compareBytes(keys[last], keys[i]) == 0 { kept[kept.count - 1] = i } else { kept.append(i) }
        }
        return kept
    }

    /// The UTF-8 byte order of two strings (negative, 0, positive) with one `memcmp`: the
    /// generic comparison of two UTF-8 views was a tenth of encoding analysis.json.
    static func compareBytes(_ a: String, _ b: String) -> Int {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let n = min(x.count, y.count)
                let c = n == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, n)
                return c != 0 ? Int(c) : x.count - y.count
            }
        }
    }

    static func indent(_ level: Int, to out: inout [UInt8]) {
        for _ in 0..<2 * level { out.append(0x20) }
    }

    static func separator(to out: inout [UInt8]) {
        out.append(UInt8(ascii: ","))
        out.append(0x0A)
    }

    /// A JSON string: `"` and `\` escaped, `\b \f \n \r \t`, other controls as `\u00xx`.
    static func quote(_ text: String, escapeSlashes: Bool, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            for i in 0..<utf8.count {
                let byte = utf8[i]
                let short: UInt8  // the letter after the backslash, 0 for \u00xx
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): short = byte
                case UInt8(ascii: "/") where escapeSlashes: short = byte
                case 0x0A: short = UInt8(ascii: "n")
                case 0x0D: short = UInt8(ascii: "r")
                case 0x09: short = UInt8(ascii: "t")
                case 0x08: short = UInt8(ascii: "b")
                case 0x0C: short = UInt8(ascii: "f")
                case 0..<0x20: short = 0
                default: continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i]))
                out.append(0x5C)
                if short != 0 {
                    out.append(short)
                } else {
                    out.append(UInt8(ascii: "u"))
                    out.append(0x30)
                    out.append(0x30)
                    out.append(hexDigit(byte >> 4))
                    out.append(hexDigit(byte & 15))
                }
                start = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The lowercase hex digit of `nibble` (0-15).
    static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : UInt8(ascii: "a") + nibble - 10 }
}

/// The `Encoder` handed to a value's `encode(to:)`: its container is the value's slot.
struct PrettyJSONValueEncoder: Encoder {
    let storage: PrettyJSONStorage
    let holder: PrettyJSONSlot.Holder
    var codingPath: [CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object(let box)? = holder.slot { return KeyedEncodingContainer(PrettyJSONKeyed<Key>(storage: storage, box: box)) }
        let box = PrettyJSONBox()
        holder.slot = .object(box)
        return KeyedEncodingContainer(PrettyJSONKeyed<Key>(storage: storage, box: box))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        if case .array(let box)? = holder.slot { return PrettyJSONUnkeyed(storage: storage, box: box) }
        let box = PrettyJSONBox()
        holder.slot = .array(box)
        return PrettyJSONUnkeyed(storage: storage, box: box)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { PrettyJSONSingle(storage: storage, holder: holder) }
}

struct PrettyJSONKeyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let storage: PrettyJSONStorage
    let box: PrettyJSONBox
    var codingPath: [CodingKey] { [] }

    private func put(_ slot: PrettyJSONSlot, _ key: Key) {
        box.keys.append(key.stringValue)
        box.values.append(slot)
    }

    mutating func encodeNil(forKey key: Key) throws { put(storage.scalar("null"), key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(storage.scalar(value ? "true" : "false"), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(try storage.scalar(value, path: [key]), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { put(try storage.scalar(value, path: [key]), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(storage.scalar(String(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(storage.scalar(String(value)), key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { put(try storage.slot(for: value), key) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = PrettyJSONBox()
        put(.object(nested), key)
        return KeyedEncodingContainer(PrettyJSONKeyed<NestedKey>(storage: storage, box: nested))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        let nested = PrettyJSONBox()
        put(.array(nested), key)
        return PrettyJSONUnkeyed(storage: storage, box: nested)
    }

    mutating func superEncoder() -> Encoder { superEncoder(forKey: Key(stringValue: "super")!) }

    mutating func superEncoder(forKey key: Key) -> Encoder {
        let holder = PrettyJSONSlot.Holder()
        put(.deferred(holder), key)
        return PrettyJSONValueEncoder(storage: storage, holder: holder)
    }
}

struct PrettyJSONUnkeyed: UnkeyedEncodingContainer {
    let storage: PrettyJSONStorage
    let box: PrettyJSONBox
    var codingPath: [CodingKey] { [] }
    var count: Int { box.values.count }

    mutating func encodeNil() throws { box.values.append(storage.scalar("null")) }
    mutating func encode(_ value: Bool) throws { box.values.append(storage.scalar(value ? "true" : "false")) }
    mutating func encode(_ value: String) throws { box.values.append(.string(value)) }
    mutating func encode(_ value: Double) throws { box.values.append(try storage.scalar(value, path: [])) }
    mutating func encode(_ value: Int) throws { box.values.append(storage.scalar(String(value))) }
    mutating func encode(_ value: Int64) throws { box.values.append(storage.scalar(String(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws { box.values.append(try storage.slot(for: value)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = PrettyJSONBox()
        box.values.append(.object(nested))
        return KeyedEncodingContainer(PrettyJSONKeyed<NestedKey>(storage: storage, box: nested))
    }

    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        let nested = PrettyJSONBox()
        box.values.append(.array(nested))
        return PrettyJSONUnkeyed(storage: storage, box: nested)
    }

    mutating func superEncoder() -> Encoder {
        let holder = PrettyJSONSlot.Holder()
        box.values.append(.deferred(holder))
        return PrettyJSONValueEncoder(storage: storage, holder: holder)
    }
}

struct PrettyJSONSingle: SingleValueEncodingContainer {
    let storage: PrettyJSONStorage
    let holder: PrettyJSONSlot.Holder
    var codingPath: [CodingKey] { [] }

    mutating func encodeNil() throws { holder.slot = storage.scalar("null") }
    mutating func encode(_ value: Bool) throws { holder.slot = storage.scalar(value ? "true" : "false") }
    mutating func encode(_ value: String) throws { holder.slot = .string(value) }
    mutating func encode(_ value: Double) throws { holder.slot = try storage.scalar(value, path: []) }
    mutating func encode(_ value: Int) throws { holder.slot = storage.scalar(String(value)) }
    mutating func encode(_ value: Int64) throws { holder.slot = storage.scalar(String(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { holder.slot = try storage.slot(for: value) }
}
