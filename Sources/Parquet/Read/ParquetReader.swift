#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads Parquet files: the footer is read and validated up front; column chunks are read on
/// demand with `pread`, only for the columns asked for.
///
/// Type mapping: BOOLEAN, INT32, INT64, FLOAT, DOUBLE map to the same `ColumnValues` case;
/// BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY to `.byteArray`; INT96 to `.byteArray` of its 12 raw bytes.
package final class ParquetReader {
    package let path: String
    package let schema: ParquetSchema
    package let rowCount: Int
    package let keyValueMetadata: [String: String]
    package let rowGroups: [RowGroupInfo]
    package let createdBy: String?

    private let metadata: FileMetaData
    private let typeLengths: [Int]
    private let fd: Int32
    private let dataEnd: Int

    /// Opens `path` and reads its footer; throws `ParquetError` when the file is not valid Parquet.
    package init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ParquetError(path: path, "cannot open: \(String(cString: strerror(errno)))") }
        do {
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw ParquetError(path: path, "cannot stat: \(String(cString: strerror(errno)))") }
            let size = Int(info.st_size)
            guard size >= 12 else { throw ParquetError(path: path, "not a Parquet file: only \(size) bytes") }
            let tail = try ParquetReader.pread(fd, path, offset: size - 8, count: 8)
            guard tail[4...] == [0x50, 0x41, 0x52, 0x31] else {
                throw ParquetError(path: path, "not a Parquet file: bad magic at the end", offset: size - 4)
            }
            let length = Int(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
            guard length > 0, length <= size - 12 else {
                throw ParquetError(path: path, "bad footer length \(length) for a file of \(size) bytes", offset: size - 8)
            }
            let footerStart = size - 8 - length
            let head = try ParquetReader.pread(fd, path, offset: 0, count: 4)
            guard head == [0x50, 0x41, 0x52, 0x31] else { throw ParquetError(path: path, "not a Parquet file: bad magic at the start", offset: 0) }
            let footer = try ParquetReader.pread(fd, path, offset: footerStart, count: length)
            var reader = ThriftCompactReader(footer, baseOffset: footerStart)
            let meta: FileMetaData
            do { meta = try FileMetaData.decode(&reader) } catch { throw error.located(path: path) }
            metadata = meta
            dataEnd = footerStart
            createdBy = meta.createdBy

            // Flat schemas only: a root followed by leaves.
            guard let root = meta.schema.first else { throw ParquetError(path: path, "footer has an empty schema") }
            let leaves = Array(meta.schema.dropFirst())
            guard Int(root.numChildren ?? -1) == leaves.count else {
                throw ParquetError(
                    path: path,
                    "schema root has \(root.numChildren.map(String.init) ?? "no") children for \(leaves.count) elements; nested columns are not supported"
                )
            }
            var columns: [ColumnSchema] = []
            var lengths: [Int] = []
            for leaf in leaves {
                guard leaf.numChildren == nil || leaf.numChildren == 0, let raw = leaf.type, let type = PhysicalType(rawValue: raw) else {
                    throw ParquetError(path: path, "column '\(leaf.name)': nested or untyped columns are not supported")
                }
                guard leaf.repetitionType != 2 else { throw ParquetError(path: path, "column '\(leaf.name)': repeated columns are not supported") }
                columns.append(ColumnSchema(leaf.name, type, leaf.logicalType, nullable: leaf.repetitionType == 1))
                lengths.append(Int(leaf.typeLength ?? 0))
            }
            schema = ParquetSchema(columns)
            typeLengths = lengths

            var groups: [RowGroupInfo] = []
            var total = 0
            for (g, group) in meta.rowGroups.enumerated() {
                guard group.columns.count == columns.count else {
                    throw ParquetError(path: path, "row group \(g) has \(group.columns.count) column chunks for \(columns.count) columns")
                }
                guard group.numRows >= 0, group.numRows <= Int64(Int32.max) * 64 else {
                    throw ParquetError(path: path, "row group \(g) has \(group.numRows) rows")
                }
                var infos: [ColumnChunkInfo] = []
                for (column, chunk) in zip(columns, group.columns) {
                    guard let m = chunk.metaData else { throw ParquetError(path: path, "row group \(g) column '\(column.name)' has no metadata") }
                    guard m.type == column.physicalType.rawValue else {
                        throw ParquetError(
                            path: path, "row group \(g) column '\(column.name)' has type \(m.type), schema says \(column.physicalType.rawValue)")
                    }
                    infos.append(
                        ColumnChunkInfo(
                            name: column.name, physicalType: column.physicalType, codec: CompressionCodec.name(ofID: m.codec),
                            encodings: m.encodings.map(EncodingID.name), numValues: Int(m.numValues),
                            compressedSize: Int(m.totalCompressedSize), uncompressedSize: Int(m.totalUncompressedSize),
                            dataPageOffset: Int(m.dataPageOffset), dictionaryPageOffset: m.dictionaryPageOffset.map { Int($0) },
                            nullCount: m.statistics?.nullCount.map { Int($0) },
                            min: StatValue.decode(
                                m.statistics?.minValue ?? (ParquetReader.legacyOK(column) ? m.statistics?.min : nil), column: column),
                            max: StatValue.decode(
                                m.statistics?.maxValue ?? (ParquetReader.legacyOK(column) ? m.statistics?.max : nil), column: column)))
                }
                groups.append(
                    RowGroupInfo(
                        numRows: Int(group.numRows), totalByteSize: Int(group.totalByteSize),
                        totalCompressedSize: Int(group.totalCompressedSize ?? 0), columns: infos))
                total += Int(group.numRows)
            }
            rowGroups = groups
            rowCount = total
            var kv: [String: String] = [:]
            for (key, value) in meta.keyValueMetadata { kv[key] = value ?? "" }
            keyValueMetadata = kv
        } catch {
            _ = Glibc.close(fd)
            throw error
        }
    }

    deinit { _ = Glibc.close(fd) }

    /// Legacy min/max are signed-order: usable for signed numbers only.
    private static func legacyOK(_ column: ColumnSchema) -> Bool {
        switch column.physicalType {
        case .int32, .int64, .float, .double, .boolean:
            if case .integer(_, false) = column.logicalType { return false }
            return true
        default: return false
        }
    }

    /// Reads the columns `columns` (all when `nil`) of one row group, in the order asked.
    package func read(rowGroup: Int, columns names: [String]? = nil) throws -> [ColumnData] {
        guard rowGroups.indices.contains(rowGroup) else {
            throw ParquetError(path: path, "row group \(rowGroup) does not exist (the file has \(rowGroups.count))")
        }
        let indices = try resolve(names)
        var result: [ColumnData] = []
        for c in indices {
            let (opened, bytes, rows) = try chunk(rowGroup: rowGroup, column: c)
            var reader = opened
            do {
                result.append(try reader.read(bytes, rows: rows))
            } catch {
                throw error.located(path: path)
            }
        }
        return result
    }

    /// Reads columns of one row group as they are stored: a dictionary-encoded byte-array chunk
    /// keeps its dictionary and one index per row (no per-row copy of the bytes), anything else
    /// comes back dense, as `read` gives it.
    package func readEncoded(rowGroup: Int, columns names: [String]) throws -> [EncodedColumn] {
        guard rowGroups.indices.contains(rowGroup) else {
            throw ParquetError(path: path, "row group \(rowGroup) does not exist (the file has \(rowGroups.count))")
        }
        var result: [EncodedColumn] = []
        for c in try resolve(names) {
            let (opened, bytes, rows) = try chunk(rowGroup: rowGroup, column: c)
            var reader = opened
            do {
                if let (dictionary, indices, validity) = try reader.readIndices(bytes, rows: rows) {
                    result.append(.dictionary(dictionary, indices: indices, validity: validity))
                } else {
                    var dense = ColumnChunkReader(
                        column: reader.column, typeLength: reader.typeLength, codec: reader.codec, baseOffset: reader.baseOffset)
                    result.append(.dense(try dense.read(bytes, rows: rows)))
                }
            } catch {
                throw error.located(path: path)
            }
        }
        return result
    }

    /// The bytes of one column chunk and a reader for them.
    private func chunk(rowGroup: Int, column c: Int) throws -> (ColumnChunkReader, [UInt8], Int) {
        let group = metadata.rowGroups[rowGroup]
        let column = schema.columns[c]
        guard let m = group.columns[c].metaData else { throw ParquetError(path: path, "column '\(column.name)' has no metadata") }
        guard let codec = CompressionCodec(rawValue: m.codec) else {
            throw ParquetError(path: path, "column '\(column.name)': unsupported codec \(CompressionCodec.name(ofID: m.codec))")
        }
        var start = m.dataPageOffset
        if let dictionary = m.dictionaryPageOffset, dictionary > 0, dictionary < start { start = dictionary }
        let length = m.totalCompressedSize
        guard start >= 4, length > 0, start < Int64(dataEnd), length <= Int64(dataEnd) - start else {
            throw ParquetError(
                path: path, "column '\(column.name)' chunk [\(start), +\(length)) lies outside the data area (ends at \(dataEnd))",
                offset: Int(clamping: start))
        }
        let bytes = try ParquetReader.pread(fd, path, offset: Int(start), count: Int(length))
        return (ColumnChunkReader(column: column, typeLength: typeLengths[c], codec: codec, baseOffset: Int(start)), bytes, Int(group.numRows))
    }

    /// Reads the columns asked for across all row groups, concatenated.
    package func readAll(columns names: [String]? = nil) throws -> [ColumnData] {
        let indices = try resolve(names)
        var merged = indices.map { ColumnData(ColumnChunkReader.empty(schema.columns[$0].physicalType)) }
        for g in rowGroups.indices {
            let part = try read(rowGroup: g, columns: indices.map { schema.columns[$0].name })
            for i in merged.indices { merged[i].append(part[i]) }
        }
        return merged
    }

    private func resolve(_ names: [String]?) throws -> [Int] {
        guard let names else { return Array(schema.columns.indices) }
        return try names.map { name in
            guard let index = schema.index(of: name) else {
                throw ParquetError(path: path, "no column named '\(name)' (columns: \(schema.columns.map(\.name).joined(separator: ", ")))")
            }
            return index
        }
    }

    static func pread(_ fd: Int32, _ path: String, offset: Int, count: Int) throws -> [UInt8] {
        // Not zeroed first: every byte is read over, and a short read throws.
        try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let n = Glibc.pread(fd, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw ParquetError(path: path, "unexpected end of file reading \(count) bytes", offset: offset + done) }
                done += n
            }
            initialized = count
        }
    }
}
