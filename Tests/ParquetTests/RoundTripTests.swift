import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Parquet
@testable import TestSupport

/// Null patterns every round trip is checked with.
enum NullPattern: CaseIterable {
    case none, all, alternating, runs

    func validity(_ n: Int) -> [Bool]? {
        switch self {
        case .none: nil
        case .all: [Bool](repeating: false, count: n)
        case .alternating: (0..<n).map { $0 % 2 == 0 }
        case .runs: (0..<n).map { ($0 / 13) % 3 != 1 }
        }
    }
}

/// A table covering every type we write, with values chosen to hit edge cases.
func sampleTable(rows n: Int, pattern: NullPattern, seed: UInt64 = 1) -> (ParquetSchema, [ColumnData]) {
    var random = SplitMix64(seed: seed)
    let validity = pattern.validity(n)
    let words = ["", "a", "héllo", "日本語", "emoji 🎉", "z", "\u{0}nul", String(repeating: "long", count: 40)]
    var strings = ByteArrayColumn(), unique = ByteArrayColumn()
    var ints64: [Int64] = [], ints32: [Int32] = [], doubles: [Double] = [], bools: [Bool] = []
    var dates: [Int32] = [], stamps: [Int64] = [], few: [Int64] = []
    let specials: [Double] = [.nan, .infinity, -.infinity, 0.0, -0.0, 1.5, -2.25e300, .leastNonzeroMagnitude]
    for i in 0..<n {
        strings.append(words[random.below(words.count)])
        unique.append("id-\(i)-\(random.next())")
        ints64.append(i % 7 == 0 ? (i % 2 == 0 ? .max : .min) : Int64(bitPattern: random.next()))
        ints32.append(Int32(truncatingIfNeeded: random.next()))
        doubles.append(i % 5 == 0 ? specials[random.below(specials.count)] : Double(Int64(bitPattern: random.next())) / 1e6)
        bools.append(random.below(3) == 0)
        dates.append(Int32(random.below(40000)) - 10000)
        stamps.append(Int64(random.below(4_000_000_000)) * 1_000_000 - 1_000_000_000_000_000 + Int64(random.below(1_000_000)))
        few.append(Int64(random.below(5)) * 1000)
    }
    let nullable = validity != nil
    let schema = ParquetSchema([
        .string("s", nullable: nullable), .string("u", nullable: nullable), .int64("i64", nullable: nullable),
        .int32("i32", nullable: nullable), .double("d", nullable: nullable), .boolean("b", nullable: nullable),
        .date("day", nullable: nullable), .timestamp("ts", nullable: nullable), .int64("few", nullable: nullable)
    ])
    let columns: [ColumnData] = [
        ColumnData(.byteArray(strings), validity: validity), ColumnData(.byteArray(unique), validity: validity),
        ColumnData(.int64(ints64), validity: validity), ColumnData(.int32(ints32), validity: validity),
        ColumnData(.double(doubles), validity: validity), ColumnData(.boolean(bools), validity: validity),
        ColumnData(.int32(dates), validity: validity), ColumnData(.int64(stamps), validity: validity),
        ColumnData(.int64(few), validity: validity)
    ]
    return (schema, columns)
}

/// Values compared slot by slot where present (null slots hold placeholders); doubles by bit pattern.
func expectSameValues(_ got: ColumnData, _ want: ColumnData, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let n = want.count
    #expect(got.count == n, "\(label): row count", sourceLocation: sourceLocation)
    guard got.count == n else { return }
    let present = (0..<n).map { !want.isNull($0) }
    #expect((0..<n).map { !got.isNull($0) } == present, "\(label): null mask", sourceLocation: sourceLocation)
    var mismatches = 0
    for i in 0..<n where present[i] {
        let same: Bool
        switch (got.values, want.values) {
        case (.boolean(let a), .boolean(let b)): same = a[i] == b[i]
        case (.int32(let a), .int32(let b)): same = a[i] == b[i]
        case (.int64(let a), .int64(let b)): same = a[i] == b[i]
        case (.double(let a), .double(let b)): same = a[i].bitPattern == b[i].bitPattern || (a[i].isNaN && b[i].isNaN)
        case (.float(let a), .float(let b)): same = a[i].bitPattern == b[i].bitPattern
        case (.byteArray(let a), .byteArray(let b)): same = a.value(at: i).elementsEqual(b.value(at: i))
        default: same = false
        }
        if !same { mismatches += 1 }
    }
    #expect(mismatches == 0, "\(label): \(mismatches) values differ", sourceLocation: sourceLocation)
}

