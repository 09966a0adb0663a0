import Testing
@testable import HomeBaseCore
@testable import Parquet
@testable import TestSupport

/// `readEncoded` gives the same rows as `read`: dictionary-encoded strings as their dictionary
/// and indices, everything else (and a chunk that fell back to PLAIN mid-way) dense.
@Suite struct EncodedReadTests {
    @Test(arguments: NullPattern.allCases)
    func sameRowsAsDenseRead(pattern: NullPattern) throws {
        let dir = TemporaryDirectory("pq-encoded")
        defer { dir.remove() }
        let (schema, columns) = sampleTable(rows: 3000, pattern: pattern, seed: 7)
        let path = dir.file("t.parquet")
        var options = WriterOptions(codec: .snappy)
        options.pageBytes = 4096
        options.rowGroupBytes = 60_000
        options.dictionaryPageLimit = 2000  // the unique strings fall back to PLAIN mid-chunk
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        try writer.write(columns)
        try writer.close()

        let reader = try ParquetReader(path: path)
        let names = schema.columns.map(\.name)
        var sawDictionary = false, sawFallback = false
        for g in reader.rowGroups.indices {
            let dense = try reader.read(rowGroup: g, columns: names)
            let encoded = try reader.readEncoded(rowGroup: g, columns: names)
            for (k, name) in names.enumerated() {
                switch encoded[k] {
                case .dense(let data):
                    expectSameValues(data, dense[k], "\(name) row group \(g)")
                    #expect(data.validity == dense[k].validity, "\(name) validity")
                    if name == "u" { sawFallback = true }
                    #expect(name != "s" || pattern == .all, "\(name): a dictionary-encoded chunk comes back as indices")
                case .dictionary(let values, let indices, let validity):
                    #expect(name == "s" || name == "u", "\(name): only byte arrays keep indices")
                    sawDictionary = sawDictionary || name == "s"
                    guard case .byteArray(let want) = dense[k].values else {
                        Issue.record("\(name) is not a byte array")
                        continue
                    }
                    #expect(validity == dense[k].validity, "\(name) validity")
                    #expect(indices.count == dense[k].count)
                    for r in 0..<indices.count where !dense[k].isNull(r) {
                        #expect(values.value(at: Int(indices[r])) == want.value(at: r), "\(name) row \(r)")
                    }
                }
            }
        }
        if pattern != .all {
            #expect(sawDictionary)
            #expect(sawFallback)
        }
    }
}
