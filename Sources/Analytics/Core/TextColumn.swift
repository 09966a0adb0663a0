import Parquet
import Lake

/// A byte-array column of one row group: dictionary codes, dense values, or absent (all null).
/// A null reads as the empty value, as the dense reader's placeholder does.
struct TextColumn {
    private let values: ByteArrayColumn
    private let codes: [UInt32]?
    private let validity: [Bool]?
    private let missing: Bool
    private let rows: Int
    private static let empty: ArraySlice<UInt8> = []

    /// Nil when the column is not a byte-array column.
    init?(_ column: EncodedColumn?, rows: Int) {
        self.rows = rows
        switch column {
        case nil:
            (values, codes, validity, missing) = (ByteArrayColumn(), nil, nil, true)
        case .dictionary(let dictionary, let indices, let valid)?:
            guard indices.count == rows else { return nil }
            (values, codes, validity, missing) = (dictionary, indices, valid, false)
        case .dense(let data)?:
            guard case .byteArray(let dense) = data.values, dense.count == rows else { return nil }
            (values, codes, validity, missing) = (dense, nil, data.validity, false)
        }
    }

    /// The number of distinct codes (dictionary-encoded chunks), else 0.
    var dictionarySize: Int { codes == nil ? 0 : values.count }

    func isNull(_ i: Int) -> Bool { missing || validity.map { !$0[i] } ?? false }

    /// Row `i`'s dictionary code; nil for a null or a column that is not dictionary-encoded.
    func code(_ i: Int) -> Int? {
        guard let codes, !isNull(i) else { return nil }
        return Int(codes[i])
    }

    func value(_ i: Int) -> ArraySlice<UInt8> {
        if isNull(i) { return Self.empty }
        if let codes { return values.value(at: Int(codes[i])) }
        return values.value(at: i)
    }

    /// Interned ids of every row, a dictionary's values once each. A null row gets `nullID`, or
    /// with nil the id of the empty string (what a column without nulls reads for one).
    func ids(_ interner: inout Interner, nullID: Int32?) -> [Int32] {
        var result: [Int32]
        if missing {
            return Array(repeating: nullID ?? interner.intern(""), count: rows)
        }
        if let codes {
            let map = interner.ids(values)
            result = codes.map { map[Int($0)] }
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
    /// Ids of a text column's rows (see `TextColumn.ids`).
    mutating func ids(_ column: TextColumn, nullID: Int32? = nil) -> [Int32] { column.ids(&self, nullID: nullID) }
}
