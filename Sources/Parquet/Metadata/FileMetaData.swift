/// parquet.thrift `ColumnMetaData`.
struct ColumnMetaData: Equatable {
    var type: Int32 = 0
    var encodings: [Int32] = []
    var pathInSchema: [String] = []
    var codec: Int32 = 0
    var numValues: Int64 = 0
    var totalUncompressedSize: Int64 = 0
    var totalCompressedSize: Int64 = 0
    var dataPageOffset: Int64 = 0
    var dictionaryPageOffset: Int64?
    var statistics: Statistics?
    /// Field 13: how many pages of each type use each encoding. parquet-java readers only trust
    /// dictionary-based row-group pruning when it says every data page is dictionary-encoded.
    var encodingStats: [PageEncodingStats] = []

    func encode(_ w: inout ThriftCompactWriter) {
        w.beginStruct(3)
        w.i32(1, type)
        w.listHeader(2, count: encodings.count, of: .i32)
        for e in encodings { w.elementI32(e) }
        w.listHeader(3, count: pathInSchema.count, of: .binary)
        for p in pathInSchema { w.elementBinary(Array(p.utf8)) }
        w.i32(4, codec)
        w.i64(5, numValues)
        w.i64(6, totalUncompressedSize)
        w.i64(7, totalCompressedSize)
        w.i64(9, dataPageOffset)
        if let dictionaryPageOffset { w.i64(11, dictionaryPageOffset) }
        statistics?.encode(&w, field: 12)
        if !encodingStats.isEmpty {
            w.listHeader(13, count: encodingStats.count, of: .structure)
            for stats in encodingStats { stats.encode(&w) }
        }
        w.endStruct()
    }

    static func decode(_ r: inout ThriftCompactReader) throws(ParquetError) -> ColumnMetaData {
        var m = ColumnMetaData()
        var seen = 0
        try r.readStruct { (r, id, type) throws(ParquetError) in
            switch id {
            case 1: m.type = try r.readI32Field(type, "ColumnMetaData.type"); seen |= 1
            case 2:
                m.encodings = try r.readList(type, "ColumnMetaData.encodings") { (r) throws(ParquetError) in try r.i32() }
            case 3:
                m.pathInSchema = try r.readList(type, "ColumnMetaData.path_in_schema") { (r) throws(ParquetError) in try r.string() }
            case 4: m.codec = try r.readI32Field(type, "ColumnMetaData.codec"); seen |= 2
            case 5: m.numValues = try r.readI64Field(type, "ColumnMetaData.num_values"); seen |= 4
            case 6: m.totalUncompressedSize = try r.readI64Field(type, "ColumnMetaData.total_uncompressed_size")
            case 7: m.totalCompressedSize = try r.readI64Field(type, "ColumnMetaData.total_compressed_size"); seen |= 8
            case 9: m.dataPageOffset = try r.readI64Field(type, "ColumnMetaData.data_page_offset"); seen |= 16
            case 11: m.dictionaryPageOffset = try r.readI64Field(type, "ColumnMetaData.dictionary_page_offset")
            case 12:
                try r.expect(type, 12, "ColumnMetaData.statistics")
                m.statistics = try Statistics.decode(&r)
            case 13:
                m.encodingStats = try r.readList(type, "ColumnMetaData.encoding_stats") { (r) throws(ParquetError) in
                    try PageEncodingStats.decode(&r)
                }
            default: return false
            }
            return true
        }
        guard seen == 31 else { throw r.failure("column metadata misses a required field") }
        return m
    }
}

/// parquet.thrift `ColumnChunk`: the required (ignored) file_offset and the column metadata.
struct ColumnChunk: Equatable {
    var fileOffset: Int64 = 0
    var metaData: ColumnMetaData?

    func encode(_ w: inout ThriftCompactWriter) {
        w.beginListElement()
        w.i64(2, fileOffset)
        metaData?.encode(&w)
        w.endStruct()
    }

    static func decode(_ r: inout ThriftCompactReader) throws(ParquetError) -> ColumnChunk {
        var c = ColumnChunk()
        try r.readStruct { (r, id, type) throws(ParquetError) in
            switch id {
            case 2: c.fileOffset = try r.readI64Field(type, "ColumnChunk.file_offset")
            case 3:
                try r.expect(type, 12, "ColumnChunk.meta_data")
                c.metaData = try ColumnMetaData.decode(&r)
            default: return false
            }
            return true
        }
        return c
    }
}

/// parquet.thrift `RowGroup`.
struct RowGroup: Equatable {
    var columns: [ColumnChunk] = []
    var totalByteSize: Int64 = 0
    var numRows: Int64 = 0
    var fileOffset: Int64?
    var totalCompressedSize: Int64?

    func encode(_ w: inout ThriftCompactWriter) {
        w.beginListElement()
        w.listHeader(1, count: columns.count, of: .structure)
        for c in columns { c.encode(&w) }
        w.i64(2, totalByteSize)
        w.i64(3, numRows)
        if let fileOffset { w.i64(5, fileOffset) }
        if let totalCompressedSize { w.i64(6, totalCompressedSize) }
        w.endStruct()
    }

