import Foundation
import HomeBaseCore
import Parquet
@testable import DeltaLog

/// One row of the small test table, kept in Swift so every expectation is computed from the
/// rows themselves, independently of the Delta log and of the Parquet files.
struct TestRow {
    var ts: Int64
    var agent: String
    var tokens: Int64
    var cost: Double?
    var ok: Bool
    var tools: Int32
}

/// A part file of the test table: where it lives under the table root and the rows it holds.
struct TestPart {
    var date: String
    var name: String
    var rows: [TestRow]
    var path: String { "date=\(date)/\(name)" }
}

enum DeltaTestTable {
    static let schema = ParquetSchema([
        .timestamp("ts"), .string("agent"), .int64("tokens"), .double("cost", nullable: true),
        .boolean("ok"), .int32("tools")
    ])

    /// `count` rows on `date`, numbered from `first`: sub-millisecond timestamps, a null cost
    /// every third row, and (for `first == 100`) one agent name longer than 32 characters.
    static func rows(date: String, first: Int, count: Int) -> [TestRow] {
        let day = (UTCDate.parseDate(date) ?? 0) * 86_400_000_000
        return (0..<count).map { k in
            let n = first + k
            let agent = n == 100 ? "agent-with-a-name-longer-than-thirty-two-characters" : "agent-\(n % 3)"
            return TestRow(
                ts: day + Int64(k) * 3_600_000_123 + 456, agent: agent, tokens: Int64(n * 7 + 1),
                cost: n % 3 == 0 ? nil : Double(n) * 0.25, ok: n % 2 == 0, tools: Int32(n % 4))
        }
    }

    /// Writes `part` under `root` with two row groups when it has more than 4 rows, so the
    /// statistics are merged across row groups.
    static func write(_ part: TestPart, root: String) throws {
        let directory = root + "/date=\(part.date)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var options = WriterOptions()
        options.fsyncOnClose = false
        let writer = try ParquetWriter(path: root + "/" + part.path, schema: schema, options: options)
        let split = part.rows.count > 4 ? 4 : part.rows.count
        for batch in [Array(part.rows[..<split]), Array(part.rows[split...])] where !batch.isEmpty {
            try writer.write(columns(batch))
            try writer.endRowGroup()
        }
        try writer.close()
    }

    static func columns(_ rows: [TestRow]) -> [ColumnData] {
        [
            ColumnData(.int64(rows.map(\.ts))),
            ColumnData(.byteArray(ByteArrayColumn(rows.map(\.agent)))),
            ColumnData(.int64(rows.map(\.tokens))),
            ColumnData(.double(rows.map { $0.cost ?? 0 }), validity: rows.map { $0.cost != nil }),
            ColumnData(.boolean(rows.map(\.ok))),
            ColumnData(.int32(rows.map(\.tools)))
        ]
    }

    static func added(_ part: TestPart, root: String, dataChange: Bool = true) throws -> DeltaDataFile {
        try DeltaDataFile.describe(
            path: part.path, partitionValues: ["date": part.date], readingFrom: root + "/" + part.path,
            dataChange: dataChange)
    }

    static func removed(_ part: TestPart, root: String, dataChange: Bool = true) throws -> DeltaRemovedFile {
        let size = try FileManager.default.attributesOfItem(atPath: root + "/" + part.path)[.size] as? Int
        return DeltaRemovedFile(path: part.path, partitionValues: ["date": part.date], size: size.map(Int64.init), dataChange: dataChange)
    }

    static func metadata(createdTime: Int64) -> DeltaMetadata {
        DeltaMetadata(tableID: DeltaMetadata.tableID(seed: "test-lake/requests"), name: "requests", schema: schema, createdTime: createdTime)
    }
}
