import HomeBaseCore
import Parquet

/// The per-file statistics of an `add` action (Delta protocol "Per-file Statistics"), taken
/// from the Parquet footer without reading any data page: row count, and per leaf column the
/// null count and the min/max over all row groups.
///
/// Bounds are only ever widened, never narrowed, so a reader that skips files by them never
/// skips a matching row: timestamps are written to the millisecond as Spark does, with the
/// minimum rounded down and the maximum rounded up; strings keep a 32-character prefix as
/// the minimum and drop the maximum when it is longer (a prefix is no upper bound); booleans,
/// binary and NaN/∞ carry no bounds; a column whose row groups lack statistics gets none.
package struct DeltaFileStats: Sendable, Equatable {
    package var numRecords: Int64
    /// Column name → JSON literal.
    package var minValues: [(String, String)]
    package var maxValues: [(String, String)]
    package var nullCount: [(String, Int64)]

    /// Characters of a string kept in its bound (Spark's `delta.dataSkippingStringPrefixLength`).
    package static let stringPrefixLength = 32

    package static func == (a: DeltaFileStats, b: DeltaFileStats) -> Bool {
        a.numRecords == b.numRecords && a.minValues.elementsEqual(b.minValues, by: ==)
            && a.maxValues.elementsEqual(b.maxValues, by: ==) && a.nullCount.elementsEqual(b.nullCount, by: ==)
    }

    /// Reads the footer of the Parquet file at `path`.
    package init(parquetAt path: String) throws {
        let reader: ParquetReader
        do { reader = try ParquetReader(path: path) } catch {
            throw DeltaLogError(
                .invalidDataFile, path: path, "cannot read the Parquet footer: \(error)",
                fix: "check the part file is complete; a part the catalog lists must be readable")
        }
        self.init(reader)
    }

    init(_ reader: ParquetReader) {
        numRecords = Int64(reader.rowCount)
        minValues = []
        maxValues = []
        nullCount = []
        for (index, column) in reader.schema.columns.enumerated() {
            let chunks = reader.rowGroups.map { $0.columns[index] }
            let nulls = chunks.map(\.nullCount)
            if !nulls.contains(where: { $0 == nil }) {
                nullCount.append((column.name, Int64(nulls.reduce(0) { $0 + ($1 ?? 0) })))
            }
            guard let (low, high) = DeltaFileStats.bounds(chunks, rowGroups: reader.rowGroups) else { continue }
            if let json = DeltaFileStats.literal(low, column, roundUp: false) { minValues.append((column.name, json)) }
            if let json = DeltaFileStats.literal(high, column, roundUp: true) { maxValues.append((column.name, json)) }
        }
    }

    /// The JSON string Delta stores in `add.stats`.
    package var json: String {
        func object(_ members: [(String, String)]) -> String {
            "{" + members.map { JSONQuote.quote($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
        }
        var json = DeltaJSON()
        json.int("numRecords", numRecords)
        json.raw("minValues", object(minValues))
        json.raw("maxValues", object(maxValues))
        json.raw("nullCount", object(nullCount.map { ($0.0, String($0.1)) }))
        return json.finished
    }

    /// Min and max over the row groups that hold a value; nil when a row group with values has
    /// no bounds (then nothing is known) or when the column is all null.
    private static func bounds(_ chunks: [ColumnChunkInfo], rowGroups: [RowGroupInfo]) -> (StatValue, StatValue)? {
        var low: StatValue?, high: StatValue?
        for (chunk, group) in zip(chunks, rowGroups) {
            if let nulls = chunk.nullCount, nulls == group.numRows { continue }  // all null: no bounds needed
            guard let lo = chunk.min, let hi = chunk.max else { return nil }
            if low.map({ less(lo, $0) }) ?? true { low = lo }
            if high.map({ less($0, hi) }) ?? true { high = hi }
        }
        guard let low, let high else { return nil }
        return (low, high)
    }

    private static func less(_ a: StatValue, _ b: StatValue) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): x < y
        case (.double(let x), .double(let y)): x < y
        case (.bytes(let x), .bytes(let y)): x.lexicographicallyPrecedes(y)
        case (.bool(let x), .bool(let y)): !x && y
        default: false
        }
    }

    /// The JSON literal of one bound, or nil when Delta readers should not see one.
    private static func literal(_ value: StatValue, _ column: ColumnSchema, roundUp: Bool) -> String? {
        switch (value, column.logicalType) {
        case (.int(let micros), .timestampMicrosUTC):
            // Outside years 0001–9999 (a stored value ingest would refuse) there is no text form: no bound.
            guard boundedMicros.contains(micros) else { return nil }
            return JSONQuote.quote(millisecondText(micros: micros, roundUp: roundUp))
        case (.int(let millis), .timestampMillisUTC):
            guard boundedMicros.contains(millis.multipliedReportingOverflow(by: 1000).overflow ? .max : millis * 1000) else { return nil }
            return JSONQuote.quote(millisecondText(micros: millis * 1000, roundUp: false))
        case (.int(let days), .date):
            return JSONQuote.quote(UTCDate.dateString(days: days))
        case (.int(let number), _):
            return String(number)
        case (.double(let number), _):
            return DeltaJSON.number(number)
        case (.bytes(let bytes), .string):
            let text = String(decoding: bytes, as: UTF8.self)
            guard text.unicodeScalars.count > stringPrefixLength else { return JSONQuote.quote(text) }
            if roundUp { return nil }
            var prefix = String.UnicodeScalarView()
            prefix.append(contentsOf: text.unicodeScalars.prefix(stringPrefixLength))
            return JSONQuote.quote(String(prefix))
        default:
            return nil
        }
    }

    /// 0001-01-01T00:00:00Z ... 9999-12-31T23:59:59.998999Z: timestamps with a millisecond text form
    /// (rounding up stays within the year 9999).
    static let boundedMicros: ClosedRange<Int64> = -62_135_596_800_000_000...253_402_300_799_998_999

    /// `2026-11-03T10:15:00.123Z`: Spark's stats timestamp format, UTC, millisecond precision.
    static func millisecondText(micros: Int64, roundUp: Bool) -> String {
        var millis = micros >= 0 ? micros / 1000 : (micros - 999) / 1000
        if roundUp && millis * 1000 < micros { millis += 1 }
        let iso = UTCDate.isoString(micros: millis * 1000)  // …SS.ffffffZ with ffffff = mmm000
        return String(iso.dropLast(4)) + "Z"
    }
}
