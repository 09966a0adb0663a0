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

    /// This column followed by `other` (same type).
    package func appending(_ other: ColumnData) -> ColumnData {
        let newValues: ColumnValues
        switch (values, other.values) {
        case (.boolean(let a), .boolean(let b)): newValues = .boolean(a + b)
        case (.int32(let a), .int32(let b)): newValues = .int32(a + b)
        case (.int64(let a), .int64(let b)): newValues = .int64(a + b)
        case (.double(let a), .double(let b)): newValues = .double(a + b)
        case (.float(let a), .float(let b)): newValues = .float(a + b)
        case (.byteArray(var a), .byteArray(let b)):
            for i in 0..<b.count { a.append(bytes: b.value(at: i)) }
            newValues = .byteArray(a)
        default: preconditionFailure("appending columns of different types")
        }
        let validity: [Bool]? = (self.validity == nil && other.validity == nil) ? nil
            : (self.validity ?? Array(repeating: true, count: count)) + (other.validity ?? Array(repeating: true, count: other.count))
        return ColumnData(newValues, validity: validity)
    }
}
