import Foundation
import Testing
@testable import SQLiteStore
@testable import Parquet
@testable import TestSupport

/// One column as strings, the same way the Python side prints them: integers in decimal,
/// doubles as their little-endian bytes in hex ("nan" for any NaN), strings and bytes as hex,
/// booleans as true/false, null as nil.
func representation(_ column: ColumnData) -> [String?] {
    func hex<C: Sequence>(_ bytes: C) -> String where C.Element == UInt8 { bytes.map { String(format: "%02x", $0) }.joined() }
    return (0..<column.count).map { i -> String? in
        if column.isNull(i) { return nil }
        switch column.values {
        case .boolean(let v): return v[i] ? "true" : "false"
        case .int32(let v): return String(v[i])
        case .int64(let v): return String(v[i])
        case .double(let v): return v[i].isNaN ? "nan" : hex(withUnsafeBytes(of: v[i].bitPattern.littleEndian) { Array($0) })
        case .float(let v): return v[i].isNaN ? "nan" : hex(withUnsafeBytes(of: Double(v[i]).bitPattern.littleEndian) { Array($0) })
        case .byteArray(let v): return hex(v.value(at: i))
        }
    }
}

/// Python helper shared by the oracle scripts: the same representation as `representation`.
let pythonRep = """
    import sys, json, struct
    def rep(v):
        if v is None: return None
        if isinstance(v, bool): return 'true' if v else 'false'
        if isinstance(v, int): return str(v)
        if isinstance(v, float): return 'nan' if v != v else struct.pack('<d', v).hex()
        if isinstance(v, str): return v.encode().hex()
        if isinstance(v, (bytes, bytearray)): return bytes(v).hex()
        raise Exception('unexpected %r' % type(v))

    """

func decodeJSON(_ text: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return object as? [String: Any] ?? [:]
}

func stringColumn(_ any: Any?) -> [String?] {
    (any as? [Any] ?? []).map { $0 as? String }
}

@Suite struct InteropTests {
    static let readBoth =
        pythonRep + """
            import pyarrow as pa, pyarrow.parquet as pq, duckdb
            path = sys.argv[1]
            t = pq.read_table(path)
            out = {'pyarrow': {}, 'duckdb': {}, 'pyarrow_types': {}, 'duckdb_types': {}, 'pyarrow_rows': t.num_rows}
            for name in t.column_names:
                col = t.column(name)
                ty = col.type
                out['pyarrow_types'][name] = str(ty)
                if pa.types.is_timestamp(ty): col = col.cast(pa.int64())
                if pa.types.is_date32(ty): col = col.cast(pa.int32())
                out['pyarrow'][name] = [rep(v) for v in col.to_pylist()]
            con = duckdb.connect()
            src = "read_parquet('%s')" % path
            desc = con.execute('DESCRIBE SELECT * FROM ' + src).fetchall()
            exprs = []
            for row in desc:
                name, ty = row[0], row[1]
                out['duckdb_types'][name] = ty
                q = '"%s"' % name
                if ty.startswith('TIMESTAMP'): exprs.append('epoch_us(%s)' % q)
                elif ty == 'DATE': exprs.append("(%s - DATE '1970-01-01')" % q)
                else: exprs.append(q)
            rows = con.execute('SELECT %s FROM %s' % (', '.join(exprs), src)).fetchall()
            for i, row in enumerate(desc):
                out['duckdb'][row[0]] = [rep(r[i]) for r in rows]
            out['duckdb_rows'] = con.execute('SELECT count(*) FROM ' + src).fetchone()[0]
            print(json.dumps(out))
            """

