extension ColumnData {
    /// Appends the rows of `other` (same value type), keeping the validity mask consistent.
    package mutating func append(_ other: ColumnData) {
        let before = count
        switch (values, other.values) {
        case (.boolean(var a), .boolean(let b)): values = .int32([]); a += b; values = .boolean(a)
        case (.int32(var a), .int32(let b)): values = .int32([]); a += b; values = .int32(a)
        case (.int64(var a), .int64(let b)): values = .int32([]); a += b; values = .int64(a)
        case (.float(var a), .float(let b)): values = .int32([]); a += b; values = .float(a)
        case (.double(var a), .double(let b)): values = .int32([]); a += b; values = .double(a)
        case (.byteArray(var a), .byteArray(let b)):
            values = .int32([])
            let shift = a.bytes.count
            a.bytes += b.bytes
            a.offsets += b.offsets.dropFirst().map { $0 + shift }
            values = .byteArray(a)
        default:
            preconditionFailure("ColumnData.append: value types differ")
        }
        if let theirs = other.validity {
            if validity == nil { validity = [Bool](repeating: true, count: before) }
            validity! += theirs
        } else if validity != nil {
            validity! += repeatElement(true, count: other.count)
        }
    }
}