@Suite struct RoundTripTests {
    @Test(arguments: CompressionCodec.allCases, NullPattern.allCases)
    func everyTypeCodecAndNullPattern(codec: CompressionCodec, pattern: NullPattern) throws {
        let dir = TemporaryDirectory("pq-roundtrip")
        defer { dir.remove() }
        let (schema, columns) = sampleTable(rows: 3000, pattern: pattern)
        let path = dir.file("t.parquet")
        var options = WriterOptions(codec: codec)
        options.pageBytes = 4096  // several pages per chunk
        options.rowGroupBytes = 60_000  // several row groups
        options.dictionaryPageLimit = 2000  // forces a mid-chunk fallback on the unique strings
        options.keyValueMetadata = [("k", "v"), ("origin", "test")]
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        try writer.write(Array(columns.map { c in sliceRows(c, 0..<1000) }))
        try writer.write(Array(columns.map { c in sliceRows(c, 1000..<3000) }))
        try writer.close()
        #expect(writer.rowsWritten == 3000)

        let reader = try ParquetReader(path: path)
        #expect(reader.schema == schema)
        #expect(reader.rowCount == 3000)
        #expect(reader.rowGroups.count > 1)
        #expect(reader.keyValueMetadata == ["k": "v", "origin": "test"])
        if pattern != .all {
            let first = reader.rowGroups[0]
            #expect(first.column("few")?.encodings.contains("RLE_DICTIONARY") == true, "int64 with 5 distinct values uses a dictionary")
            #expect(first.column("i64")?.encodings.contains("RLE_DICTIONARY") == false, "distinct int64s stay PLAIN")
            #expect(first.column("u")?.encodings == ["PLAIN", "RLE", "RLE_DICTIONARY"], "unique strings fall back to PLAIN mid-chunk")
            #expect(first.column("s")?.encodings == ["PLAIN", "RLE", "RLE_DICTIONARY"])
            #expect(first.columns.allSatisfy { $0.codec == codec.name })
        }
        let back = try reader.readAll()
        for (i, column) in schema.columns.enumerated() {
            expectSameValues(back[i], columns[i], "\(codec) \(pattern) \(column.name)")
        }
        // Projection, in the order asked.
        let projected = try reader.readAll(columns: ["ts", "s"])
        expectSameValues(projected[0], columns[7], "projected ts")
        expectSameValues(projected[1], columns[0], "projected s")
    }

    /// One page per column chunk (the writer's default page size), the shape the lake's parts
    /// have: a required fixed-width PLAIN chunk is decompressed straight into its values and a
    /// nullable one scattered from the page; both read back as written, densely and encoded.
    @Test(arguments: CompressionCodec.allCases, NullPattern.allCases)
    func onePagePerChunk(codec: CompressionCodec, pattern: NullPattern) throws {
        let dir = TemporaryDirectory("pq-onepage")
        defer { dir.remove() }
        let (schema, columns) = sampleTable(rows: 3000, pattern: pattern, seed: 5)
        let path = dir.file("t.parquet")
        let writer = try ParquetWriter(path: path, schema: schema, options: WriterOptions(codec: codec))
        try writer.write(columns)
        try writer.close()
        let reader = try ParquetReader(path: path)
        #expect(reader.rowGroups.count == 1)
        let back = try reader.readAll()
        let encoded = try reader.readEncoded(rowGroup: 0, columns: schema.columns.map(\.name))
        for (i, column) in schema.columns.enumerated() {
            expectSameValues(back[i], columns[i], "\(codec) \(pattern) \(column.name)")
            if case .dense(let dense) = encoded[i] { expectSameValues(dense, columns[i], "encoded \(codec) \(pattern) \(column.name)") }
        }
    }

