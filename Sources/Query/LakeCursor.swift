import SQLiteStore
import Parquet
import Lake

/// One scan of a lake virtual table: reads the kept parts one row group at a time, and only the
/// columns the statement uses, so memory stays bounded by one row group's requested columns.
final class LakeCursor: SQLiteVirtualCursor {
    private let table: LakeVirtualTable
    private var parts: [PartRecord] = []
    private var partIndex = -1
    private var reader: ParquetReader?
    private var rowGroup = 0
    private var wanted: [Int] = []
    private var slots: [ColumnSlot] = []
    private var batchRows = 0
    private var row = 0
    private var dateBytes: [UInt8] = []
    /// Bounds on `ts` that row-group statistics are checked against.
    private var tsBounds: [TsBound] = []
    private let stamp = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 27)
    private(set) var rowID: Int64 = 0
    private(set) var isAtEnd = true

    init(_ table: LakeVirtualTable) { self.table = table }

    deinit {
        releaseSlots()
        stamp.deallocate()
    }

    private func releaseSlots() {
        for slot in slots { slot.deallocate() }
        slots = []
    }

    func filter(plan: String, arguments: [SQLiteValue]) throws {
        let halves = plan.split(separator: "|", omittingEmptySubsequences: false)
        let mask = halves.first.flatMap { UInt64($0, radix: 16) } ?? UInt64.max
        let ops = halves.count > 1 ? Array(halves[1]) : []
        let schema = table.table.schema.columns
        wanted = schema.indices.filter { mask & (1 << UInt64(min($0, 63))) != 0 }
        parts = table.parts.filter { DatePrune.keeps($0.date, ops: ops, values: arguments) }
        tsBounds = table.tsColumnIsMicros ? TsBound.from(ops: ops, values: arguments) : []
        partIndex = -1
        reader = nil
        batchRows = 0
        row = 0
        rowID = 0
        isAtEnd = false
        table.stats.scans += 1
        table.stats.columnsRead.formUnion(wanted.map { schema[$0].name })
        try loadNextBatch()
    }

    func next() throws {
        row += 1
        rowID += 1
        if row >= batchRows { try loadNextBatch() }
    }

    /// Column `column` of the table as the part stores it (an older part may keep money as text).
    private func partColumn(_ reader: ParquetReader, _ column: Int) -> ColumnSchema {
        let current = table.table.schema.columns[column]
        return reader.schema.index(of: current.name).map { reader.schema.columns[$0] } ?? current
    }

    /// Moves to the next non-empty row group, opening the next part when one is used up.
    private func loadNextBatch() throws {
        do {
            while true {
                if let reader, rowGroup < reader.rowGroups.count {
                    let group = rowGroup
                    rowGroup += 1
                    let rows = reader.rowGroups[group].numRows
                    guard rows > 0 else { continue }
                    if !tsBounds.isEmpty && !TsBound.keeps(reader.rowGroups[group], tsColumn: "ts", bounds: tsBounds) {
                        table.stats.rowGroupsSkipped += 1
                        continue
                    }
                    let present = wanted.filter { reader.schema.index(of: table.table.schema.columns[$0].name) != nil }
                    let data = present.isEmpty ? [] : try reader.read(rowGroup: group, columns: present.map { table.table.schema.columns[$0].name })
                    releaseSlots()
                    slots = Array(repeating: .missing, count: table.table.schema.columns.count)
                    for (k, column) in present.enumerated() { slots[column] = ColumnSlot(data[k], schema: partColumn(reader, column)) }
                    batchRows = rows
                    row = 0
                    table.stats.rowGroupsRead += 1
                    table.stats.rowsRead += rows
                    return
                }
                partIndex += 1
                guard partIndex < parts.count else {
                    isAtEnd = true
                    reader = nil
                    releaseSlots()
                    return
                }
                let part = parts[partIndex]
                reader = try ParquetReader(path: part.location(dataDir: table.dataDir))
                rowGroup = 0
                dateBytes = Array(part.date.utf8)
                table.stats.partsRead += 1
            }
        } catch {
            if table.readFailure == nil { table.readFailure = error }
            throw error
        }
    }

    func column(_ index: Int, _ result: SQLiteResult) {
        if index == table.dateColumn {
            dateBytes.withUnsafeBytes { result.text($0) }
        } else if index < slots.count {
            slots[index].emit(row, result, stamp)
        } else {
            result.null()
        }
    }
}
