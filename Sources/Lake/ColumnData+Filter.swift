import Parquet

extension ColumnData {
    /// The rows where `keep[i]` is true, in order.
    package func filtered(_ keep: [Bool]) -> ColumnData {
        func pick<T>(_ values: [T]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(values.count)
            for i in values.indices where keep[i] { out.append(values[i]) }
            return out
        }
        let newValues: ColumnValues
        switch values {
        case .boolean(let v): newValues = .boolean(pick(v))
        case .int32(let v): newValues = .int32(pick(v))
        case .int64(let v): newValues = .int64(pick(v))
        case .double(let v): newValues = .double(pick(v))
        case .float(let v): newValues = .float(pick(v))
        case .byteArray(let v):
            var out = ByteArrayColumn()
            for i in 0..<v.count where keep[i] { out.append(bytes: v.value(at: i)) }
            newValues = .byteArray(out)
        }
        return ColumnData(newValues, validity: validity.map(pick))
    }
}
