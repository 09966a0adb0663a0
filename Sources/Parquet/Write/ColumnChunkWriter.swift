#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One encoded column chunk, ready to be written at some file offset.
struct EncodedChunk: Sendable {
    /// Page headers and page bodies, in file order (kept apart to avoid copying bodies).
    var parts: [[UInt8]] = []
    /// Total bytes of `parts`.
    var byteCount = 0
    /// Length of the leading dictionary page (header + body), when there is one.
    var dictionaryPageLength: Int?
    var encodings: [Int32] = []
    /// Pages per (page type, encoding), in first-seen order: `ColumnMetaData.encoding_stats`.
    var pageEncodingStats: [PageEncodingStats] = []
    var numValues: Int64 = 0
    var totalUncompressedSize: Int64 = 0
    var statistics = Statistics()
}

/// Encodes one column of a row group: dictionary (with fallback to PLAIN past the size limit) or
/// PLAIN pages, v1 data pages with RLE definition levels, compression, and chunk statistics.
struct ColumnChunkWriter {
    let column: ColumnSchema
    let options: WriterOptions
    private var chunk = EncodedChunk()
    private var body: [UInt8] = []

    init(column: ColumnSchema, options: WriterOptions) {
        self.column = column
        self.options = options
    }

    /// Encodes `buffer` (all rows of this column in the row group).
    static func encode(_ buffer: ColumnBuffer, column: ColumnSchema, options: WriterOptions) throws(ParquetError) -> EncodedChunk {
        var writer = ColumnChunkWriter(column: column, options: options)
        try writer.run(buffer)
        return writer.chunk
    }

    private mutating func run(_ buffer: ColumnBuffer) throws(ParquetError) {
        let rows = buffer.count
        chunk.numValues = Int64(rows)
        let validity = buffer.validity.flatMap { v in v.contains(false) ? v : nil }
        let nonNull = validity.map { v in v.reduce(0) { $0 + ($1 ? 1 : 0) } } ?? rows
        chunk.statistics.nullCount = Int64(rows - nonNull)
        var encodings: Set<Int32> = [EncodingID.rle]

        switch buffer.values {
        case .boolean(let all):
            let dense = ColumnChunkWriter.compact(all, validity)
            try writePlainPages(rows: 0..<rows, firstValue: 0, validity: validity, bytesPerValue: 1) { out, range in
                dense.withUnsafeBufferPointer { Plain.appendBooleans(UnsafeBufferPointer(rebasing: $0[range]), into: &out) }
            }
            encodings.insert(EncodingID.plain)
            if !dense.isEmpty {
                chunk.statistics.minValue = [dense.contains(false) ? 0 : 1]
                chunk.statistics.maxValue = [dense.contains(true) ? 1 : 0]
            }
        case .int32(let all):
            let dense = ColumnChunkWriter.compact(all, validity)
            try writeFixed(dense, rows: rows, validity: validity, encodings: &encodings) { UInt64(UInt32(bitPattern: $0)) }
            if case .integer(_, false) = column.logicalType {
                setMinMax(dense.map { UInt32(bitPattern: $0) }.min(), dense.map { UInt32(bitPattern: $0) }.max())
            } else {
                setMinMax(dense.min(), dense.max())
            }
        case .int64(let all):
            let dense = ColumnChunkWriter.compact(all, validity)
            try writeFixed(dense, rows: rows, validity: validity, encodings: &encodings) { UInt64(bitPattern: $0) }
            if case .integer(_, false) = column.logicalType {
                setMinMax(dense.map { UInt64(bitPattern: $0) }.min(), dense.map { UInt64(bitPattern: $0) }.max())
            } else {
                var lo = Int64.max, hi = Int64.min
                dense.withUnsafeBufferPointer { for v in $0 { lo = Swift.min(lo, v); hi = Swift.max(hi, v) } }
                if !dense.isEmpty { setMinMax(lo, hi) }
            }
        case .double(let all):
            let dense = ColumnChunkWriter.compact(all, validity)
            try writeFixed(dense, rows: rows, validity: validity, encodings: &encodings) { $0.bitPattern }
            let (lo, hi) = ColumnChunkWriter.floatingRange(dense)
            setMinMax(lo, hi)
        case .float(let all):
            let dense = ColumnChunkWriter.compact(all, validity)
            try writePlainPages(rows: 0..<rows, firstValue: 0, validity: validity, bytesPerValue: 4) { out, range in
                dense.withUnsafeBufferPointer { Plain.appendFixed(UnsafeBufferPointer(rebasing: $0[range]), into: &out) }
            }
            encodings.insert(EncodingID.plain)
            let (lo, hi) = ColumnChunkWriter.floatingRange(dense)
            setMinMax(lo, hi)
        case .byteArray(let all):
            let dense = validity == nil ? all : ColumnChunkWriter.compact(all, validity!)
            if column.physicalType == .fixedLenByteArray {
                try writeFixedLength(dense, rows: rows, validity: validity, encodings: &encodings)
            } else {
                try writeByteArrays(dense, rows: rows, validity: validity, encodings: &encodings)
            }
        }
        chunk.encodings = encodings.sorted()
    }

