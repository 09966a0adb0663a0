import Parquet

/// One column of one row group as the aggregate fast path reads it: integers widened to Int64,
/// floats to Double (NaN is NULL, as SQLite stores it), text dense or as dictionary indices.
enum ColumnVector {
    /// The part has no such column: every row is NULL.
    case missing
    case ints([Int64], valid: [Bool]?)
    case reals([Double], valid: [Bool]?)
    case texts(ByteArrayColumn, valid: [Bool]?)
    case dictionary(ByteArrayColumn, indices: [UInt32], valid: [Bool]?)

    init(_ encoded: EncodedColumn) {
        switch encoded {
        case .dictionary(let values, let indices, let valid): self = .dictionary(values, indices: indices, valid: valid)
        case .dense(let data):
            switch data.values {
            case .int64(let v): self = .ints(v, valid: data.validity)
            case .int32(let v): self = .ints(v.map(Int64.init), valid: data.validity)
            case .boolean(let v): self = .ints(v.map { $0 ? 1 : 0 }, valid: data.validity)
            case .double(let v): self = .reals(v, valid: ColumnVector.nanAsNull(v, data.validity))
            case .float(let f):
                let v = f.map(Double.init)
                self = .reals(v, valid: ColumnVector.nanAsNull(v, data.validity))
            case .byteArray(let v): self = .texts(v, valid: data.validity)
            }
        }
    }

    private static func nanAsNull(_ values: [Double], _ validity: [Bool]?) -> [Bool]? {
        guard values.contains(where: \.isNaN) else { return validity }
        var valid = validity ?? [Bool](repeating: true, count: values.count)
        for (i, v) in values.enumerated() where v.isNaN { valid[i] = false }
        return valid
    }
}

/// SQLite's BINARY collation: memcmp over the shorter length, then the shorter first.
@inline(__always) func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let n = min(a.count, b.count)
    if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
        let c = memcmp(pa, pb, n)
        if c != 0 { return c < 0 ? -1 : 1 }
    }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
