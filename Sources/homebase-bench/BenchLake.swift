import Foundation
import HomeBaseCore
import SQLiteStore
import Parquet
import Lake

/// A synthetic `requests` lake for `make bench`: `rows` calls spread evenly over `days` UTC days
/// (one part per day), written straight with our Parquet writer and committed as one snapshot.
enum BenchLake {
    static func write(dataDir: String, rows: Int, days: Int) throws -> Int {
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let catalog = try Catalog(dataDir: dataDir)
        let firstDay = UTCDate.parseDate("2026-01-01") ?? 0
        let source = RequestsBenchmark.schema.columns.map(\.name)
        var staged: (LakeWriter, Int64)?
        let rows = try catalog.database.transaction {
            let run = try catalog.beginRun(command: "bench-lake", startedMicros: 0)
            let snapshot = try catalog.newSnapshot(runID: run, committedMicros: 0, note: "bench lake")
            let writer = LakeWriter(dataDir: dataDir, snapshot: snapshot)
            staged = (writer, snapshot)
            var written = 0
            for day in 0..<days {
                let count = rows / days + (day < rows % days ? 1 : 0)
                guard count > 0 else { continue }
                let batch = RequestsBenchmark.batch(start: written, count: count)
                let start = (firstDay + Int64(day)) * 86_400_000_000
                let spacing = 86_400_000_000 / Int64(count)
                let columns = LakeTable.requests.schema.columns.map { column -> ColumnData in
                    if column.name == "ts" { return ColumnData(.int64((0..<Int64(count)).map { start + $0 * spacing })) }
                    if let index = source.firstIndex(of: column.name) { return batch[index] }
                    switch column.name {  // columns the benchmark table lacks
                    case "cost_source": return ColumnData(.byteArray(ByteArrayColumn(Array(repeating: "logged", count: count))))
                    default:
                        return ColumnData(
                            .byteArray(ByteArrayColumn(Array(repeating: "", count: count))), validity: Array(repeating: false, count: count))
                    }
                }
                try writer.writePart(.requests, date: UTCDate.dateString(days: firstDay + Int64(day)), columns: columns)
                written += count
            }
            for part in writer.written { try catalog.addPart(part, snapshot: snapshot) }
            try catalog.finishRun(run, status: "ok", finishedMicros: 0, summary: "{}")
            try writer.makeDurable()
            return written
        }
        if let (writer, snapshot) = staged {
            if let failure = try LakeCommit.afterCommit(writer: writer, catalog: catalog, snapshot: snapshot, committedMicros: 0) {
                throw AtomicFile.Failure(path: dataDir, message: failure)
            }
        }
        return rows
    }
}
