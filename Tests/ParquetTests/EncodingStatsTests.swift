import Foundation
import Testing
@testable import Parquet
@testable import TestSupport

/// `ColumnMetaData.encoding_stats` (pages per page type and encoding), read back by DuckDB's
/// `parquet_metadata()`: parquet-java prunes row groups by dictionary only when these say every
/// data page is dictionary-encoded, so a column that fell back to PLAIN must say so.
@Suite struct EncodingStatsTests {
    @Test func duckdbReadsThePageCountsWeWrote() throws {
        let dir = TemporaryDirectory("homebase-encoding-stats")
        defer { dir.remove() }
        let path = dir.file("stats.parquet")
        let rows = 2000
        let schema = ParquetSchema([.string("few"), .double("distinct"), .string("many")])
        // few: 3 values → one dictionary page + one data page; distinct: every value different,
        // 8 bytes each → PLAIN pages of at most 4 KiB (16000 bytes: 4 pages); many: distinct
        // strings past a 1 KiB dictionary → dictionary, its data page, then PLAIN pages.
        let columns = [
            ColumnData(.byteArray(ByteArrayColumn((0..<rows).map { ["a", "b", "c"][$0 % 3] }))),
            ColumnData(.double((0..<rows).map { Double($0) * 1.5 + 0.25 })),
            ColumnData(.byteArray(ByteArrayColumn((0..<rows).map { "value-\($0)" })))
        ]
        var options = WriterOptions()
        options.pageBytes = 4096
        options.dictionaryPageLimit = 1024
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        try writer.write(columns)
        try writer.close()
        let out = try PythonOracle.run(
            """
            import sys, duckdb
            for name, stats in duckdb.sql(f"SELECT path_in_schema, encoding_stats FROM parquet_metadata('{sys.argv[1]}') ORDER BY column_id").fetchall():
                print(name, ' '.join(f"{s['page_type']}/{s['encoding']}={s['count']}" for s in stats))
            """, [path])
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines.first == "few DICTIONARY_PAGE/PLAIN=1 DATA_PAGE/RLE_DICTIONARY=1")
        #expect(lines.dropFirst().first == "distinct DATA_PAGE/PLAIN=4")
        let many = lines.last ?? ""
        #expect(many.hasPrefix("many DICTIONARY_PAGE/PLAIN=1 DATA_PAGE/RLE_DICTIONARY=1 DATA_PAGE/PLAIN="), "\(many)")
    }
}
