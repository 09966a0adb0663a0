/// The rows of one column buffered for the current row group (dense values + validity).
struct ColumnBuffer {
    var values: ColumnValues
    /// `nil` while every buffered row is present.
    var validity: [Bool]?
    /// Estimated PLAIN size of the buffered values, to decide when the row group is full.
    var plainBytes = 0

    init(_ type: PhysicalType) {
        switch type {
        case .boolean: values = .boolean([])
        case .int32: values = .int32([])
        case .int64: values = .int64([])
        case .float: values = .float([])
        case .double: values = .double([])
        case .byteArray, .fixedLenByteArray, .int96: values = .byteArray(ByteArrayColumn())
        }
    }

    var count: Int { values.count }

    /// Appends rows `range` of `data` (whose type was checked against the schema).
    mutating func append(_ data: ColumnData, rows range: Range<Int>) {
        let before = count
        switch (values, data.values) {
        case (.boolean(var mine), .boolean(let theirs)):
            values = .int32([]); mine.append(contentsOf: theirs[range]); values = .boolean(mine); plainBytes += range.count / 8 + 1
        case (.int32(var mine), .int32(let theirs)):
            values = .int32([]); mine.append(contentsOf: theirs[range]); values = .int32(mine); plainBytes += range.count * 4
        case (.int64(var mine), .int64(let theirs)):
            values = .int32([]); mine.append(contentsOf: theirs[range]); values = .int64(mine); plainBytes += range.count * 8
        case (.float(var mine), .float(let theirs)):
            values = .int32([]); mine.append(contentsOf: theirs[range]); values = .float(mine); plainBytes += range.count * 4
        case (.double(var mine), .double(let theirs)):
            values = .int32([]); mine.append(contentsOf: theirs[range]); values = .double(mine); plainBytes += range.count * 8
        case (.byteArray(var mine), .byteArray(let theirs)):
            values = .int32([])
            let lo = theirs.offsets[range.lowerBound], hi = theirs.offsets[range.upperBound]
            let shift = mine.bytes.count - lo
            mine.bytes.append(contentsOf: theirs.bytes[lo..<hi])
            mine.offsets.reserveCapacity(mine.offsets.count + range.count)
            for i in range { mine.offsets.append(theirs.offsets[i + 1] + shift) }
            values = .byteArray(mine)
            plainBytes += hi - lo + 4 * range.count
        default:
            preconditionFailure("ColumnBuffer.append: type checked by ParquetWriter.write")
        }
        if let theirs = data.validity {
            if validity == nil { validity = [Bool](repeating: true, count: before) }
            validity!.append(contentsOf: theirs[range])
        } else if validity != nil {
            validity!.append(contentsOf: repeatElement(true, count: range.count))
        }
    }
}
