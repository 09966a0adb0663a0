import HomeBaseCore

/// Thrift compact protocol decoder with bounds checks on every read, a nesting limit, and list
/// sizes checked against the bytes left, so corrupt metadata fails instead of allocating or looping.
struct ThriftCompactReader {
    private let bytes: [UInt8]
    private(set) var position: Int
    private let end: Int
    private var lastField: Int16 = 0
    private var fieldStack: [Int16] = []
    /// Added to positions in error messages (absolute file offset of `bytes[0]`).
    let baseOffset: Int

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil, baseOffset: Int = 0) {
        self.bytes = bytes
        self.position = start
        self.end = min(end ?? bytes.count, bytes.count)
        self.baseOffset = baseOffset
    }

    func failure(_ what: String) -> ParquetError {
        ParquetError("broken Thrift metadata: \(what)", offset: baseOffset + position)
    }

    mutating func byte() throws(ParquetError) -> UInt8 {
        guard position < end else { throw failure("unexpected end of data") }
        let b = bytes[position]
        position += 1
        return b
    }

    mutating func varint() throws(ParquetError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            if shift == 63 && b > 1 { throw failure("varint overflows 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw failure("varint longer than 10 bytes") }
        }
    }

    mutating func zigzag() throws(ParquetError) -> Int64 {
        LEB128.unzigzag(try varint())
    }

    mutating func i32() throws(ParquetError) -> Int32 {
        let v = try zigzag()
        guard let value = Int32(exactly: v) else { throw failure("i32 value \(v) out of range") }
        return value
    }
    mutating func i64() throws(ParquetError) -> Int64 { try zigzag() }

    mutating func binary() throws(ParquetError) -> [UInt8] {
        let length = try varint()
        guard length <= UInt64(end - position) else { throw failure("binary length \(length) runs past the end") }
        let n = Int(length)
        let value = Array(bytes[position..<position + n])
        position += n
        return value
    }
    mutating func string() throws(ParquetError) -> String { String(decoding: try binary(), as: UTF8.self) }

    /// Reads the next field header of the current struct; `nil` at the stop byte.
    mutating func fieldHeader() throws(ParquetError) -> (id: Int16, type: UInt8)? {
        let b = try byte()
        if b == 0 { return nil }
        let type = b & 0x0F
        let delta = Int16(b >> 4)
        let id: Int16
        if delta != 0 {
            id = lastField &+ delta
        } else {
            let raw = try zigzag()
            guard let small = Int16(exactly: raw) else { throw failure("field id \(raw) out of range") }
            id = small
        }
        lastField = id
        return (id, type)
    }

    mutating func beginStruct() throws(ParquetError) {
        guard fieldStack.count < 64 else { throw failure("structs nested too deeply") }
        fieldStack.append(lastField)
        lastField = 0
    }
    mutating func endStruct() { lastField = fieldStack.popLast() ?? 0 }

    /// Reads a list header: element count (checked against the bytes left) and element type.
    mutating func listHeader() throws(ParquetError) -> (count: Int, type: UInt8) {
        let b = try byte()
        var count = UInt64(b >> 4)
        if count == 15 { count = try varint() }
        guard count <= UInt64(end - position) else { throw failure("list of \(count) elements runs past the end") }
        return (Int(count), b & 0x0F)
    }

    /// A bool carried by a struct field header's type nibble.
    func boolValue(_ type: UInt8) throws(ParquetError) -> Bool {
        switch type {
        case 1: return true
        case 2: return false
        default: throw failure("expected a bool field, found type \(type)")
        }
    }

    /// Checks that a field has the expected wire type.
    func expect(_ type: UInt8, _ wanted: UInt8, _ name: String) throws(ParquetError) {
        let ok = type == wanted || (wanted == 1 && type == 2)
        guard ok else { throw failure("field \(name) has wire type \(type), expected \(wanted)") }
    }

    /// Skips a value of the given wire type (unknown fields).
    mutating func skip(_ type: UInt8, depth: Int = 0) throws(ParquetError) {
        guard depth < 64 else { throw failure("values nested too deeply") }
        switch type {
        case 1, 2: return
        case 3: _ = try byte()
        case 4, 5, 6: _ = try varint()
        case 7:
            guard end - position >= 8 else { throw failure("unexpected end of data") }
            position += 8
        case 8: _ = try binary()
        case 9, 10:
            let (count, elementType) = try listHeader()
            for _ in 0..<count {
                if elementType == 1 || elementType == 2 { _ = try byte() } else { try skip(elementType, depth: depth + 1) }
            }
        case 11:
            let size = try varint()
            guard size <= UInt64(end - position) else { throw failure("map size runs past the end") }
            if size > 0 {
                let kinds = try byte()
                for _ in 0..<Int(size) {
                    for kind in [kinds >> 4, kinds & 0x0F] {
                        if kind == 1 || kind == 2 { _ = try byte() } else { try skip(kind, depth: depth + 1) }
                    }
                }
            }
        case 12:
            try beginStruct()
            while let (_, fieldType) = try fieldHeader() { try skip(fieldType, depth: depth + 1) }
            endStruct()
        case 13:
            guard end - position >= 16 else { throw failure("unexpected end of data") }
            position += 16
        default:
            throw failure("unknown wire type \(type)")
        }
    }
}
