import Parquet

/// Accumulates one column's values row by row (nulls included) for the Parquet writer.
package struct ColumnBuilder {
    package let schema: ColumnSchema
    private var int64s: [Int64] = []
    private var int32s: [Int32] = []
    private var doubles: [Double] = []
    private var bools: [Bool] = []
    private var strings = ByteArrayColumn()
    private var validity: [Bool] = []
    private var nullCount = 0
    package private(set) var count = 0

    package init(_ schema: ColumnSchema) { self.schema = schema }

    /// The memory the buffered values hold (array capacities, not counts: an array that just
    /// doubled holds twice what it has), for deciding when to flush.
    package var approximateBytes: Int {
        int64s.capacity * 8 + int32s.capacity * 4 + doubles.capacity * 8 + bools.capacity + validity.capacity
            + strings.bytes.capacity + strings.offsets.capacity * 8
    }

    private mutating func mark(_ present: Bool) {
        if !present {
            if validity.isEmpty && count > 0 { validity = Array(repeating: true, count: count) }
            nullCount += 1
        }
        if !validity.isEmpty || !present { validity.append(present) }
        count += 1
    }

    package mutating func append(_ value: Int64?) {
        int64s.append(value ?? 0)
        mark(value != nil)
    }
    package mutating func append(_ value: Int32?) {
        int32s.append(value ?? 0)
        mark(value != nil)
    }
    package mutating func append(_ value: Double?) {
        doubles.append(value ?? 0)
        mark(value != nil)
    }
    package mutating func append(_ value: Bool?) {
        bools.append(value ?? false)
        mark(value != nil)
    }
    package mutating func append(_ value: String?) {
        if let value { strings.append(value) } else { strings.appendEmpty() }
        mark(value != nil)
    }

    /// A DECIMAL value by its unscaled integer (see `Decimal128`).
    package mutating func append(decimal unscaled: Int128?) {
        if let unscaled { strings.append(bytes: Decimal128.bytes(unscaled, width: schema.fixedLength)) } else { strings.appendEmpty() }
        mark(unscaled != nil)
    }

    /// The accumulated column; the builder is emptied.
    package mutating func take() -> ColumnData {
        let values: ColumnValues
        switch schema.physicalType {
        case .int64: values = .int64(int64s)
        case .int32: values = .int32(int32s)
        case .double: values = .double(doubles)
        case .boolean: values = .boolean(bools)
        default: values = .byteArray(strings)
        }
        let data = ColumnData(values, validity: nullCount > 0 ? validity : nil)
        self = ColumnBuilder(schema)
        return data
    }
}
