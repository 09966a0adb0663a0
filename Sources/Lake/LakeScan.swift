import Foundation
import Parquet

/// Reads a lake table from one committed snapshot: the live parts, optionally only the UTC
/// `date` partitions in `from...to`, and only the columns asked for. Every reader of the lake
/// (analysis, queries, backups) goes through here so that all see the same snapshot.
package struct LakeScan: Sendable {
    package let dataDir: String
    package let table: LakeTable
    /// The snapshot read (nil for an empty lake).
    package let snapshot: Int64?
    package let parts: [PartRecord]

    /// Lists the parts of `table` live in `asOf` (default: the newest snapshot), dates within `from...to`.
    /// A data directory with no catalog yet is an empty lake, not an error.
    package init(dataDir: String, table: LakeTable, asOf: Int64? = nil, from: String? = nil, to: String? = nil) throws {
        guard FileManager.default.fileExists(atPath: dataDir + "/catalog.sqlite") else {
            self.init(dataDir: dataDir, table: table, snapshot: nil, parts: [])
            return
        }
        try self.init(catalog: try Catalog(dataDir: dataDir, readOnly: true), dataDir: dataDir, table: table, asOf: asOf, from: from, to: to)
    }

    /// The same from a catalog already open (a reader of several tables opens it once).
    package init(catalog: Catalog, dataDir: String, table: LakeTable, asOf: Int64? = nil, from: String? = nil, to: String? = nil) throws {
        let snapshot = try asOf ?? catalog.latestSnapshot()
        let parts = snapshot == nil ? [] : try catalog.liveParts(table: table.name, asOf: snapshot, from: from, to: to)
        self.init(dataDir: dataDir, table: table, snapshot: snapshot, parts: parts)
    }

    private init(dataDir: String, table: LakeTable, snapshot: Int64?, parts: [PartRecord]) {
        self.dataDir = dataDir
        self.table = table
        self.snapshot = snapshot
        self.parts = parts
    }

    /// The absolute path of a part.
    package func path(of part: PartRecord) -> String { part.location(dataDir: dataDir) }

    /// Calls `body` once per part with the requested columns (in the order asked) of that part.
    /// A column the part was written without (an older schema) comes as all null; DECIMAL columns
    /// come as their exact text, as parts written before kept them.
    package func forEachPart(columns: [String], _ body: (PartRecord, [ColumnData]) throws -> Void) throws {
        for part in parts {
            let reader = try ParquetReader(path: path(of: part))
            let present = columns.filter { reader.schema.index(of: $0) != nil }
            var read = try reader.readAll(columns: present)[...]
            let rows = reader.rowCount
            var data: [ColumnData] = []
            for name in columns {
                guard let index = reader.schema.index(of: name) else {
                    let type = table.schema.columns.first { $0.name == name }?.physicalType ?? .byteArray
                    data.append(ColumnData(ColumnData.placeholders(type, count: Int(rows)), validity: Array(repeating: false, count: Int(rows))))
                    continue
                }
                var column = read.removeFirst()
                if case .decimal(_, let scale) = reader.schema.columns[index].logicalType, case .byteArray(let stored) = column.values {
                    column.values = .byteArray(Decimal128.textColumn(stored, scale: scale))
                }
                data.append(column)
            }
            try body(part, data)
        }
    }

    /// The requested columns of every live part, concatenated, plus each row's partition date.
    package func readAll(columns: [String]) throws -> (dates: [String], columns: [ColumnData]) {
        var dates: [String] = []
        var merged: [ColumnData]?
        try forEachPart(columns: columns) { part, data in
            dates.append(contentsOf: repeatElement(part.date, count: data.first?.count ?? 0))
            if merged == nil { merged = data } else { for i in data.indices { merged![i].append(data[i]) } }
        }
        let empty = columns.map { name in ColumnData(.empty(table.schema.columns.first { $0.name == name }?.physicalType ?? .int64)) }
        return (dates, merged ?? empty)
    }
}
