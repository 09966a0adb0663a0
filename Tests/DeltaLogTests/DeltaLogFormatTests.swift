import Foundation
import Parquet
import Testing
import TestSupport
@testable import DeltaLog

/// The pieces of the format, checked against values worked out by hand from the Delta protocol.
@Suite struct DeltaLogFormatTests {
    @Test func commitFileNamesAreTwentyDigits() {
        #expect(DeltaTableLog.commitFileName(0) == "00000000000000000000.json")
        #expect(DeltaTableLog.commitFileName(123) == "00000000000000000123.json")
        #expect(DeltaTableLog.version(ofFileName: "00000000000000000123.json") == 123)
        #expect(DeltaTableLog.version(ofFileName: "0000000000000000123.json") == nil)
        #expect(DeltaTableLog.version(ofFileName: "00000000000000000010.checkpoint.parquet") == nil)
        #expect(DeltaTableLog.version(ofFileName: ".homebase-commit-12-3-1.json.tmp") == nil)
        #expect(DeltaTableLog.writerPID(ofTemporary: DeltaTableLog.temporaryName(version: 7, pid: 4242, thread: 99)) == 4242)
        #expect(DeltaTableLog.writerPID(ofTemporary: "00000000000000000001.json") == nil)
    }

    @Test func pathsArePercentEncoded() {
        #expect(DeltaPath.encode("date=2026-11-03/part-4-1 (merged).parquet") == "date=2026-11-03/part-4-1%20%28merged%29.parquet")
        #expect(DeltaPath.encode("a%b/é~_.") == "a%25b/%C3%A9~_.")
        #expect(DeltaPath.decode("a%2fb%20c") == "a/b c")
        #expect(DeltaPath.decode("a%25b/%C3%A9") == "a%b/é")
        #expect(DeltaPath.decode("bad%2") == nil)
    }

    @Test func sparkSchemaFromParquet() throws {
        let schema = ParquetSchema([.timestamp("ts"), .string("s", nullable: true), .int32("n"), .int64("l"), .double("d"), .boolean("b")])
        let json = try SparkSchema.json(for: schema, partitionColumns: [.date])
        let field = { (name: String, type: String, nullable: Bool) in
            "{\"name\":\"\(name)\",\"type\":\"\(type)\",\"nullable\":\(nullable),\"metadata\":{}}"
        }
        let fields = [
            field("ts", "timestamp", false), field("s", "string", true), field("n", "integer", false), field("l", "long", false),
            field("d", "double", false), field("b", "boolean", false), field("date", "date", true)
        ]
        #expect(json == "{\"type\":\"struct\",\"fields\":[" + fields.joined(separator: ",") + "]}")
        #expect(throws: DeltaLogError.self) { try SparkSchema.sparkType(ColumnSchema("u", .int64, .integer(bitWidth: 64, signed: false))) }
        #expect(throws: DeltaLogError.self) { try SparkSchema.sparkType(ColumnSchema("t", .int64, .timestampNanosUTC)) }
        #expect(throws: DeltaLogError.self) { try SparkSchema.json(for: ParquetSchema([.string("date")]), partitionColumns: [.date]) }
    }

    /// A stored time outside years 0001–9999 (ingest refuses them; an older build or another tool
    /// may have written one) gets no bound rather than trapping on overflow.
    @Test func timestampsOutsideTheYearsHaveNoBound() throws {
        let dir = TemporaryDirectory("homebase-delta-extreme")
        defer { dir.remove() }
        let path = dir.file("extreme.parquet")
        let writer = try ParquetWriter(path: path, schema: ParquetSchema([.timestamp("ts"), .int64("n")]), options: WriterOptions())
        try writer.write([ColumnData(.int64([Int64.min, 0, Int64.max])), ColumnData(.int64([1, 2, 3]))])
        try writer.close()
        let stats = try DeltaFileStats(parquetAt: path)
        #expect(stats.numRecords == 3)
        #expect(!stats.minValues.contains { $0.0 == "ts" } && !stats.maxValues.contains { $0.0 == "ts" })
        #expect(stats.minValues.first { $0.0 == "n" }?.1 == "1")
    }

    @Test func statsTimestampsWidenToTheMillisecond() {
        #expect(DeltaFileStats.millisecondText(micros: 1_500, roundUp: false) == "1970-01-01T00:00:00.001Z")
        #expect(DeltaFileStats.millisecondText(micros: 1_500, roundUp: true) == "1970-01-01T00:00:00.002Z")
        #expect(DeltaFileStats.millisecondText(micros: 2_000, roundUp: true) == "1970-01-01T00:00:00.002Z")
        #expect(DeltaFileStats.millisecondText(micros: -1, roundUp: false) == "1969-12-31T23:59:59.999Z")
        #expect(DeltaFileStats.millisecondText(micros: -1, roundUp: true) == "1970-01-01T00:00:00.000Z")
    }

