import HomeBaseCore

/// Thrift compact protocol encoder for the Parquet metadata structs (footer and page headers).
/// Keeps the stack of last field ids so nested structs use short-form field deltas.
struct ThriftCompactWriter {
    enum FieldType: UInt8 {
        case boolTrue = 1, boolFalse = 2, i8 = 3, i16 = 4, i32 = 5, i64 = 6, double = 7
        case binary = 8, list = 9, set = 10, map = 11, structure = 12
    }

    private(set) var bytes: [UInt8] = []
    private var lastField: Int16 = 0
    private var fieldStack: [Int16] = []

    init() { bytes.reserveCapacity(256) }

    mutating func varint(_ value: UInt64) { LEB128.append(value, to: &bytes) }

    mutating func zigzag(_ value: Int64) { varint(LEB128.zigzag(value)) }

    private mutating func fieldHeader(_ id: Int16, _ type: FieldType) {
        let delta = Int(id) - Int(lastField)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta << 4) | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            zigzag(Int64(id))
        }
        lastField = id
    }

    mutating func i32(_ id: Int16, _ value: Int32) { fieldHeader(id, .i32); zigzag(Int64(value)) }
    mutating func i64(_ id: Int16, _ value: Int64) { fieldHeader(id, .i64); zigzag(value) }
    mutating func i8(_ id: Int16, _ value: Int8) { fieldHeader(id, .i8); bytes.append(UInt8(bitPattern: value)) }
    mutating func bool(_ id: Int16, _ value: Bool) { fieldHeader(id, value ? .boolTrue : .boolFalse) }
    mutating func binary(_ id: Int16, _ value: [UInt8]) {
        fieldHeader(id, .binary)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }
    mutating func string(_ id: Int16, _ value: String) { binary(id, Array(value.utf8)) }

    /// Starts a nested struct field; close it with `endStruct()`.
    mutating func beginStruct(_ id: Int16) {
        fieldHeader(id, .structure)
        fieldStack.append(lastField)
        lastField = 0
    }
    /// Starts a struct that is a list element (no field header).
    mutating func beginListElement() {
        fieldStack.append(lastField)
        lastField = 0
    }
    mutating func endStruct() {
        bytes.append(0)
        lastField = fieldStack.popLast() ?? 0
    }
    /// An empty struct field (union members such as StringType{}).
    mutating func emptyStruct(_ id: Int16) { beginStruct(id); endStruct() }

    mutating func listHeader(_ id: Int16, count: Int, of type: FieldType) {
        fieldHeader(id, .list)
        if count < 15 {
            bytes.append(UInt8(count << 4) | type.rawValue)
        } else {
            bytes.append(0xF0 | type.rawValue)
            varint(UInt64(count))
        }
    }
    /// Bare list element encoders.
    mutating func elementI32(_ value: Int32) { zigzag(Int64(value)) }
    mutating func elementBinary(_ value: [UInt8]) { varint(UInt64(value.count)); bytes.append(contentsOf: value) }

    /// Ends the top-level struct.
    mutating func stop() { bytes.append(0) }
}
