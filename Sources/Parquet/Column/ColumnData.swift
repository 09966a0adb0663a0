/// Variable-length byte strings stored back to back: value `i` is `bytes[offsets[i]..<offsets[i+1]]`.
package struct ByteArrayColumn: Sendable, Equatable {
    package var offsets: [Int] = [0]
    package var bytes: [UInt8] = []

    package init() {}
    package init(_ strings: [String]) {
        for string in strings { append(string) }
    }

    package var count: Int { offsets.count - 1 }

    package mutating func append(_ string: String) {
        bytes.append(contentsOf: string.utf8)
        offsets.append(bytes.count)
    }
    package mutating func append<C: Collection>(bytes value: C) where C.Element == UInt8 {
        bytes.append(contentsOf: value)
        offsets.append(bytes.count)
    }
    /// An empty value (used as the placeholder behind a null).
    package mutating func appendEmpty() { offsets.append(bytes.count) }

    package func value(at index: Int) -> ArraySlice<UInt8> { bytes[offsets[index]..<offsets[index + 1]] }
    package func string(at index: Int) -> String { String(decoding: value(at: index), as: UTF8.self) }
}

/// The values of one column for a batch of rows, dense: one slot per row. For a nullable
/// column `validity[i] == false` marks row `i` null and its slot holds a placeholder.
package enum ColumnValues: Sendable, Equatable {
    case boolean([Bool])
    case int32([Int32])
    case int64([Int64])
    case double([Double])
    case float([Float])
    case byteArray(ByteArrayColumn)

    /// No values, of the Swift type that holds `type`.
    package static func empty(_ type: PhysicalType) -> ColumnValues {
        switch type {
        case .boolean: .boolean([])
        case .int32: .int32([])
        case .int64: .int64([])
        case .float: .float([])
        case .double: .double([])
        case .byteArray, .fixedLenByteArray, .int96: .byteArray(ByteArrayColumn())
        }
    }

    package var count: Int {
        switch self {
        case .boolean(let v): v.count
        case .int32(let v): v.count
        case .int64(let v): v.count
        case .double(let v): v.count
        case .float(let v): v.count
        case .byteArray(let v): v.count
        }
    }
}

/// One column's data for a batch of rows: dense values plus an optional validity mask.
package struct ColumnData: Sendable, Equatable {
    package var values: ColumnValues
    /// `nil` when every row is present; otherwise `validity.count == values.count`.
    package var validity: [Bool]?

    package init(_ values: ColumnValues, validity: [Bool]? = nil) {
        self.values = values
        self.validity = validity
    }

    package var count: Int { values.count }
    package func isNull(_ row: Int) -> Bool { validity.map { !$0[row] } ?? false }
}

/// One column chunk as `ParquetReader.readEncoded` returns it.
package enum EncodedColumn: Sendable, Equatable {
    case dense(ColumnData)
    /// Row `i` is `dictionary.value(at: indices[i])`, or null when `validity?[i] == false` (its index is then 0).
    case dictionary(ByteArrayColumn, indices: [UInt32], validity: [Bool]?)

    package var count: Int {
        switch self {
        case .dense(let data): data.count
        case .dictionary(_, let indices, _): indices.count
        }
    }
}