    static func decode(_ r: inout ThriftCompactReader) throws(ParquetError) -> RowGroup {
        var g = RowGroup()
        try r.readStruct { (r, id, type) throws(ParquetError) in
            switch id {
            case 1: g.columns = try r.readList(type, "RowGroup.columns") { (r) throws(ParquetError) in try ColumnChunk.decode(&r) }
            case 2: g.totalByteSize = try r.readI64Field(type, "RowGroup.total_byte_size")
            case 3: g.numRows = try r.readI64Field(type, "RowGroup.num_rows")
            case 5: g.fileOffset = try r.readI64Field(type, "RowGroup.file_offset")
            case 6: g.totalCompressedSize = try r.readI64Field(type, "RowGroup.total_compressed_size")
            default: return false
            }
            return true
        }
        return g
    }
}

/// parquet.thrift `FileMetaData`: the footer.
struct FileMetaData: Equatable {
    var version: Int32 = 1
    var schema: [SchemaElement] = []
    var numRows: Int64 = 0
    var rowGroups: [RowGroup] = []
    var keyValueMetadata: [(key: String, value: String?)] = []
    var createdBy: String?
    var columnOrders: Int = 0

    static func == (a: FileMetaData, b: FileMetaData) -> Bool {
        a.version == b.version && a.schema == b.schema && a.numRows == b.numRows && a.rowGroups == b.rowGroups
            && a.keyValueMetadata.map(\.key) == b.keyValueMetadata.map(\.key)
            && a.keyValueMetadata.map(\.value) == b.keyValueMetadata.map(\.value) && a.createdBy == b.createdBy
    }

    func encode() -> [UInt8] {
        var w = ThriftCompactWriter()
        w.i32(1, version)
        w.listHeader(2, count: schema.count, of: .structure)
        for e in schema { e.encode(&w) }
        w.i64(3, numRows)
        w.listHeader(4, count: rowGroups.count, of: .structure)
        for g in rowGroups { g.encode(&w) }
        if !keyValueMetadata.isEmpty {
            w.listHeader(5, count: keyValueMetadata.count, of: .structure)
            for (key, value) in keyValueMetadata {
                w.beginListElement()
                w.string(1, key)
                if let value { w.string(2, value) }
                w.endStruct()
            }
        }
        if let createdBy { w.string(6, createdBy) }
        if columnOrders > 0 {
            w.listHeader(7, count: columnOrders, of: .structure)
            for _ in 0..<columnOrders { w.beginListElement(); w.emptyStruct(1); w.endStruct() }
        }
        w.stop()
        return w.bytes
    }

    static func decode(_ r: inout ThriftCompactReader) throws(ParquetError) -> FileMetaData {
        var f = FileMetaData()
        var seen = 0
        try r.readStruct { (r, id, type) throws(ParquetError) in
            switch id {
            case 1: f.version = try r.readI32Field(type, "FileMetaData.version")
            case 2:
                f.schema = try r.readList(type, "FileMetaData.schema") { (r) throws(ParquetError) in try SchemaElement.decode(&r) }
                seen |= 1
            case 3: f.numRows = try r.readI64Field(type, "FileMetaData.num_rows"); seen |= 2
            case 4:
                f.rowGroups = try r.readList(type, "FileMetaData.row_groups") { (r) throws(ParquetError) in try RowGroup.decode(&r) }
                seen |= 4
            case 5:
                f.keyValueMetadata = try r.readList(type, "FileMetaData.key_value_metadata") { (r) throws(ParquetError) in
                    var key = "", value: String?
                    try r.readStruct { (r, id, type) throws(ParquetError) in
                        switch id {
                        case 1: key = String(decoding: try r.readBinaryField(type, "KeyValue.key"), as: UTF8.self)
                        case 2: value = String(decoding: try r.readBinaryField(type, "KeyValue.value"), as: UTF8.self)
                        default: return false
                        }
                        return true
                    }
                    return (key, value)
                }
            case 6: f.createdBy = String(decoding: try r.readBinaryField(type, "FileMetaData.created_by"), as: UTF8.self)
            case 7:
                try r.expect(type, 9, "FileMetaData.column_orders")
                let (count, elementType) = try r.listHeader()
                for _ in 0..<count { try r.skip(elementType) }
                f.columnOrders = count
            default: return false
            }
            return true
        }
        guard seen == 7 else { throw r.failure("file metadata misses schema, num_rows or row_groups") }
        return f
    }
}

/// parquet.thrift `PageEncodingStats`: `count` pages of type `pageType` encoded with `encoding`.
struct PageEncodingStats: Equatable, Sendable {
    var pageType: Int32
    var encoding: Int32
    var count: Int32

    func encode(_ w: inout ThriftCompactWriter) {
        w.beginListElement()
        w.i32(1, pageType)
        w.i32(2, encoding)
        w.i32(3, count)
        w.endStruct()
    }

    static func decode(_ r: inout ThriftCompactReader) throws(ParquetError) -> PageEncodingStats {
        var stats = PageEncodingStats(pageType: 0, encoding: 0, count: 0)
        try r.readStruct { (r, id, type) throws(ParquetError) in
            switch id {
            case 1: stats.pageType = try r.readI32Field(type, "PageEncodingStats.page_type")
            case 2: stats.encoding = try r.readI32Field(type, "PageEncodingStats.encoding")
            case 3: stats.count = try r.readI32Field(type, "PageEncodingStats.count")
            default: return false
            }
            return true
        }
        return stats
    }
}
