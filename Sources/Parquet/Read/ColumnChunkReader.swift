/// Decodes the pages of one column chunk (dictionary page, data pages v1 and v2; PLAIN,
/// RLE_DICTIONARY/PLAIN_DICTIONARY and RLE booleans) into dense values plus validity.
struct ColumnChunkReader {
    /// Upper bound on the values of one page, so a corrupt count cannot trigger a huge allocation.
    static let maxPageValues = 1 << 24

    let column: ColumnSchema
    let typeLength: Int
    let codec: CompressionCodec
    /// Absolute file offset of `bytes[0]`, for error messages.
    let baseOffset: Int

    private var dictionary: ColumnValues?
    private var output: ColumnValues
    private var validity: [Bool] = []
    private var sawNull = false
    /// Byte-array chunks only: keep dictionary indices instead of gathering the values (`readEncoded`).
    var keepIndices = false
    /// Set when `keepIndices` met a page that is not dictionary-encoded: the chunk must be read densely.
    private(set) var indicesAbandoned = false
    private var indexOutput: [UInt32] = []

    init(column: ColumnSchema, typeLength: Int, codec: CompressionCodec, baseOffset: Int) {
        self.column = column
        self.typeLength = typeLength
        self.codec = codec
        self.baseOffset = baseOffset
        output = ColumnChunkReader.empty(column.physicalType)
    }

    static func empty(_ type: PhysicalType) -> ColumnValues { .empty(type) }

    /// Reads pages from `bytes` until `rows` values were decoded.
    mutating func read(_ bytes: [UInt8], rows: Int) throws(ParquetError) -> ColumnData {
        var position = 0
        var valuesRead = 0
        while valuesRead < rows {
            guard position < bytes.count else {
                throw ParquetError("column '\(column.name)': chunk ends after \(valuesRead) of \(rows) values", offset: baseOffset + position)
            }
            let pageStart = position
            var reader = ThriftCompactReader(bytes, from: position, baseOffset: baseOffset)
            let header = try PageHeader.decode(&reader)
            position = reader.position
            let size = Int(header.compressedPageSize)
            guard size <= bytes.count - position else {
                throw ParquetError(
                    "column '\(column.name)': page of \(size) bytes runs past the end of the column chunk", offset: baseOffset + pageStart)
            }
            do throws(ParquetError) {
                try withRawBytes(bytes) { (raw) throws(ParquetError) in
                    let page = UnsafeRawBufferPointer(rebasing: raw[position..<position + size])
                    if let crc = header.crc, PageCRC.of(page) != crc {
                        throw ParquetError(
                            "page CRC-32 mismatch (stored \(UInt32(bitPattern: crc)), computed \(UInt32(bitPattern: PageCRC.of(page)))): the page is damaged; restore this part from a backup"
                        )
                    }
                    valuesRead += try readPage(header, page, remaining: rows - valuesRead)
                }
            } catch {
                var e = error
                e.message = "column '\(column.name)': " + e.message
                throw e.located(path: "", offset: baseOffset + pageStart)
            }
            position += size
        }
        let nullable = column.nullable && sawNull
        return ColumnData(output, validity: nullable ? validity : nil)
    }

    /// Like `read`, but a dictionary-encoded byte-array chunk comes back as its dictionary and one
    /// index per row (0 behind a null); nil when some page is not dictionary-encoded.
    mutating func readIndices(_ bytes: [UInt8], rows: Int) throws(ParquetError) -> (ByteArrayColumn, [UInt32], [Bool]?)? {
        keepIndices = column.physicalType == .byteArray
        guard keepIndices else { return nil }
        indexOutput.reserveCapacity(rows)
        do {
            _ = try read(bytes, rows: rows)
        } catch {
            if indicesAbandoned { return nil }
            throw error
        }
        guard case .byteArray(let values)? = dictionary ?? (rows == 0 ? .byteArray(ByteArrayColumn()) : nil) else { return nil }
        return (values, indexOutput, column.nullable && sawNull ? validity : nil)
    }