    @Test func tableIDIsAStableUUID() {
        let id = DeltaMetadata.tableID(seed: "lake-1/requests")
        #expect(id == DeltaMetadata.tableID(seed: "lake-1/requests"))
        #expect(id != DeltaMetadata.tableID(seed: "lake-1/gateway_events"))
        let groups = id.split(separator: "-").map(\.count)
        #expect(groups == [8, 4, 4, 4, 12])
        #expect(Array(id)[14] == "5")
        #expect(UUID(uuidString: id) != nil)
    }

    @Test func statsFromAFooterWithAnAllNullColumn() throws {
        let dir = TemporaryDirectory("delta-stats")
        defer { dir.remove() }
        let path = dir.file("p.parquet")
        let writer = try ParquetWriter(path: path, schema: ParquetSchema([.timestamp("ts"), .string("s", nullable: true), .boolean("b")]))
        try writer.write([
            ColumnData(.int64([1_000_001, 1_000_000])), ColumnData(.byteArray(ByteArrayColumn(["", ""])), validity: [false, false]),
            ColumnData(.boolean([true, false]))
        ])
        try writer.close()
        let stats = try DeltaFileStats(parquetAt: path)
        #expect(
            stats.json == """
                {"numRecords":2,"minValues":{"ts":"1970-01-01T00:00:01.000Z"},"maxValues":{"ts":"1970-01-01T00:00:01.001Z"},\
                "nullCount":{"ts":0,"s":2,"b":0}}
                """)
        #expect(throws: DeltaLogError.self) { try DeltaFileStats(parquetAt: dir.file("missing.parquet")) }
    }

    @Test func commitActionsAndNetting() throws {
        let kept = DeltaDataFile(
            path: "date=2026-11-03/a b.parquet", partitionValues: ["date": "2026-11-03"], size: 10,
            modificationTime: 5, dataChange: false, stats: nil)
        let transient = DeltaDataFile(
            path: "date=2026-11-03/t.parquet", partitionValues: ["date": "2026-11-03"], size: 3,
            modificationTime: 5, dataChange: true, stats: nil)
        let gone = DeltaRemovedFile(path: "date=2026-11-03/old.parquet", partitionValues: ["date": "2026-11-03"], size: 7, dataChange: false)
        let transientRemoved = DeltaRemovedFile(path: transient.path, partitionValues: ["date": "2026-11-03"], size: 3, dataChange: true)
        let commit = DeltaCommit(snapshot: 9, timestampMillis: 1234, added: [kept, transient], removed: [gone, transientRemoved])
        // The part written and compacted away within the snapshot leaves no trace; the rest only rearranges rows.
        #expect(commit.operation == "OPTIMIZE")
        let lines = try commit.lines(isFirstVersion: false, engineInfo: "homebase")
        #expect(
            lines == [
                """
                {"commitInfo":{"timestamp":1234,"operation":"OPTIMIZE","operationParameters":{"predicate":"[]","zOrderBy":"[]"},\
                "isBlindAppend":false,"operationMetrics":{"numAddedFiles":"1","numRemovedFiles":"1","numOutputRows":"0"},\
                "engineInfo":"homebase","homebaseSnapshot":9}}
                """,
                """
                {"remove":{"path":"date=2026-11-03/old.parquet","deletionTimestamp":1234,"dataChange":false,"extendedFileMetadata":true,\
                "partitionValues":{"date":"2026-11-03"},"size":7}}
                """,
                """
                {"add":{"path":"date=2026-11-03/a%20b.parquet","partitionValues":{"date":"2026-11-03"},"size":10,"modificationTime":5,\
                "dataChange":false}}
                """
            ])
        #expect(DeltaCommit(snapshot: 1, timestampMillis: 0, added: [transient]).operation == "WRITE")
        let create = DeltaCommit(snapshot: 0, timestampMillis: 0, metadata: DeltaTestTable.metadata(createdTime: 0))
        #expect(create.operation == "CREATE TABLE")
        let first = try create.lines(isFirstVersion: true, engineInfo: "homebase")
        #expect(first.count == 3 && first[1] == "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}")
        #expect(first[2].hasPrefix("{\"metaData\":{\"id\":\"\(DeltaMetadata.tableID(seed: "test-lake/requests"))\",\"name\":\"requests\","))
    }
}
