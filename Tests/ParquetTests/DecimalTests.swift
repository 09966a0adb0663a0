import Foundation
import Testing
@testable import Parquet
@testable import TestSupport

/// DECIMAL(38,18) in FIXED_LEN_BYTE_ARRAY(16): pyarrow and DuckDB read our values as exact
/// decimals, row-group min/max follow the signed order (a negative value is the minimum), and
/// our reader gets the same bytes back.
@Suite struct DecimalTests {
    /// Exact values as text, with their unscaled integers at scale 18 worked out by hand.
    static let cases: [(text: String, unscaled: Int128?)] = [
        ("0.0123", 12_300_000_000_000_000), ("-5", -5_000_000_000_000_000_000), ("", nil), ("0", 0),
        ("12345678901234567890.123456789012345678", 12_345_678_901_234_567_890_123_456_789_012_345_678),
        ("-0.000000000000000001", -1), ("1.34775", 1_347_750_000_000_000_000), ("", nil), ("99.5", 99_500_000_000_000_000_000)
    ]

    @Test func widthsFollowThePrecision() {
        // 2^(8·n−1) must exceed 10^p − 1: 9 digits fit 4 bytes, 18 fit 8, 38 fit 16.
        #expect([1, 2, 9, 10, 18, 19, 38].map { Decimal128.width(precision: $0) } == [1, 1, 4, 5, 8, 9, 16])
        #expect(Decimal128.text(unscaled: -1, scale: 18) == "-0.000000000000000001")
        #expect(Decimal128.text(unscaled: 12_300_000_000_000_000, scale: 18) == "0.0123")
        #expect(Decimal128.text(unscaled: -5_000_000_000_000_000_000, scale: 18) == "-5")
        #expect(Decimal128.unscaled(Decimal128.bytes(-2, width: 16)) == -2)
        #expect(Decimal128.bytes(-2, width: 4) == [0xFF, 0xFF, 0xFF, 0xFE])
    }

    /// Text to unscaled integers, by hand: digits past the scale round half to even; anything
    /// but plain decimal text, or more than 38 digits, is refused.
    @Test func parsesPlainDecimalTextRoundingHalfToEven() {
        let cases: [(String, Int, Int128?)] = [
            ("1.5", 0, 2), ("2.5", 0, 2), ("2.51", 0, 3), ("-2.5", 0, -2), ("-3.5", 0, -4), ("+.5", 1, 5), ("3.", 2, 300),
            ("0.0000000000000000005", 18, 0), ("0.0000000000000000015", 18, 2), ("12.25", 18, 12_250_000_000_000_000_000),
            ("99999999999999999999.999999999999999999", 18, 99_999_999_999_999_999_999_999_999_999_999_999_999),
            ("100000000000000000000", 18, nil), ("abc", 2, nil), ("1e5", 2, nil), ("", 2, nil), (".", 2, nil), ("1.2.3", 2, nil), ("- 1", 0, nil)
        ]
        for (text, scale, expected) in cases {
            #expect(Decimal128.unscaled(text: text, scale: scale) == expected, "\(text) at scale \(scale)")
        }
    }

    @Test func pyarrowAndDuckDBReadExactDecimals() throws {
        let dir = TemporaryDirectory("pq-decimal")
        defer { dir.remove() }
        let path = dir.file("d.parquet")
        let schema = ParquetSchema([.int64("n"), .decimal("amount", nullable: true)])
        var amounts = ByteArrayColumn()
        var validity: [Bool] = []
        for (_, unscaled) in Self.cases {
            if let unscaled { amounts.append(bytes: Decimal128.bytes(unscaled)) } else { amounts.appendEmpty() }
            validity.append(unscaled != nil)
        }
        let writer = try ParquetWriter(path: path, schema: schema)
        try writer.write([ColumnData(.int64((0..<Int64(Self.cases.count)).map { $0 })), ColumnData(.byteArray(amounts), validity: validity)])
        try writer.close()
        let out = try PythonOracle.run(
            """
            import sys, json, decimal, duckdb, pyarrow.parquet as pq
            decimal.getcontext().prec = 80  # normalize() rounds to the context precision (28 by default)
            f = pq.ParquetFile(sys.argv[1])
            t = f.read()
            stats = f.metadata.row_group(0).column(1).statistics
            d = duckdb.connect().execute("SELECT CAST(sum(amount) AS VARCHAR), typeof(any_value(amount)) FROM read_parquet(?)", [sys.argv[1]]).fetchone()
            print(json.dumps({"type": str(t.schema.field("amount").type),
                              "values": [None if v is None else format(v.normalize(), "f") for v in t.column("amount").to_pylist()],
                              "min": format(stats.min.normalize(), "f"), "max": format(stats.max.normalize(), "f"), "nulls": stats.null_count,
                              "duck_sum": d[0], "duck_type": d[1]}))
            """, [path])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(json["type"] as? String == "decimal128(38, 18)")
        let values = try #require(json["values"] as? [Any])
        let expected: [Any] = Self.cases.map { $0.unscaled == nil ? NSNull() : $0.text as Any }
        #expect(values.map { "\($0)" } == expected.map { "\($0)" })
        #expect(json["min"] as? String == "-5" && json["max"] as? String == "12345678901234567890.123456789012345678", "\(json)")
        #expect(json["nulls"] as? Int == 2)
        // 12345678901234567890.123456789012345678 + 0.0123 − 5 − 1e-18 + 1.34775 + 99.5, exactly (by hand).
        let sum = (json["duck_sum"] as? String).map { $0.replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression) }
        #expect(sum == "12345678901234567985.983506789012345677", "\(json)")
        #expect(json["duck_type"] as? String == "DECIMAL(38,18)")
        // Our reader: the same schema and bytes back.
        let reader = try ParquetReader(path: path)
        #expect(reader.schema.columns[1].logicalType == .decimal(precision: 38, scale: 18))
        #expect(reader.schema.columns[1].physicalType == .fixedLenByteArray)
        let back = try reader.readAll(columns: ["amount"])[0]
        guard case .byteArray(let bytes) = back.values else { Issue.record("not bytes"); return }
        for (i, (text, unscaled)) in Self.cases.enumerated() where unscaled != nil {
            #expect(Decimal128.text(bytes.value(at: i), scale: 18) == text)
        }
    }
}