    private func checkedDecompress(_ page: UnsafeRawBufferPointer, _ expected: Int) throws(ParquetError) -> [UInt8] {
        switch codec {
        case .snappy:
            guard expected <= page.count * 24 + 64 else { throw ParquetError("bad Snappy stream: page claims \(expected) bytes from \(page.count)") }
        case .gzip:
            guard expected <= page.count * 1100 + 1024 else {
                throw ParquetError("bad GZIP stream: page claims \(expected) bytes from \(page.count)")
            }
        case .uncompressed: break
        }
        return try codec.decompress(page, expectedLength: expected)
    }

    /// Decodes one page; returns the number of level entries (rows) it held.
    private mutating func readPage(_ header: PageHeader, _ page: UnsafeRawBufferPointer, remaining: Int) throws(ParquetError) -> Int {
        switch PageType(rawValue: header.type) {
        case .dictionaryPage:
            guard dictionary == nil else { throw ParquetError("second dictionary page in one column chunk") }
            guard let d = header.dictionaryPage else { throw ParquetError("dictionary page without its header") }
            guard d.encoding == EncodingID.plain || d.encoding == EncodingID.plainDictionary else {
                throw ParquetError("unsupported dictionary encoding \(EncodingID.name(d.encoding))")
            }
            let body = try checkedDecompress(page, Int(header.uncompressedPageSize))
            let count = Int(d.numValues)
            guard count >= 0, count <= body.count * 8 + 1, count <= Self.maxPageValues else {
                throw ParquetError("dictionary of \(count) values in \(body.count) bytes")
            }
            dictionary = try withRawBytes(body) { (raw) throws(ParquetError) in
                var p = 0
                return try decodePlain(raw, at: &p, end: raw.count, count: count)
            }
            return 0
        case .dataPage:
            guard let d = header.dataPage else { throw ParquetError("data page without its header") }
            let count = Int(d.numValues)
            try checkCount(count, remaining)
            if try readWholeChunkInPlace(header, d, page, count: count, remaining: remaining) { return count }
            let body = try checkedDecompress(page, Int(header.uncompressedPageSize))
            try withRawBytes(body) { (raw) throws(ParquetError) in
                var p = 0
                var defs: [UInt32]?
                if column.nullable {
                    guard raw.count >= 4 else { throw ParquetError("definition levels run past the end of the page") }
                    let length = Int(UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self)))
                    guard length <= raw.count - 4 else { throw ParquetError("definition levels of \(length) bytes run past the end of the page") }
                    defs = try decodeLevels(raw, from: 4, to: 4 + length, count: count)
                    p = 4 + length
                }
                try decodeValues(raw, at: p, encoding: d.encoding, count: count, defs: defs)
            }
            return count
        case .dataPageV2:
            guard let d = header.dataPageV2 else { throw ParquetError("v2 data page without its header") }
            let count = Int(d.numValues)
            try checkCount(count, remaining)
            let rl = Int(d.repetitionLevelsByteLength), dl = Int(d.definitionLevelsByteLength)
            guard rl >= 0, dl >= 0, rl + dl <= page.count else { throw ParquetError("v2 level lengths run past the end of the page") }
            guard rl == 0 else { throw ParquetError("repeated columns are not supported") }
            var defs: [UInt32]?
            if column.nullable { defs = try decodeLevels(page, from: rl, to: rl + dl, count: count) }
            let valuesPart = UnsafeRawBufferPointer(rebasing: page[(rl + dl)...])
            let expected = Int(header.uncompressedPageSize) - rl - dl
            guard expected >= 0 else { throw ParquetError("v2 page sizes are inconsistent") }
            if d.isCompressed && codec != .uncompressed {
                let body = try checkedDecompress(valuesPart, expected)
                try withRawBytes(body) { (raw) throws(ParquetError) in try decodeValues(raw, at: 0, encoding: d.encoding, count: count, defs: defs) }
            } else {
                try decodeValues(valuesPart, at: 0, encoding: d.encoding, count: count, defs: defs)
            }
            return count
        default:
            return 0  // index pages and unknown page types are skipped
        }
    }

    /// The one data page of a required fixed-width PLAIN column chunk (what the writer makes of a
    /// row group's `ts`, costs and token counts): decompressed straight into the values array.
    /// Other pages return false and take the general path.
    private mutating func readWholeChunkInPlace(
        _ header: PageHeader, _ d: DataPageHeader, _ page: UnsafeRawBufferPointer, count: Int, remaining: Int
    ) throws(ParquetError) -> Bool {
        guard codec == .snappy, !column.nullable, !keepIndices, d.encoding == EncodingID.plain, count == remaining, count > 0,
            output.count == 0, dictionary == nil
        else { return false }
        func fill<T>(_: T.Type) throws(ParquetError) -> [T]? {
            guard Int(header.uncompressedPageSize) == count * MemoryLayout<T>.size else { return nil }
            var failure: ParquetError?
            let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                do throws(ParquetError) {
                    try Snappy.decompress(page, into: UnsafeMutableRawBufferPointer(buffer))
                    initialized = count
                } catch {
                    failure = error
                    initialized = 0
                }
            }
            if let failure { throw failure }
            return values
        }
        switch column.physicalType {
        case .int32: guard let v = try fill(Int32.self) else { return false }; output = .int32(v)
        case .int64: guard let v = try fill(Int64.self) else { return false }; output = .int64(v)
        case .float: guard let v = try fill(Float.self) else { return false }; output = .float(v)
        case .double: guard let v = try fill(Double.self) else { return false }; output = .double(v)
        default: return false
        }
        return true
    }

    private func checkCount(_ count: Int, _ remaining: Int) throws(ParquetError) {
        guard count >= 0, count <= remaining, count <= Self.maxPageValues else {
            throw ParquetError("page holds \(count) values but only \(remaining) rows remain in the row group")
        }
    }

    private func decodeLevels(_ raw: UnsafeRawBufferPointer, from: Int, to: Int, count: Int) throws(ParquetError) -> [UInt32] {
        var levels = [UInt32](repeating: 0, count: count)
        var decoder = RLEHybridDecoder(raw, from: from, to: to, bitWidth: 1)
        try levels.withUnsafeMutableBufferPointer { (out) throws(ParquetError) in try decoder.decode(into: out) }
        return levels
    }

    private mutating func decodeValues(_ raw: UnsafeRawBufferPointer, at start: Int, encoding: Int32, count: Int, defs: [UInt32]?)
        throws(ParquetError)
    {
        let nonNull = defs.map { d in d.reduce(0) { $0 + Int($1) } } ?? count
        var p = start
        let dense: ColumnValues
        switch encoding {
        case EncodingID.plain:
            if let defs, nonNull != count, try scatterPlain(raw, at: p, defs: defs, count: count, nonNull: nonNull) { return }
            dense = try decodePlain(raw, at: &p, end: raw.count, count: nonNull)
        case EncodingID.rleDictionary, EncodingID.plainDictionary:
            guard let dictionary else { throw ParquetError("dictionary-encoded page without a dictionary page") }
            var indices = [UInt32](repeating: 0, count: nonNull)
            if nonNull > 0 {
                guard p < raw.count else { throw ParquetError("dictionary indices missing their bit width") }
                let width = Int(raw[p])
                var decoder = RLEHybridDecoder(raw, from: p + 1, to: raw.count, bitWidth: width)
                try indices.withUnsafeMutableBufferPointer { (out) throws(ParquetError) in try decoder.decode(into: out) }
            }
            if keepIndices {
                let size = dictionary.count
                for i in indices where Int(i) >= size { throw ParquetError("dictionary index \(i) out of range (dictionary has \(size) entries)") }
                try appendIndices(indices, defs: defs, count: count)
                return
            }
            dense = try ColumnChunkReader.gather(dictionary, indices)
        case EncodingID.rle where column.physicalType == .boolean:
            guard raw.count - p >= 4 else { throw ParquetError("RLE booleans miss their length") }
            let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: p, as: UInt32.self)))
            guard length <= raw.count - p - 4 else { throw ParquetError("RLE booleans run past the end of the page") }
            var bits = [UInt32](repeating: 0, count: nonNull)
            var decoder = RLEHybridDecoder(raw, from: p + 4, to: p + 4 + length, bitWidth: 1)
            try bits.withUnsafeMutableBufferPointer { (out) throws(ParquetError) in try decoder.decode(into: out) }
            dense = .boolean(bits.map { $0 != 0 })
        default:
            throw ParquetError("unsupported encoding \(EncodingID.name(encoding))")
        }
        if keepIndices {
            indicesAbandoned = true
            throw ParquetError("page is not dictionary-encoded")
        }
        try append(dense, defs: defs, count: count)
    }

    /// A page of fixed-width PLAIN values with nulls: each present value is read from the page
    /// into its row, 0 behind each null, without a dense array between. False for other types.
    private mutating func scatterPlain(_ raw: UnsafeRawBufferPointer, at p: Int, defs: [UInt32], count: Int, nonNull: Int)
        throws(ParquetError) -> Bool
    {
        let size: Int
        switch column.physicalType {
        case .int32, .float: size = 4
        case .int64, .double: size = 8
        default: return false
        }
        guard !keepIndices, (raw.count - p) / size >= nonNull else { return false }  // the general path names the problem
        try appendValidity(defs, count: count)  // checks every level is 0 or 1: `nonNull` values are read
        switch output {
        case .int32(var o): output = .int32([]); Self.scatter(raw, from: p, levels: defs, into: &o, zero: 0); output = .int32(o)
        case .int64(var o): output = .int32([]); Self.scatter(raw, from: p, levels: defs, into: &o, zero: 0); output = .int64(o)
        case .float(var o): output = .int32([]); Self.scatter(raw, from: p, levels: defs, into: &o, zero: 0); output = .float(o)
        case .double(var o): output = .int32([]); Self.scatter(raw, from: p, levels: defs, into: &o, zero: 0); output = .double(o)
        default: throw ParquetError("internal: value type mismatch")
        }
        return true
    }

    /// Appends one row per level to `out`: where the level is 1 the next value of `values` (read
    /// from byte `offset` on, `T`'s size each), where it is 0 `zero`. The levels were checked
    /// (each 0 or 1) and `values` holds one value per 1.
    private static func scatter<T>(_ values: UnsafeRawBufferPointer, from offset: Int, levels: [UInt32], into out: inout [T], zero: T) {
        let start = out.count
        out.append(contentsOf: repeatElement(zero, count: levels.count))
        out.withUnsafeMutableBufferPointer { out in
            levels.withUnsafeBufferPointer { levels in
                var at = offset
                for i in 0..<levels.count where levels[i] == 1 {
                    out[start + i] = values.loadUnaligned(fromByteOffset: at, as: T.self)
                    at += MemoryLayout<T>.size
                }
            }
        }
    }

    /// Appends `count` rows of dictionary indices, 0 behind each null.
    private mutating func appendIndices(_ indices: [UInt32], defs: [UInt32]?, count: Int) throws(ParquetError) {
        try appendValidity(defs, count: count)
        guard let defs, indices.count != count else { return indexOutput.append(contentsOf: indices) }
        var k = 0
        for d in defs {
            if d == 1 { indexOutput.append(indices[k]); k += 1 } else { indexOutput.append(0) }
        }
    }

    /// One pass over the levels: the validity of each row, whether any is null, and whether any
    /// level is past the maximum (then the first such level is named).
    private mutating func appendValidity(_ defs: [UInt32]?, count: Int) throws(ParquetError) {
        guard column.nullable else { return }  // a required column's validity is never handed out
        guard let defs else { return validity.append(contentsOf: repeatElement(true, count: count)) }
        let start = validity.count
        validity.append(contentsOf: repeatElement(false, count: defs.count))
        var any: UInt32 = 0, present = 0
        validity.withUnsafeMutableBufferPointer { out in
            defs.withUnsafeBufferPointer { levels in
                for i in 0..<levels.count {
                    let level = levels[i]
                    any |= level
                    present &+= Int(level & 1)
                    out[start + i] = level == 1
                }
            }
        }
        if any > 1, let level = defs.first(where: { $0 > 1 }) { throw ParquetError("definition level \(level) exceeds the maximum 1") }
        if present < defs.count { sawNull = true }
    }

    private func decodePlain(_ raw: UnsafeRawBufferPointer, at p: inout Int, end: Int, count: Int) throws(ParquetError) -> ColumnValues {
        switch column.physicalType {
        case .boolean: return .boolean(try Plain.decodeBooleans(raw, at: &p, end: end, count: count))
        case .int32: return .int32(try Plain.decodeFixed(raw, at: &p, end: end, count: count, as: Int32.self))
        case .int64: return .int64(try Plain.decodeFixed(raw, at: &p, end: end, count: count, as: Int64.self))
        case .float: return .float(try Plain.decodeFixed(raw, at: &p, end: end, count: count, as: Float.self))
        case .double: return .double(try Plain.decodeFixed(raw, at: &p, end: end, count: count, as: Double.self))
        case .byteArray:
            var column = ByteArrayColumn()
            try Plain.decodeByteArrays(raw, at: &p, end: end, count: count, into: &column)
            return .byteArray(column)
        case .fixedLenByteArray, .int96:
            let width = column.physicalType == .int96 ? 12 : typeLength
            guard width > 0 else { throw ParquetError("FIXED_LEN_BYTE_ARRAY without a type_length") }
            guard (end - p) / width >= count else { throw ParquetError("PLAIN values run past the end of the page") }
            var values = ByteArrayColumn()
            values.bytes = Array(raw[p..<p + count * width])
            values.offsets = (0...count).map { $0 * width }
            p += count * width
            return .byteArray(values)
        }
    }

    static func gather(_ dictionary: ColumnValues, _ indices: [UInt32]) throws(ParquetError) -> ColumnValues {
        let size = dictionary.count
        for i in indices where Int(i) >= size { throw ParquetError("dictionary index \(i) out of range (dictionary has \(size) entries)") }
        switch dictionary {
        case .boolean(let d): return .boolean(indices.map { d[Int($0)] })
        case .int32(let d): return .int32(indices.map { d[Int($0)] })
        case .int64(let d): return .int64(indices.map { d[Int($0)] })
        case .float(let d): return .float(indices.map { d[Int($0)] })
        case .double(let d): return .double(indices.map { d[Int($0)] })
        case .byteArray(let d):
            var out = ByteArrayColumn()
            out.offsets.reserveCapacity(indices.count + 1)
            d.bytes.withUnsafeBytes { bytes in
                for i in indices {
                    let k = Int(i)
                    out.append(bytes: UnsafeRawBufferPointer(rebasing: bytes[d.offsets[k]..<d.offsets[k + 1]]))
                }
            }
            return .byteArray(out)
        }
    }

    /// Appends `count` rows: dense values where the level says present, placeholders elsewhere.
    private mutating func append(_ dense: ColumnValues, defs: [UInt32]?, count: Int) throws(ParquetError) {
        try appendValidity(defs, count: count)
        func scatter<T>(_ values: [T], _ out: inout [T], zero: T) {
            guard let defs, values.count != count else {
                if out.isEmpty { out = values } else { out.append(contentsOf: values) }  // a one-page chunk is not copied
                return
            }
            values.withUnsafeBytes { Self.scatter($0, from: 0, levels: defs, into: &out, zero: zero) }
        }
        switch (output, dense) {
        case (.boolean(var o), .boolean(let v)): output = .int32([]); scatter(v, &o, zero: false); output = .boolean(o)
        case (.int32(var o), .int32(let v)): output = .int32([]); scatter(v, &o, zero: 0); output = .int32(o)
        case (.int64(var o), .int64(let v)): output = .int32([]); scatter(v, &o, zero: 0); output = .int64(o)
        case (.float(var o), .float(let v)): output = .int32([]); scatter(v, &o, zero: 0); output = .float(o)
        case (.double(var o), .double(let v)): output = .int32([]); scatter(v, &o, zero: 0); output = .double(o)
        case (.byteArray(var o), .byteArray(let v)):
            output = .int32([])
            if let defs, v.count != count {
                var k = 0
                v.bytes.withUnsafeBytes { bytes in
                    for d in defs {
                        if d == 1 {
                            o.append(bytes: UnsafeRawBufferPointer(rebasing: bytes[v.offsets[k]..<v.offsets[k + 1]]))
                            k += 1
                        } else {
                            o.appendEmpty()
                        }
                    }
                }
            } else if o.count == 0 {
                o = v
            } else {
                let shift = o.bytes.count
                o.bytes.append(contentsOf: v.bytes)
                o.offsets.append(contentsOf: v.offsets.dropFirst().lazy.map { $0 + shift })
            }
            output = .byteArray(o)
        default:
            throw ParquetError("internal: value type mismatch")
        }
    }
}
