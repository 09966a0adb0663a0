import HomeBaseCore
import SQLiteStore
import Parquet
import Lake

/// One column of the row group a cursor is on, copied into memory the cursor owns, so handing a
/// value to SQLite touches no reference counts. Integers are widened to Int64, floats to Double.
enum ColumnSlot {
    /// How an integer column reads in SQL: as is, or as ISO-8601 / date text.
    enum Render { case plain, micros, millis, nanos, days }

    case missing
    case integer(UnsafeMutableBufferPointer<Int64>, valid: UnsafeMutableBufferPointer<Bool>?, render: Render)
    case real(UnsafeMutableBufferPointer<Double>, valid: UnsafeMutableBufferPointer<Bool>?)
    case text(bytes: UnsafeMutableBufferPointer<UInt8>, offsets: UnsafeMutableBufferPointer<Int>, valid: UnsafeMutableBufferPointer<Bool>?)

    init(_ data: ColumnData, schema: ColumnSchema) {
        let valid = data.validity.map(ColumnSlot.copy)
        switch data.values {
        case .int64(let v): self = .integer(ColumnSlot.copy(v), valid: valid, render: ColumnSlot.render(schema))
        case .int32(let v): self = .integer(ColumnSlot.copy(v.map(Int64.init)), valid: valid, render: ColumnSlot.render(schema))
        case .boolean(let v): self = .integer(ColumnSlot.copy(v.map { $0 ? 1 : 0 }), valid: valid, render: .plain)
        case .double(let v): self = .real(ColumnSlot.copy(v), valid: valid)
        case .float(let v): self = .real(ColumnSlot.copy(v.map(Double.init)), valid: valid)
        case .byteArray(let stored):
            // DECIMAL reads as its exact text (SQLite has no decimal type; sum() and CAST work on it).
            var v = stored
            if case .decimal(_, let scale) = schema.logicalType { v = Decimal128.textColumn(stored, scale: scale) }
            self = .text(bytes: ColumnSlot.copy(v.bytes), offsets: ColumnSlot.copy(v.offsets), valid: valid)
        }
    }

    static func render(_ schema: ColumnSchema) -> Render {
        switch schema.logicalType {
        case .timestampMicrosUTC: .micros
        case .timestampMillisUTC: .millis
        case .timestampNanosUTC: .nanos
        case .date: .days
        default: .plain
        }
    }

    private static func copy<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, array.count))
        _ = buffer.initialize(from: array)
        return buffer
    }

    func deallocate() {
        switch self {
        case .missing: break
        case .integer(let v, let valid, _): v.deallocate(); valid?.deallocate()
        case .real(let v, let valid): v.deallocate(); valid?.deallocate()
        case .text(let bytes, let offsets, let valid): bytes.deallocate(); offsets.deallocate(); valid?.deallocate()
        }
    }

    /// Hands row `row` to SQLite; `scratch` (27 bytes) holds formatted timestamps.
    func emit(_ row: Int, _ result: SQLiteResult, _ scratch: UnsafeMutableBufferPointer<UInt8>) {
        switch self {
        case .missing: result.null()
        case .integer(let values, let valid, let render):
            if let valid, !valid[row] { return result.null() }
            let v = values[row]
            switch render {
            case .plain: result.int(v)
            case .days:
                // A day outside 0001-9999 (a part written elsewhere or by an older build) has no
                // YYYY-MM-DD: it is shown as the stored number rather than wrapped or trapped on.
                guard v >= CallRange.minMicros / 86_400_000_000 && v <= CallRange.maxMicros / 86_400_000_000 else { return result.int(v) }
                result.text(UTCDate.dateString(days: v))
            case .micros, .millis, .nanos:
                let micros: Int64?
                switch render {
                case .micros: micros = v
                case .millis: let (m, overflow) = v.multipliedReportingOverflow(by: 1000); micros = overflow ? nil : m
                default: micros = v / 1000 - (v % 1000 < 0 ? 1 : 0)  // floor division without v - 999
                }
                guard let micros, micros >= CallRange.minMicros && micros <= CallRange.maxMicros else { return result.int(v) }
                ISOStamp.format(micros: micros, into: scratch)
                result.text(UnsafeRawBufferPointer(scratch))
            }
        case .real(let values, let valid):
            if let valid, !valid[row] { return result.null() }
            result.double(values[row])
        case .text(let bytes, let offsets, let valid):
            if let valid, !valid[row] { return result.null() }
            let start = offsets[row]
            result.text(UnsafeRawBufferPointer(start: bytes.baseAddress.map { $0 + start }, count: offsets[row + 1] - start))
        }
    }
}
