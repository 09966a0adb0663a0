import Testing
@testable import Parquet
@testable import Lake

@Suite struct ColumnBuilderTests {
    @Test func nullsAfterValuesAndBefore() {
        var builder = ColumnBuilder(.double("x", nullable: true))
        builder.append(1.5 as Double?)
        builder.append(nil as Double?)
        builder.append(2.5 as Double?)
        let data = builder.take()
        #expect(data == ColumnData(.double([1.5, 0, 2.5]), validity: [true, false, true]))
        #expect(builder.count == 0)

        var strings = ColumnBuilder(.string("s", nullable: true))
        strings.append(nil as String?)
        strings.append("é" as String?)
        #expect(strings.take() == ColumnData(.byteArray(ByteArrayColumn(["", "é"])), validity: [false, true]))
    }

    @Test func noNullsMeansNoMask() {
        var builder = ColumnBuilder(.int64("n"))
        for i in 0..<5 { builder.append(Int64(i) as Int64?) }
        #expect(builder.take() == ColumnData(.int64([0, 1, 2, 3, 4])))
    }

    @Test func filterAndParquetAppend() {
        let a = ColumnData(.byteArray(ByteArrayColumn(["a", "b", "c"])), validity: [true, false, true])
        #expect(a.filtered([true, false, true]) == ColumnData(.byteArray(ByteArrayColumn(["a", "c"])), validity: [true, true]))
        let b = ColumnData(.byteArray(ByteArrayColumn(["d"])))
        var joined = a
        joined.append(b)
        #expect(joined == ColumnData(.byteArray(ByteArrayColumn(["a", "b", "c", "d"])), validity: [true, false, true, true]))
    }
}
