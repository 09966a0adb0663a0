#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Dispatch

/// Streams column batches into a Parquet file: rows are buffered per column and a row group is
/// encoded and written each time the buffer passes `rowGroupBytes`, so memory stays bounded.
package final class ParquetWriter {
    package let path: String
    package let schema: ParquetSchema
    package let options: WriterOptions
    package private(set) var rowsWritten = 0

    private var fd: Int32
    /// Bytes written so far: the file's size once closed.
    package private(set) var offset = 0
    private var buffers: [ColumnBuffer]
    private var bufferedRows = 0
    private var rowGroups: [RowGroup] = []
    private var closed = false
    /// Sees every byte written, in file order (the lake hashes its parts as they are written
    /// instead of reading them back).
    private let onWrite: ((UnsafeRawBufferPointer) -> Void)?

    /// Creates (or truncates) `path` and writes the leading magic; `onWrite` sees every byte.
    package init(
        path: String, schema: ParquetSchema, options: WriterOptions = .init(), onWrite: ((UnsafeRawBufferPointer) -> Void)? = nil
    ) throws {
        self.path = path
        self.onWrite = onWrite
        self.schema = schema
        self.options = options
        buffers = schema.columns.map { ColumnBuffer($0.physicalType) }
        guard !schema.columns.isEmpty else { throw ParquetError(path: path, "a schema needs at least one column") }
        for column in schema.columns where column.physicalType == .int96 || (column.physicalType == .fixedLenByteArray && column.fixedLength == 0) {
            throw ParquetError(path: path, "column '\(column.name)': writing \(column.physicalType) is not supported")
        }
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw ParquetError(path: path, "cannot create file: \(String(cString: strerror(errno)))") }
        try writeAll(Array("PAR1".utf8))
    }

    deinit { if fd >= 0 { _ = Glibc.close(fd) } }

    /// Adds one batch: one `ColumnData` per schema column, in schema order, all the same row count.
    package func write(_ columns: [ColumnData]) throws {
        guard !closed else { throw ParquetError(path: path, "write after close") }
        guard columns.count == schema.columns.count else {
            throw ParquetError(path: path, "batch has \(columns.count) columns, schema has \(schema.columns.count)")
        }
        let rows = columns.first?.count ?? 0
        var batchBytes = 0
        for (column, data) in zip(schema.columns, columns) {
            guard data.count == rows else {
                throw ParquetError(path: path, "column '\(column.name)' has \(data.count) rows, the batch has \(rows)")
            }
            guard ParquetWriter.matches(column, data.values) else {
                throw ParquetError(path: path, "column '\(column.name)' is \(column.physicalType) but the batch holds other values")
            }
            if let validity = data.validity {
                guard validity.count == rows else {
                    throw ParquetError(path: path, "column '\(column.name)': validity has \(validity.count) entries for \(rows) rows")
                }
                if !column.nullable && validity.contains(false) {
                    throw ParquetError(path: path, "column '\(column.name)' is required but the batch has nulls")
                }
            }
            batchBytes += ParquetWriter.plainSize(data.values)
        }
        guard rows > 0 else { return }
        let bytesPerRow = Swift.max(1, batchBytes / rows)
        var start = 0
        while start < rows {
            let room = Swift.max(1, (options.rowGroupBytes - currentBytes) / bytesPerRow)
            let end = Swift.min(rows, start + room)
            for i in buffers.indices { buffers[i].append(columns[i], rows: start..<end) }
            bufferedRows += end - start
            rowsWritten += end - start
            start = end
            if currentBytes >= options.rowGroupBytes { try flushRowGroup() }
        }
    }

    /// Ends the current row group now (no-op when nothing is buffered), e.g. at a partition boundary.
    package func endRowGroup() throws {
        guard !closed else { throw ParquetError(path: path, "write after close") }
        if bufferedRows > 0 { try flushRowGroup() }
    }

    /// Flushes the last row group, writes the footer, fsyncs and closes the file.
    package func close() throws {
        guard !closed else { return }
        if bufferedRows > 0 { try flushRowGroup() }
        var meta = FileMetaData()
        meta.version = 1
        meta.schema = [SchemaElement(root: "schema", children: schema.columns.count)] + schema.columns.map { SchemaElement(column: $0) }
        meta.numRows = Int64(rowsWritten)
        meta.rowGroups = rowGroups
        meta.keyValueMetadata = options.keyValueMetadata.map { (key: $0.0, value: $0.1) }
        meta.createdBy = options.createdBy
        meta.columnOrders = schema.columns.count
        let footer = meta.encode()
        var tail = footer
        let length = UInt32(footer.count)
        tail += [
            UInt8(truncatingIfNeeded: length), UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length >> 16),
            UInt8(truncatingIfNeeded: length >> 24)
        ]
        tail += Array("PAR1".utf8)
        try writeAll(tail)
        if options.fsyncOnClose {
            guard fsync(fd) == 0 else { throw ParquetError(path: path, "fsync failed: \(String(cString: strerror(errno)))") }
        }
        _ = Glibc.close(fd)
        fd = -1
        closed = true
    }

    private var currentBytes: Int { buffers.reduce(0) { $0 + $1.plainBytes } }

    private func flushRowGroup() throws {
        let columns = schema.columns
        let options = self.options
        let sources = buffers
        buffers = schema.columns.map { ColumnBuffer($0.physicalType) }
        let results = ResultSlots<Result<EncodedChunk, ParquetError>>(count: columns.count)
        let work: @Sendable (Int) -> Void = { i in
            results.set(i, Result { () throws(ParquetError) in try ColumnChunkWriter.encode(sources[i], column: columns[i], options: options) })
        }
        if options.parallel && columns.count > 1 {
            DispatchQueue.concurrentPerform(iterations: columns.count, execute: work)
        } else {
            for i in columns.indices { work(i) }
        }
        var group = RowGroup()
        group.numRows = Int64(bufferedRows)
        group.fileOffset = Int64(offset)
        var totalCompressed: Int64 = 0
        for (i, column) in columns.enumerated() {
            let encoded: EncodedChunk
            do { encoded = try results.take(i).get() } catch { throw error.located(path: path) }
            let start = offset
            for part in encoded.parts { try writeAll(part) }
            var meta = ColumnMetaData()
            meta.type = column.physicalType.rawValue
            meta.encodings = encoded.encodings
            meta.pathInSchema = [column.name]
            meta.codec = options.codec.rawValue
            meta.numValues = encoded.numValues
            meta.totalUncompressedSize = encoded.totalUncompressedSize
            meta.totalCompressedSize = Int64(encoded.byteCount)
            if let dictionaryLength = encoded.dictionaryPageLength {
                meta.dictionaryPageOffset = Int64(start)
                meta.dataPageOffset = Int64(start + dictionaryLength)
            } else {
                meta.dataPageOffset = Int64(start)
            }
            meta.statistics = encoded.statistics
            meta.encodingStats = encoded.pageEncodingStats
            group.columns.append(ColumnChunk(fileOffset: 0, metaData: meta))
            group.totalByteSize += encoded.totalUncompressedSize
            totalCompressed += meta.totalCompressedSize
        }
        group.totalCompressedSize = totalCompressed
        rowGroups.append(group)
        bufferedRows = 0
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            onWrite?(raw)
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw ParquetError(path: path, "write failed: \(String(cString: strerror(errno)))", offset: offset + done) }
                done += n
            }
        }
        offset += bytes.count
    }

    static func matches(_ column: ColumnSchema, _ values: ColumnValues) -> Bool {
        switch (column.physicalType, values) {
        case (.boolean, .boolean), (.int32, .int32), (.int64, .int64), (.double, .double), (.float, .float), (.byteArray, .byteArray),
            (.fixedLenByteArray, .byteArray):
            true
        default: false
        }
    }

    package static func plainSize(_ values: ColumnValues) -> Int {
        switch values {
        case .boolean(let v): v.count / 8 + 1
        case .int32(let v): v.count * 4
        case .float(let v): v.count * 4
        case .int64(let v): v.count * 8
        case .double(let v): v.count * 8
        case .byteArray(let v): v.bytes.count + 4 * v.count
        }
    }
}

/// Per-index result slots filled from concurrent workers (each index written by one worker only).
final class ResultSlots<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = PthreadLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: T) { lock.withLock { slots[i] = value } }
    func take(_ i: Int) -> T { lock.withLock { slots[i]! } }
}

/// A pthread mutex, so the Parquet module needs no Foundation.
final class PthreadLock: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func withLock<R>(_ body: () -> R) -> R {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}
