import Testing
@testable import Parquet
@Suite struct SchemaTests { @Test func lookup() { #expect(ParquetSchema([.int64("a"), .string("b")]).index(of: "b") == 1) } }
