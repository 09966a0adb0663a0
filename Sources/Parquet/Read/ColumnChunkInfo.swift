/// A typed statistics value decoded from a chunk's min_value/max_value bytes.
package enum StatValue: Sendable, Equatable, CustomStringConvertible {
    case int(Int64)
    case double(Double)
    case bytes([UInt8])
    case bool(Bool)

    package var description: String {
        switch self {
        case .int(let v): "\(v)"
        case .double(let v): "\(v)"
        case .bytes(let v): "\"" + String(decoding: v, as: UTF8.self) + "\""
        case .bool(let v): "\(v)"
        }
    }

    /// Decodes PLAIN stat bytes for `column`; `nil` when the size is wrong or the order unknown.
    static func decode(_ bytes: [UInt8]?, column: ColumnSchema) -> StatValue? {
        guard let bytes else { return nil }
        func load<T>(_: T.Type) -> T? {
            guard bytes.count == MemoryLayout<T>.size else { return nil }
            return bytes.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
        }
        switch column.physicalType {
        case .boolean: return bytes.count == 1 ? .bool(bytes[0] != 0) : nil
        case .int32:
            if case .integer(_, false) = column.logicalType { return load(UInt32.self).map { .int(Int64($0)) } }
            return load(Int32.self).map { .int(Int64($0)) }
        case .int64:
            if case .integer(_, false) = column.logicalType { return nil }
            return load(Int64.self).map { .int($0) }
        case .float: return load(Float.self).flatMap { $0.isNaN ? nil : .double(Double($0)) }
        case .double: return load(Double.self).flatMap { $0.isNaN ? nil : .double($0) }
        case .byteArray, .fixedLenByteArray: return .bytes(bytes)
        case .int96: return nil
        }
    }
}

/// What the footer says about one column chunk.
package struct ColumnChunkInfo: Sendable, Equatable {
    package var name: String
    package var physicalType: PhysicalType
    package var codec: String
    package var encodings: [String]
    package var numValues: Int
    package var compressedSize: Int
    package var uncompressedSize: Int
    package var dataPageOffset: Int
    package var dictionaryPageOffset: Int?
    /// `nil` when the writer did not record it.
    package var nullCount: Int?
    package var min: StatValue?
    package var max: StatValue?
}

/// What the footer says about one row group.
package struct RowGroupInfo: Sendable, Equatable {
    package var numRows: Int
    package var totalByteSize: Int
    package var totalCompressedSize: Int
    package var columns: [ColumnChunkInfo]

    package func column(_ name: String) -> ColumnChunkInfo? { columns.first { $0.name == name } }

    /// False only when the statistics prove no row of `column` lies in `range` (prunable).
    package func mayContain(column name: String, in range: ClosedRange<Int64>) -> Bool {
        guard let info = column(name), case .int(let lo)? = info.min, case .int(let hi)? = info.max else { return true }
        return !(hi < range.lowerBound || lo > range.upperBound)
    }

    package func mayContain(column name: String, from low: Double, through high: Double) -> Bool {
        guard let info = column(name), case .double(let lo)? = info.min, case .double(let hi)? = info.max else { return true }
        return !(hi < low || lo > high)
    }

    /// Strings compare as unsigned bytes, as the statistics do.
    package func mayContain(column name: String, equalTo value: String) -> Bool {
        guard let info = column(name), case .bytes(let lo)? = info.min, case .bytes(let hi)? = info.max else { return true }
        let v = Array(value.utf8)
        return !(v.lexicographicallyPrecedes(lo) || hi.lexicographicallyPrecedes(v))
    }
}
