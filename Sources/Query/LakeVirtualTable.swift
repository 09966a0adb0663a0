import SQLiteStore
import Parquet
import Lake

/// One lake table seen through SQLite: the live parts of one snapshot as an eponymous, read-only
/// virtual table. The Hive partition key `date` ('YYYY-MM-DD' text) is the last column, as DuckDB's
/// `hive_partitioning` shows it; timestamps are ISO-8601 UTC text (`2026-02-09T10:00:00.000000Z`).
final class LakeVirtualTable: SQLiteVirtualTable {
    let table: LakeTable
    let dataDir: String
    let parts: [PartRecord]
    /// What scans of this table read so far (for `--stats`, tests and the bench).
    var stats = LakeScanStats()
    /// The first lake read failure (a missing or corrupt part), to tell it apart from bad SQL.
    var readFailure: (any Error)?

    /// `parts`: the live parts of one snapshot, as `LakeScan` lists them.
    init(table: LakeTable, dataDir: String, parts: [PartRecord]) {
        self.table = table
        self.dataDir = dataDir
        self.parts = parts.sorted { $0.date != $1.date ? $0.date < $1.date : $0.id < $1.id }  // date order: see `orderByConsumed`
    }

    var dateColumn: Int { table.schema.columns.count }

    /// The columns as SQL sees them: the schema's, then `date`.
    var columnNames: [String] { table.schema.columns.map(\.name) + ["date"] }

    var declaration: String {
        let columns = table.schema.columns.map { "\"\($0.name)\" \(LakeVirtualTable.sqlType($0))" } + ["\"date\" TEXT"]
        return "CREATE TABLE x(" + columns.joined(separator: ", ") + ")"
    }

    static func sqlType(_ column: ColumnSchema) -> String {
        switch column.logicalType {
        case .string, .date, .timestampMicrosUTC, .timestampMillisUTC, .timestampNanosUTC: return "TEXT"
        default: break
        }
        switch column.physicalType {
        case .boolean, .int32, .int64: return "INTEGER"
        case .float, .double: return "REAL"
        case .byteArray, .fixedLenByteArray, .int96: return "TEXT"
        }
    }

    /// The `ts` column when the table's `date` partition is the UTC day of `ts` (then a bound on
    /// `ts` prunes parts too), else nil.
    var tsColumn: Int? {
        guard table.name == LakeTable.requests.name || table.name == LakeTable.gatewayEvents.name else { return nil }
        return table.schema.index(of: "ts")
    }

    /// True when `tsColumn` holds microseconds (what `TsBound` reasons about).
    var tsColumnIsMicros: Bool {
        guard let ts = tsColumn else { return false }
        return table.schema.columns[ts].logicalType == .timestampMicrosUTC
    }

    /// Uses every usable comparison on `date` and `ts` (IN arrives as repeated `=`) and asks for the columns read.
    func bestIndex(_ request: SQLiteIndexRequest) -> SQLiteIndexPlan {
        var plan = SQLiteIndexPlan()
        var ops = ""
        var fraction = 1.0
        let ts = tsColumn
        for (index, constraint) in request.constraints.enumerated() where constraint.usable {
            let code: Character?
            if constraint.column == dateColumn {
                code = DatePrune.code(for: constraint.op)
            } else if let ts, constraint.column == ts {
                code = DatePrune.tsCode(for: constraint.op)
            } else {
                continue
            }
            guard let code else { continue }
            plan.argumentConstraints.append(index)
            ops.append(code)
            fraction *= constraint.op == .equal ? 1.0 / Double(max(1, Set(parts.map(\.date)).count)) : 0.5
        }
        plan.planString = String(request.columnsUsed, radix: 16) + "|" + ops
        // Parts are listed by date and each holds one date, so rows come in ascending date order;
        // not claimed with `=` on date, which SQLite may feed IN values through in any order.
        plan.orderByConsumed =
            request.orderBy.count == 1 && request.orderBy[0].column == dateColumn
            && !request.orderBy[0].descending && !ops.contains("e")
        let rows = Double(max(1, parts.reduce(0) { $0 + $1.rowCount }))
        plan.estimatedRows = Int64(max(1, rows * fraction))
        plan.estimatedCost = 10 + rows * fraction
        return plan
    }

    func openCursor() -> any SQLiteVirtualCursor { LakeCursor(self) }
}