    @Test(arguments: [(CompressionCodec.uncompressed, NullPattern.none), (.snappy, .runs), (.gzip, .alternating), (.snappy, .all)])
    func pyarrowAndDuckDBReadOurFiles(codec: CompressionCodec, pattern: NullPattern) throws {
        let dir = TemporaryDirectory("pq-interop")
        defer { dir.remove() }
        let (schema, columns) = sampleTable(rows: 2500, pattern: pattern, seed: 42)
        let path = dir.file("ours.parquet")
        var options = WriterOptions(codec: codec)
        options.pageBytes = 3000
        options.rowGroupBytes = 70_000
        options.dictionaryPageLimit = 3000
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        try writer.write(columns)
        try writer.close()

        let json = try decodeJSON(try PythonOracle.run(Self.readBoth, [path]))
        #expect(json["pyarrow_rows"] as? Int == 2500)
        #expect(json["duckdb_rows"] as? Int == 2500)
        let pyTypes = json["pyarrow_types"] as? [String: String] ?? [:]
        #expect(pyTypes["s"] == "string" && pyTypes["i64"] == "int64" && pyTypes["i32"] == "int32" && pyTypes["d"] == "double")
        #expect(pyTypes["b"] == "bool" && pyTypes["day"] == "date32[day]" && pyTypes["ts"] == "timestamp[us, tz=UTC]")
        let duckTypes = json["duckdb_types"] as? [String: String] ?? [:]
        #expect(duckTypes["s"] == "VARCHAR" && duckTypes["i64"] == "BIGINT" && duckTypes["i32"] == "INTEGER" && duckTypes["d"] == "DOUBLE")
        #expect(duckTypes["b"] == "BOOLEAN" && duckTypes["day"] == "DATE" && duckTypes["ts"] == "TIMESTAMP WITH TIME ZONE")
        for engine in ["pyarrow", "duckdb"] {
            let values = json[engine] as? [String: Any] ?? [:]
            for (i, column) in schema.columns.enumerated() {
                let want = representation(columns[i])
                let got = stringColumn(values[column.name])
                #expect(got == want, "\(engine) \(codec) \(pattern) column \(column.name): \(zip(got, want).filter { $0 != $1 }.prefix(3))")
            }
        }
    }