    @Test func emptyFileHasZeroRowGroups() throws {
        let dir = TemporaryDirectory("pq-empty")
        defer { dir.remove() }
        let path = dir.file("e.parquet")
        let writer = try ParquetWriter(path: path, schema: ParquetSchema([.int64("a"), .string("b", nullable: true)]))
        try writer.close()
        let reader = try ParquetReader(path: path)
        #expect(reader.rowCount == 0)
        #expect(reader.rowGroups.isEmpty)
        let all = try reader.readAll()
        #expect(all.map(\.count) == [0, 0])
    }

    @Test func statisticsAndPruning() throws {
        let dir = TemporaryDirectory("pq-stats")
        defer { dir.remove() }
        let path = dir.file("s.parquet")
        var options = WriterOptions(codec: .snappy)
        let writer = try ParquetWriter(path: path, schema: ParquetSchema([.int64("n"), .string("s"), .double("d", nullable: true)]), options: options)
        for group in 0..<3 {
            let n = (0..<100).map { Int64(group * 1000 + $0) }
            let s = ByteArrayColumn((0..<100).map { "\(["b", "é", "z"][group])\($0 % 10)" })
            let d = (0..<100).map { $0 == 0 ? Double.nan : Double($0) * (group == 1 ? -1 : 1) }
            try writer.write([ColumnData(.int64(n)), ColumnData(.byteArray(s)), ColumnData(.double(d), validity: (0..<100).map { $0 != 5 })])
            try writer.endRowGroup()
        }
        try writer.close()
        let reader = try ParquetReader(path: path)
        #expect(reader.rowGroups.count == 3)
        let g0 = reader.rowGroups[0]
        #expect(g0.column("n")?.min == .int(0))
        #expect(g0.column("n")?.max == .int(99))
        #expect(g0.column("n")?.nullCount == 0)
        #expect(g0.column("s")?.min == .bytes(Array("b0".utf8)))
        #expect(reader.rowGroups[1].column("s")?.max == .bytes(Array("é9".utf8)), "é (C3 A9) sorts after z as bytes")
        #expect(reader.rowGroups[2].column("s")?.min == .bytes(Array("z0".utf8)))
        #expect(g0.column("d")?.nullCount == 1)
        #expect(g0.column("d")?.min == .double(1), "NaN is excluded from min")
        #expect(reader.rowGroups[1].column("d")?.min == .double(-99))
        #expect(reader.rowGroups[1].column("d")?.max == .double(-1))
        let hits = reader.rowGroups.indices.filter { reader.rowGroups[$0].mayContain(column: "n", in: 1050...1060) }
        #expect(hits == [1])
        #expect(reader.rowGroups.indices.filter { reader.rowGroups[$0].mayContain(column: "s", equalTo: "z3") } == [2])
    }

    @Test func rejectsMismatchedBatches() throws {
        let dir = TemporaryDirectory("pq-bad")
        defer { dir.remove() }
        let writer = try ParquetWriter(path: dir.file("x.parquet"), schema: ParquetSchema([.int64("a"), .int32("b")]))
        #expect(throws: ParquetError.self) { try writer.write([ColumnData(.int64([1, 2])), ColumnData(.int32([1]))]) }
        #expect(throws: ParquetError.self) { try writer.write([ColumnData(.int64([1])), ColumnData(.int64([1]))]) }
        #expect(throws: ParquetError.self) { try writer.write([ColumnData(.int64([1]), validity: [false]), ColumnData(.int32([1]))]) }
    }
}

func sliceRows(_ c: ColumnData, _ r: Range<Int>) -> ColumnData {
    let values: ColumnValues
    switch c.values {
    case .boolean(let v): values = .boolean(Array(v[r]))
    case .int32(let v): values = .int32(Array(v[r]))
    case .int64(let v): values = .int64(Array(v[r]))
    case .float(let v): values = .float(Array(v[r]))
    case .double(let v): values = .double(Array(v[r]))
    case .byteArray(let v):
        var out = ByteArrayColumn()
        for i in r { out.append(bytes: v.value(at: i)) }
        values = .byteArray(out)
    }
    return ColumnData(values, validity: c.validity.map { Array($0[r]) })
}
