import Foundation
import HomeBaseCore
import Parquet

/// Buffers rows per table and date partition and writes them as new part files (temporary name,
/// rename). The parts become visible only when the caller commits them in the catalog, after
/// `makeDurable()`: one `sync()` for the whole run instead of two fsyncs per part.
package final class LakeWriter {
    package let dataDir: String
    package let snapshot: Int64
    package private(set) var written: [PartRecord] = []
    private var buffers: [String: [String: PartitionBuffer]] = [:]  // table → date → columns
    private var bufferedBytes = 0
    private var partCounter = 0
    private let flushBytes: Int
    private let options: WriterOptions

    package init(dataDir: String, snapshot: Int64, flushBytes: Int = 96 << 20, options: WriterOptions = WriterOptions()) {
        self.dataDir = dataDir
        self.snapshot = snapshot
        self.flushBytes = flushBytes
        var options = options
        options.fsyncOnClose = false
        options.keyValueMetadata = options.keyValueMetadata + [("homebase.snapshot", String(snapshot))]
        self.options = options
    }

    /// Appends one row to `table` on `date`; `fill` appends one value to each column builder in schema order.
    package func append(_ table: LakeTable, date: String, _ fill: (inout [ColumnBuilder]) -> Void) throws {
        let buffer: PartitionBuffer
        if let existing = buffers[table.name]?[date] {
            buffer = existing
        } else {
            buffer = PartitionBuffer(table.schema.columns.map(ColumnBuilder.init))
            buffers[table.name, default: [:]][date] = buffer
        }
        fill(&buffer.columns)  // mutated in place: the buffer is a reference, so no copy of the arrays
        buffer.rows += 1
        if buffer.rows % 1024 == 0 || buffer.rows == 1 {
            let size = buffer.columns.reduce(0) { $0 + $1.approximateBytes }
            bufferedBytes += size - buffer.bytes
            buffer.bytes = size
            if bufferedBytes > flushBytes { try flushLargest() }
        }
    }

    /// Writes whole columns as one part of `table` on `date` (used by compaction and rewrites).
    package func writePart(_ table: LakeTable, date: String, columns: [ColumnData]) throws {
        guard let rows = columns.first?.count, rows > 0 else { return }
        partCounter += 1
        let directory = "tables/\(table.name)/date=\(date)"
        let relative = "\(directory)/part-\(snapshot)-\(partCounter).parquet"
        let absolute = dataDir + "/" + relative
        try FileManager.default.createDirectory(atPath: dataDir + "/" + directory, withIntermediateDirectories: true)
        let temporary = dataDir + "/\(directory)/.part-\(snapshot)-\(partCounter).parquet.tmp"
        let writer = try ParquetWriter(path: temporary, schema: table.schema, options: options)
        try writer.write(columns)
        try writer.close()
        try AtomicFile.commit(temporary, to: absolute, durable: false)
        let size = (try? FileManager.default.attributesOfItem(atPath: absolute)[.size] as? Int) ?? 0
        written.append(PartRecord(table: table.name, date: date, path: relative, rowCount: Int64(rows), byteSize: Int64(size)))
    }

    /// Puts every part written so far on disk; call before the catalog commit that publishes them.
    package func makeDurable() {
        if !written.isEmpty { AtomicFile.syncAll() }
    }

    /// Writes every buffered partition.
    package func flushAll() throws {
        for (tableName, dates) in buffers {
            guard let table = LakeTable.all.first(where: { $0.name == tableName }) else { continue }
            for date in dates.keys.sorted() { try flush(table, date: date) }
        }
        buffers = [:]
        bufferedBytes = 0
    }

    private func flushLargest() throws {
        var best: (String, String, Int)?
        for (tableName, dates) in buffers {
            for (date, buffer) in dates {
                let size = buffer.columns.reduce(0) { $0 + $1.approximateBytes }
                if size > (best?.2 ?? -1) { best = (tableName, date, size) }
            }
        }
        guard let (tableName, date, _) = best, let table = LakeTable.all.first(where: { $0.name == tableName }) else { return }
        try flush(table, date: date)
    }

    private func flush(_ table: LakeTable, date: String) throws {
        guard let buffer = buffers[table.name]?[date] else { return }
        bufferedBytes -= buffer.bytes
        buffers[table.name]?[date] = nil
        let data = buffer.columns.indices.map { buffer.columns[$0].take() }
        try writePart(table, date: date, columns: data)
    }
}

/// The rows buffered for one partition; a class so appends mutate the column arrays in place.
private final class PartitionBuffer {
    var columns: [ColumnBuilder]
    var rows = 0
    var bytes = 0
    init(_ columns: [ColumnBuilder]) { self.columns = columns }
}