    @Test func duckDBPrunesWithOurStatistics() throws {
        let dir = TemporaryDirectory("pq-prune")
        defer { dir.remove() }
        let path = dir.file("p.parquet")
        let writer = try ParquetWriter(path: path, schema: ParquetSchema([.int64("n"), .string("s")]))
        for g in 0..<2 {
            try writer.write([
                ColumnData(.int64((0..<50).map { Int64(g * 100 + $0) })), ColumnData(.byteArray(ByteArrayColumn((0..<50).map { "g\(g)-\($0)" })))
            ])
            try writer.endRowGroup()
        }
        try writer.close()
        let script = """
            import sys, duckdb, pyarrow.parquet as pq
            con = duckdb.connect()
            a = con.execute("SELECT count(*), sum(n) FROM read_parquet('%s') WHERE n BETWEEN 120 AND 130" % sys.argv[1]).fetchone()
            b = con.execute("SELECT count(*) FROM read_parquet('%s') WHERE s = 'g1-7'" % sys.argv[1]).fetchone()
            md = pq.ParquetFile(sys.argv[1]).metadata
            st = md.row_group(1).column(0).statistics
            print(a[0], a[1], b[0], md.num_row_groups, st.min, st.max, st.null_count, md.row_group(0).column(1).statistics.max)
            """
        let out = try PythonOracle.run(script, [path]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(out == "11 1375 1 2 100 149 0 g0-9")
    }

    static let pyarrowWrites =
        pythonRep + """
            import random, datetime, pyarrow as pa, pyarrow.parquet as pq
            d = sys.argv[1]
            r = random.Random(7)
            n = 3000
            words = ['', 'a', 'héllo', '日本語', 'emoji 🎉', 'zz', 'long' * 30]
            def maybe(v, p=0.2): return None if r.random() < p else v
            cols = {
              'i64': [maybe(r.choice([r.randint(-2**63, 2**63 - 1), -2**63, 2**63 - 1, 0])) for _ in range(n)],
              'i32': [maybe(r.randint(-2**31, 2**31 - 1)) for _ in range(n)],
              'd': [maybe(r.choice([float('nan'), float('inf'), float('-inf'), -0.0, r.uniform(-1e9, 1e9)])) for _ in range(n)],
              's': [maybe(r.choice(words) + ('' if r.random() < 0.5 else str(r.randint(0, 99999)))) for _ in range(n)],
              'b': [maybe(r.random() < 0.5) for _ in range(n)],
              'day': [maybe(datetime.date(1970, 1, 1) + datetime.timedelta(days=r.randint(-5000, 30000))) for _ in range(n)],
              'ts': [maybe(r.randint(-10**15, 4 * 10**15)) for _ in range(n)],
              'few': [r.choice([1, 2, 3]) * 1000 for _ in range(n)],
              'req': [str(i % 17) for i in range(n)],
            }
            schema = pa.schema([('i64', pa.int64()), ('i32', pa.int32()), ('d', pa.float64()), ('s', pa.string()), ('b', pa.bool_()),
                                ('day', pa.date32()), ('ts', pa.timestamp('us', tz='UTC')), ('few', pa.int64()), pa.field('req', pa.string(), nullable=False)])
            t = pa.table(cols, schema=schema)
            variants = {
              'default': {},
              'v2': {'data_page_version': '2.0'},
              'gzip': {'compression': 'gzip'},
              'gzip_v2': {'compression': 'gzip', 'data_page_version': '2.0'},
              'none_plain': {'compression': 'none', 'use_dictionary': False},
              'fallback': {'dictionary_pagesize_limit': 256, 'data_page_size': 512, 'write_batch_size': 64},
              'v2_small_pages': {'data_page_version': '2.0', 'data_page_size': 300, 'write_batch_size': 50},
              'row_groups': {'row_group_size': 700},
            }
            for name, kw in variants.items():
                pq.write_table(t, '%s/%s.parquet' % (d, name), **kw)
            expected = {}
            for name in t.column_names:
                col = t.column(name)
                if pa.types.is_timestamp(col.type): col = col.cast(pa.int64())
                if pa.types.is_date32(col.type): col = col.cast(pa.int32())
                expected[name] = [rep(v) for v in col.to_pylist()]
            print(json.dumps({'variants': sorted(variants), 'expected': expected}))
            """

    @Test func weReadPyarrowFiles() throws {
        let dir = TemporaryDirectory("pq-pyarrow")
        defer { dir.remove() }
        let json = try decodeJSON(try PythonOracle.run(Self.pyarrowWrites, [dir.path]))
        let variants = json["variants"] as? [String] ?? []
        let expected = json["expected"] as? [String: Any] ?? [:]
        #expect(variants.count == 8)
        for variant in variants {
            let reader = try ParquetReader(path: dir.file("\(variant).parquet"))
            #expect(reader.rowCount == 3000, "\(variant)")
            #expect(reader.schema.columns.map(\.name) == ["i64", "i32", "d", "s", "b", "day", "ts", "few", "req"])
            #expect(reader.schema.columns[6].logicalType == .timestampMicrosUTC)
            #expect(reader.schema.columns[5].logicalType == .date)
            #expect(reader.schema.columns[8].nullable == false)
            let all = try reader.readAll()
            for (i, column) in reader.schema.columns.enumerated() {
                let want = stringColumn(expected[column.name])
                let got = representation(all[i])
                #expect(
                    got == want,
                    "\(variant) column \(column.name): first differences \(zip(got, want).enumerated().filter { $0.1.0 != $0.1.1 }.prefix(3))")
            }
            // Projection reads only what is asked, in that order.
            let projected = try reader.readAll(columns: ["req", "i64"])
            #expect(representation(projected[0]) == stringColumn(expected["req"]))
            #expect(representation(projected[1]) == stringColumn(expected["i64"]))
        }
        let fallback = try ParquetReader(path: dir.file("fallback.parquet"))
        #expect(fallback.rowGroups[0].column("s")?.encodings.contains("RLE_DICTIONARY") == true)
        #expect(fallback.rowGroups[0].column("s")?.encodings.contains("PLAIN") == true)
        let gzip = try ParquetReader(path: dir.file("gzip.parquet"))
        #expect(gzip.rowGroups[0].columns.allSatisfy { $0.codec == "GZIP" })
        #expect(try ParquetReader(path: dir.file("row_groups.parquet")).rowGroups.count == 5)
    }
}
