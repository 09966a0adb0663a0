import Parquet

/// A string column of a row group, dense or as dictionary codes, read row by row without
/// copying: what `CallTable` interns and hashes.
struct StringColumn {
    private let values: ByteArrayColumn
    private let indices: [UInt32]?
    private let validity: [Bool]?

    /// Nil when the column does not hold strings, or a dictionary code is out of range.
    init?(_ column: EncodedColumn) {
        switch column {
        case .dense(let data):
            guard case .byteArray(let values) = data.values else { return nil }
            (self.values, indices, validity) = (values, nil, data.validity)
        case .dictionary(let dictionary, let indices, let validity):
            guard indices.allSatisfy({ Int($0) < dictionary.count }) else { return nil }
            (values, self.indices, self.validity) = (dictionary, indices, validity)
        }
    }

    var count: Int { indices?.count ?? values.count }

    func isNull(_ row: Int) -> Bool { validity.map { !$0[row] } ?? false }

    /// The bytes of a row (those of its dictionary value); empty for a null row.
    func value(at row: Int) -> ArraySlice<UInt8> {
        if isNull(row) { return [] }
        return values.value(at: indices.map { Int($0[row]) } ?? row)
    }

    /// Interned ids of every row, a dictionary's values once each. A null row gets `nullID`, or
    /// with nil the id of the empty string (a column that should have no nulls).
    func ids(_ interner: inout Interner, nullID: Int32?) -> [Int32] {
        var result: [Int32]
        if let indices {
            let map = interner.ids(values)
            result = indices.map { map[Int($0)] }
        } else {
            result = interner.ids(values)
        }
        if let validity, validity.contains(false) {
            let null = nullID ?? interner.intern("")
            for row in 0..<result.count where !validity[row] { result[row] = null }
        }
        return result
    }
}

extension Interner {
    /// Ids of a string column's rows (see `StringColumn.ids`).
    mutating func ids(_ column: StringColumn, nullID: Int32? = nil) -> [Int32] { column.ids(&self, nullID: nullID) }
}
