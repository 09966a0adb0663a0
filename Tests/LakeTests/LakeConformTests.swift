import Testing
@testable import Parquet
@testable import Lake

/// A part written under an older schema, brought to the table's current one: columns found by
/// name, a missing nullable column all null, money text made DECIMAL; what cannot be is an error.
@Suite struct LakeConformTests {
    static let table = LakeTable(
        name: "t", schema: ParquetSchema([.int64("n"), .decimal("cost", nullable: true), .string("added", nullable: true)]))

    @Test func olderPartsConform() throws {
        let old = ParquetSchema([.string("cost", nullable: true), .int64("n")])
        let columns = [
            ColumnData(.byteArray(ByteArrayColumn(["1.25", "", "-0.5"])), validity: [true, false, true]), ColumnData(.int64([1, 2, 3]))
        ]
        let conformed = try Self.table.conform(columns, from: old)
        #expect(conformed.count == 3)
        #expect(conformed[0] == ColumnData(.int64([1, 2, 3])))
        guard case .byteArray(let costs) = conformed[1].values else {
            Issue.record("cost is not bytes")
            return
        }
        #expect(conformed[1].validity == [true, false, true])
        #expect(Decimal128.unscaled(costs.value(at: 0)) == 1_250_000_000_000_000_000)
        #expect(Decimal128.unscaled(costs.value(at: 2)) == -500_000_000_000_000_000)
        #expect(conformed[2].validity == [false, false, false] && conformed[2].count == 3)
        // The current schema passes through untouched.
        #expect(try Self.table.conform(conformed, from: Self.table.schema) == conformed)
    }

    @Test func whatCannotConformIsAnErrorNamingTheColumn() {
        let missingRequired = ParquetSchema([.string("cost", nullable: true)])
        #expect(throws: (any Error).self) { try Self.table.conform([ColumnData(.byteArray(ByteArrayColumn(["1"])))], from: missingRequired) }
        let notANumber = ParquetSchema([.int64("n"), .string("cost", nullable: true)])
        do {
            _ = try Self.table.conform([ColumnData(.int64([1])), ColumnData(.byteArray(ByteArrayColumn(["12,50"])))], from: notANumber)
            Issue.record("'12,50' was accepted")
        } catch {
            #expect("\(error)".contains("t.cost: '12,50' is not a decimal number"), "\(error)")
        }
    }
}