    // MARK: Statistics

    private mutating func setMinMax<T>(_ lo: T?, _ hi: T?) {
        guard var lo, var hi else { return }
        chunk.statistics.minValue = withUnsafeBytes(of: &lo) { Array($0) }
        chunk.statistics.maxValue = withUnsafeBytes(of: &hi) { Array($0) }
    }

    /// Min and max ignoring NaN; a zero min is -0.0 and a zero max is +0.0 (parquet.thrift rules).
    static func floatingRange<T: BinaryFloatingPoint>(_ values: [T]) -> (T?, T?) {
        var lo: T?, hi: T?
        for v in values where !v.isNaN {
            if lo == nil || v < lo! { lo = v }
            if hi == nil || v > hi! { hi = v }
        }
        if let l = lo, l == 0 { lo = -T.zero }
        if let h = hi, h == 0 { hi = T.zero }
        return (lo, hi)
    }

    static func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = Swift.min(a.count, b.count)
        if n > 0 {
            let c = memcmp(a.baseAddress!, b.baseAddress!, n)
            if c != 0 { return Int(c) }
        }
        return a.count - b.count
    }

    private mutating func setByteRange(_ values: ByteArrayColumn) {
        guard values.count > 0 else { return }
        var lo = 0, hi = 0
        values.bytes.withUnsafeBytes { bytes in
            values.offsets.withUnsafeBufferPointer { offs in
                func slice(_ i: Int) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[offs[i]..<offs[i + 1]]) }
                for i in 1..<values.count {
                    let s = slice(i)
                    if ColumnChunkWriter.compareBytes(s, slice(lo)) < 0 { lo = i }
                    if ColumnChunkWriter.compareBytes(s, slice(hi)) > 0 { hi = i }
                }
            }
        }
        chunk.statistics.minValue = Array(values.value(at: lo))
        chunk.statistics.maxValue = Array(values.value(at: hi))
    }

    /// FIXED_LEN_BYTE_ARRAY decimals: PLAIN pages (the values back to back, no lengths), and
    /// min/max in the signed order readers use for DECIMAL (not the unsigned byte order).
    private mutating func writeFixedLength(_ dense: ByteArrayColumn, rows: Int, validity: [Bool]?, encodings: inout Set<Int32>)
        throws(ParquetError)
    {
        let width = column.fixedLength
        for i in 0..<dense.count where dense.offsets[i + 1] - dense.offsets[i] != width {
            throw ParquetError(path: "", "column '\(column.name)': value \(i) has \(dense.offsets[i + 1] - dense.offsets[i]) bytes, not \(width)")
        }
        try writePlainPages(rows: 0..<rows, firstValue: 0, validity: validity, bytesPerValue: width) { out, range in
            out.append(contentsOf: dense.bytes[range.lowerBound * width..<range.upperBound * width])
        }
        encodings.insert(EncodingID.plain)
        guard dense.count > 0 else { return }
        var lo = 0, hi = 0
        for i in 1..<dense.count {
            if Decimal128.compare(dense.value(at: i), dense.value(at: lo)) < 0 { lo = i }
            if Decimal128.compare(dense.value(at: i), dense.value(at: hi)) > 0 { hi = i }
        }
        chunk.statistics.minValue = Array(dense.value(at: lo))
        chunk.statistics.maxValue = Array(dense.value(at: hi))
    }

    // MARK: Dense values

    static func compact<T>(_ values: [T], _ validity: [Bool]?) -> [T] {
        guard let validity else { return values }
        var dense: [T] = []
        dense.reserveCapacity(values.count)
        values.withUnsafeBufferPointer { v in
            validity.withUnsafeBufferPointer { ok in
                for i in 0..<v.count where ok[i] { dense.append(v[i]) }
            }
        }
        return dense
    }

    static func compact(_ values: ByteArrayColumn, _ validity: [Bool]) -> ByteArrayColumn {
        var dense = ByteArrayColumn()
        dense.bytes.reserveCapacity(values.bytes.count)
        dense.offsets.reserveCapacity(values.count + 1)
        values.bytes.withUnsafeBytes { bytes in
            for i in 0..<values.count where validity[i] {
                dense.append(bytes: UnsafeRawBufferPointer(rebasing: bytes[values.offsets[i]..<values.offsets[i + 1]]))
            }
        }
        return dense
    }

    /// The row holding dense value `k` (rows are 1:1 with values when there are no nulls).
    private static func row(ofValue k: Int, validity: [Bool]?) -> Int {
        guard let validity else { return k }
        var seen = 0
        for (row, ok) in validity.enumerated() where ok {
            if seen == k { return row }
            seen += 1
        }
        return validity.count
    }

    // MARK: Fixed-width columns

    private mutating func writeFixed<T>(_ dense: [T], rows: Int, validity: [Bool]?, encodings: inout Set<Int32>, key: (T) -> UInt64)
        throws(ParquetError)
    {
        let width = MemoryLayout<T>.size
        // Dictionary when it pays: few distinct values compared with the count.
        var builder = FixedDictionaryBuilder()
        var indices = [UInt32](repeating: 0, count: dense.count)
        var overflow = false
        let maxEntries = Swift.max(1, Swift.min(options.dictionaryPageLimit / width, dense.count / 4))
        // A quick look at the first values: mostly distinct means a dictionary will not pay.
        let sample = Swift.min(dense.count, 4096)
        var probe = FixedDictionaryBuilder(capacity: sample)
        dense.withUnsafeBufferPointer { values in for i in 0..<sample { _ = probe.insert(key(values[i])) } }
        if sample >= 1024 && probe.count * 2 > sample { overflow = true }
        if !overflow {
            dense.withUnsafeBufferPointer { values in
                indices.withUnsafeMutableBufferPointer { out in
                    for i in 0..<values.count {
                        out[i] = builder.insert(key(values[i]))
                        if builder.count > maxEntries { overflow = true; break }
                    }
                }
            }
        }
        if !overflow && dense.count > 0 {
            let bitWidth = Swift.max(1, RLEHybrid.bitWidth(forMax: UInt64(builder.count - 1)))
            let dictBytes = builder.count * width + dense.count * bitWidth / 8
            if dictBytes * 4 < dense.count * width * 3 {
                let entries: [T] = builder.keys.map { k in withUnsafeBytes(of: k) { $0.loadUnaligned(as: T.self) } }
                var page: [UInt8] = []
                entries.withUnsafeBufferPointer { Plain.appendFixed($0, into: &page) }
                try writeDictionaryPage(page, count: entries.count)
                try writeDictionaryDataPages(indices, bitWidth: bitWidth, rows: 0..<rows, validity: validity)
                encodings.formUnion([EncodingID.plain, EncodingID.rleDictionary])
                return
            }
        }
        encodings.insert(EncodingID.plain)
        if !column.nullable {
            // No levels: each page body is a slice of the values themselves.
            let perPage = rowsPerPage(bytesPerValue: width, rows: rows)
            var row = 0
            while row < rows {
                let end = Swift.min(rows, row + perPage)
                var header = PageHeader()
                header.type = PageType.dataPage.rawValue
                header.dataPage = DataPageHeader(numValues: Int32(end - row), encoding: EncodingID.plain)
                var failure: ParquetError?
                dense.withUnsafeBufferPointer { values in
                    do throws(ParquetError) {
                        try emit(raw: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: values[row..<end])), header: header)
                    } catch { failure = error }
                }
                if let failure { throw failure }
                row = end
            }
            return
        }
        try writePlainPages(rows: 0..<rows, firstValue: 0, validity: validity, bytesPerValue: width) { out, range in
            dense.withUnsafeBufferPointer { Plain.appendFixed(UnsafeBufferPointer(rebasing: $0[range]), into: &out) }
        }
    }

    // MARK: Byte arrays

    private mutating func writeByteArrays(_ dense: ByteArrayColumn, rows: Int, validity: [Bool]?, encodings: inout Set<Int32>) throws(ParquetError) {
        var builder = ByteDictionaryBuilder()
        let n = dense.count
        var indices = [UInt32](repeating: 0, count: n)
        var cut = n
        let limit = options.dictionaryPageLimit
        dense.bytes.withUnsafeBytes { bytes in
            dense.offsets.withUnsafeBufferPointer { offs in
                indices.withUnsafeMutableBufferPointer { out in
                    let base = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
                    for i in 0..<n {
                        out[i] = builder.insert(base + offs[i], offs[i + 1] - offs[i])
                        if builder.plainSize > limit { cut = i + 1; break }
                    }
                }
            }
        }
        if cut == n {
            setByteRange(builder.entries)
        } else {
            setByteRange(dense)
        }
        if n == 0 {
            try writePlainPages(rows: 0..<rows, firstValue: 0, validity: validity, bytesPerValue: 1) { _, _ in }
            encodings.insert(EncodingID.plain)
            return
        }
        var page: [UInt8] = []
        Plain.appendByteArrays(builder.entries, 0..<builder.count, into: &page)
        try writeDictionaryPage(page, count: builder.count)
        encodings.formUnion([EncodingID.plain, EncodingID.rleDictionary])
        let bitWidth = Swift.max(1, RLEHybrid.bitWidth(forMax: UInt64(builder.count - 1)))
        let rowCut = cut == n ? rows : ColumnChunkWriter.row(ofValue: cut, validity: validity)
        indices.removeLast(n - cut)
        try writeDictionaryDataPages(indices, bitWidth: bitWidth, rows: 0..<rowCut, validity: validity)
        if rowCut < rows {
            let average = Swift.max(1, (dense.bytes.count + 4 * n) / Swift.max(1, n))
            try writePlainPages(rows: rowCut..<rows, firstValue: cut, validity: validity, bytesPerValue: average) { out, range in
                Plain.appendByteArrays(dense, range, into: &out)
            }
        }
    }

    // MARK: Pages

    private mutating func writeDictionaryPage(_ page: [UInt8], count: Int) throws(ParquetError) {
        var header = PageHeader()
        header.type = PageType.dictionaryPage.rawValue
        header.dictionaryPage = DictionaryPageHeader(numValues: Int32(count), encoding: EncodingID.plain)
        try emit(page, header: header)
        chunk.dictionaryPageLength = chunk.byteCount
    }

    private func rowsPerPage(bytesPerValue: Int, rows: Int) -> Int {
        Swift.max(1, Swift.min(rows, options.pageBytes / Swift.max(1, bytesPerValue)))
    }

    private static func nonNullCount(_ validity: [Bool]?, _ rows: Range<Int>) -> Int {
        guard let validity else { return rows.count }
        var count = 0
        validity.withUnsafeBufferPointer { v in for i in rows where v[i] { count += 1 } }
        return count
    }

    private mutating func appendLevels(_ validity: [Bool]?, _ rows: Range<Int>) {
        guard column.nullable else { return }
        if let validity {
            validity.withUnsafeBufferPointer { Levels.appendDefinitionLevels(UnsafeBufferPointer(rebasing: $0[rows]), into: &body) }
        } else {
            // All present: one RLE run of 1s.
            var run: [UInt8] = []
            RLEHybrid.writeRun(1, count: rows.count, bitWidth: 1, into: &run)
            body.append(contentsOf: [UInt8(run.count), 0, 0, 0])
            body.append(contentsOf: run)
        }
    }

    private mutating func writeDictionaryDataPages(_ indices: [UInt32], bitWidth: Int, rows: Range<Int>, validity: [Bool]?) throws(ParquetError) {
        let perPage = rowsPerPage(bytesPerValue: Swift.max(1, bitWidth / 8), rows: rows.count)
        var row = rows.lowerBound
        var value = 0
        while row < rows.upperBound {
            let end = Swift.min(rows.upperBound, row + perPage)
            let count = ColumnChunkWriter.nonNullCount(validity, row..<end)
            body.removeAll(keepingCapacity: true)
            appendLevels(validity, row..<end)
            body.append(UInt8(bitWidth))
            indices.withUnsafeBufferPointer {
                RLEHybrid.encode(UnsafeBufferPointer(rebasing: $0[value..<value + count]), bitWidth: bitWidth, into: &body)
            }
            try emitDataPage(values: end - row, encoding: EncodingID.rleDictionary)
            value += count
            row = end
        }
    }

    private mutating func writePlainPages(
        rows: Range<Int>, firstValue: Int, validity: [Bool]?, bytesPerValue: Int,
        encode: (inout [UInt8], Range<Int>) -> Void
    ) throws(ParquetError) {
        let perPage = rowsPerPage(bytesPerValue: bytesPerValue, rows: rows.count)
        var row = rows.lowerBound
        var value = firstValue
        if rows.isEmpty { return }
        while row < rows.upperBound {
            let end = Swift.min(rows.upperBound, row + perPage)
            let count = ColumnChunkWriter.nonNullCount(validity, row..<end)
            body.removeAll(keepingCapacity: true)
            appendLevels(validity, row..<end)
            encode(&body, value..<value + count)
            try emitDataPage(values: end - row, encoding: EncodingID.plain)
            value += count
            row = end
        }
    }

    private mutating func emitDataPage(values: Int, encoding: Int32) throws(ParquetError) {
        var header = PageHeader()
        header.type = PageType.dataPage.rawValue
        header.dataPage = DataPageHeader(numValues: Int32(values), encoding: encoding)
        try emit(body, header: header)
    }

    /// Compresses `page`, then appends its header and stored bytes to the chunk.
    private mutating func emit(_ page: [UInt8], header: PageHeader) throws(ParquetError) {
        try page.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            do throws(ParquetError) { try emit(raw: raw, header: header) } catch { emitFailure = error }
        }
        if let failure = emitFailure { emitFailure = nil; throw failure }
    }

    private var emitFailure: ParquetError?

    /// Compresses the bytes at `raw` as one page body (no copy into a page buffer first).
    private mutating func emit(raw page: UnsafeRawBufferPointer, header: PageHeader) throws(ParquetError) {
        guard page.count <= Int(Int32.max) else { throw ParquetError("page of \(page.count) bytes is too large; lower pageBytes") }
        var stored: [UInt8] = []
        if options.codec == .uncompressed {
            stored = Array(page)
        } else {
            stored.reserveCapacity(Snappy.maxCompressedLength(page.count))
            try options.codec.compress(page, into: &stored)
        }
        let encoding = header.dataPage?.encoding ?? header.dictionaryPage?.encoding ?? header.dataPageV2?.encoding ?? EncodingID.plain
        if let i = chunk.pageEncodingStats.firstIndex(where: { $0.pageType == header.type && $0.encoding == encoding }) {
            chunk.pageEncodingStats[i].count += 1
        } else {
            chunk.pageEncodingStats.append(PageEncodingStats(pageType: header.type, encoding: encoding, count: 1))
        }
        var h = header
        h.uncompressedPageSize = Int32(page.count)
        h.compressedPageSize = Int32(stored.count)
        h.crc = PageCRC.of(stored)
        var w = ThriftCompactWriter()
        h.encode(&w)
        chunk.parts.append(w.bytes)
        chunk.parts.append(stored)
        chunk.byteCount += w.bytes.count + stored.count
        chunk.totalUncompressedSize += Int64(w.bytes.count + page.count)
    }
}
