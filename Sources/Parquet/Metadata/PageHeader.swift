/// parquet.thrift `PageType`.
enum PageType: Int32 { case dataPage = 0, indexPage = 1, dictionaryPage = 2, dataPageV2 = 3 }

/// parquet.thrift `Encoding` values Home Base writes or reads.
enum EncodingID {
    static let plain: Int32 = 0
    static let plainDictionary: Int32 = 2
    static let rle: Int32 = 3
    static let bitPacked: Int32 = 4
    static let rleDictionary: Int32 = 8

    static func name(_ value: Int32) -> String {
        switch value {
        case 0: "PLAIN"
        case 2: "PLAIN_DICTIONARY"
        case 3: "RLE"
        case 4: "BIT_PACKED"
        case 5: "DELTA_BINARY_PACKED"
        case 6: "DELTA_LENGTH_BYTE_ARRAY"
        case 7: "DELTA_BYTE_ARRAY"
        case 8: "RLE_DICTIONARY"
        case 9: "BYTE_STREAM_SPLIT"
        default: "ENCODING(\(value))"
        }
    }
}

/// parquet.thrift `DataPageHeader` (v1).
struct DataPageHeader: Equatable {
    var numValues: Int32 = 0
    var encoding: Int32 = 0
    var definitionLevelEncoding: Int32 = EncodingID.rle
    var repetitionLevelEncoding: Int32 = EncodingID.rle
}

/// parquet.thrift `DataPageHeaderV2`.
struct DataPageHeaderV2: Equatable {
    var numValues: Int32 = 0
    var numNulls: Int32 = 0
    var numRows: Int32 = 0
    var encoding: Int32 = 0
    var definitionLevelsByteLength: Int32 = 0
    var repetitionLevelsByteLength: Int32 = 0
    var isCompressed: Bool = true
}

/// parquet.thrift `DictionaryPageHeader`.
struct DictionaryPageHeader: Equatable {
    var numValues: Int32 = 0
    var encoding: Int32 = 0
}

/// parquet.thrift `PageHeader`: what precedes every page's bytes in a column chunk.
struct PageHeader: Equatable {
    var type: Int32 = 0
    var uncompressedPageSize: Int32 = 0
    var compressedPageSize: Int32 = 0
    /// CRC-32 of the stored page bytes (``PageCRC``); absent in files written without it.
    var crc: Int32?
    var dataPage: DataPageHeader?
    var dictionaryPage: DictionaryPageHeader?
    var dataPageV2: DataPageHeaderV2?

    func encode(_ w: inout ThriftCompactWriter) {
        w.i32(1, type)
        w.i32(2, uncompressedPageSize)
        w.i32(3, compressedPageSize)
        if let crc { w.i32(4, crc) }
        if let d = dataPage {
            w.beginStruct(5)
            w.i32(1, d.numValues); w.i32(2, d.encoding); w.i32(3, d.definitionLevelEncoding); w.i32(4, d.repetitionLevelEncoding)
            w.endStruct()
        }
        if let d = dictionaryPage {
            w.beginStruct(7)
            w.i32(1, d.numValues); w.i32(2, d.encoding); w.bool(3, false)
            w.endStruct()
        }
        if let d = dataPageV2 {
            w.beginStruct(8)
            w.i32(1, d.numValues); w.i32(2, d.numNulls); w.i32(3, d.numRows); w.i32(4, d.encoding)
            w.i32(5, d.definitionLevelsByteLength); w.i32(6, d.repetitionLevelsByteLength); w.bool(7, d.isCompressed)
            w.endStruct()
        }
        w.stop()
    }

    static func decode(_ r: inout ThriftCompactReader) throws(ParquetError) -> PageHeader {
        var h = PageHeader()
        var seen = 0
        try r.readStruct { (r, id, type) throws(ParquetError) in
            switch id {
            case 1: h.type = try r.readI32Field(type, "PageHeader.type"); seen |= 1
            case 2: h.uncompressedPageSize = try r.readI32Field(type, "PageHeader.uncompressed_page_size"); seen |= 2
            case 3: h.compressedPageSize = try r.readI32Field(type, "PageHeader.compressed_page_size"); seen |= 4
            case 4: h.crc = try r.readI32Field(type, "PageHeader.crc")
            case 5:
                try r.expect(type, 12, "PageHeader.data_page_header")
                var d = DataPageHeader()
                try r.readStruct { (r, id, type) throws(ParquetError) in
                    switch id {
                    case 1: d.numValues = try r.readI32Field(type, "DataPageHeader.num_values")
                    case 2: d.encoding = try r.readI32Field(type, "DataPageHeader.encoding")
                    case 3: d.definitionLevelEncoding = try r.readI32Field(type, "DataPageHeader.definition_level_encoding")
                    case 4: d.repetitionLevelEncoding = try r.readI32Field(type, "DataPageHeader.repetition_level_encoding")
                    default: return false
                    }
                    return true
                }
                h.dataPage = d
            case 7:
                try r.expect(type, 12, "PageHeader.dictionary_page_header")
                var d = DictionaryPageHeader()
                try r.readStruct { (r, id, type) throws(ParquetError) in
                    switch id {
                    case 1: d.numValues = try r.readI32Field(type, "DictionaryPageHeader.num_values")
                    case 2: d.encoding = try r.readI32Field(type, "DictionaryPageHeader.encoding")
                    default: return false
                    }
                    return true
                }
                h.dictionaryPage = d
            case 8:
                try r.expect(type, 12, "PageHeader.data_page_header_v2")
                var d = DataPageHeaderV2()
                try r.readStruct { (r, id, type) throws(ParquetError) in
                    switch id {
                    case 1: d.numValues = try r.readI32Field(type, "DataPageHeaderV2.num_values")
                    case 2: d.numNulls = try r.readI32Field(type, "DataPageHeaderV2.num_nulls")
                    case 3: d.numRows = try r.readI32Field(type, "DataPageHeaderV2.num_rows")
                    case 4: d.encoding = try r.readI32Field(type, "DataPageHeaderV2.encoding")
                    case 5: d.definitionLevelsByteLength = try r.readI32Field(type, "DataPageHeaderV2.definition_levels_byte_length")
                    case 6: d.repetitionLevelsByteLength = try r.readI32Field(type, "DataPageHeaderV2.repetition_levels_byte_length")
                    case 7: d.isCompressed = try r.boolValue(type)
                    default: return false
                    }
                    return true
                }
                h.dataPageV2 = d
            default: return false
            }
            return true
        }
        guard seen == 7 else { throw r.failure("page header misses a required field") }
        guard h.compressedPageSize >= 0, h.uncompressedPageSize >= 0 else { throw r.failure("negative page size") }
        return h
    }
}
