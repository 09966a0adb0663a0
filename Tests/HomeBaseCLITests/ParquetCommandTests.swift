import Foundation
import Testing
@testable import SQLiteStore
@testable import Parquet
@testable import Pipeline
@testable import HomeBaseCLI
@testable import TestSupport

@Suite struct ParquetCommandTests {
    /// A small file: ts, date, string with a comma/quote/emoji, nullable double, bool.
    static func makeFile(_ dir: TemporaryDirectory) throws -> String {
        let path = dir.file("t.parquet")
        let schema = ParquetSchema([.timestamp("ts"), .date("day"), .string("name"), .double("cost", nullable: true), .boolean("ok")])
        var options = WriterOptions(codec: .snappy)
        options.keyValueMetadata = [("table", "requests")]
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        try writer.write([
            ColumnData(.int64([0, 1_709_164_800_123_456, -1])),
            ColumnData(.int32([0, 19782, -1])),
            ColumnData(.byteArray(ByteArrayColumn(["plain", "a,\"b\"", "🎉"]))),
            ColumnData(.double([1.5, 0, .nan]), validity: [true, false, true]),
            ColumnData(.boolean([true, false, true]))
        ])
        try writer.close()
        return path
    }

    static func run(_ arguments: [String]) -> (ExitCode, String, String) {
        let console = Console.capturing()
        let code = CommandLineTool.run(arguments, console: console)
        return (code, console.capturedOut, console.capturedErr)
    }

    @Test func catCSVAndJSONLines() throws {
        let dir = TemporaryDirectory("pq-cli")
        defer { dir.remove() }
        let path = try Self.makeFile(dir)
        let (code, out, _) = Self.run(["parquet", "cat", path])
        #expect(code == .success)
        let expected = """
            ts,day,name,cost,ok
            1970-01-01T00:00:00.000000Z,1970-01-01,plain,1.5,true
            2024-02-29T00:00:00.123456Z,2024-02-29,\"a,\"\"b\"\"\",,false
            1969-12-31T23:59:59.999999Z,1969-12-31,🎉,NaN,true

            """
        #expect(out == expected)
        let (jsonCode, json, _) = Self.run(["parquet", "cat", path, "--format", "jsonl", "--columns", "name,cost", "--limit", "2"])
        #expect(jsonCode == .success)
        #expect(json == "{\"name\":\"plain\",\"cost\":1.5}\n{\"name\":\"a,\\\"b\\\"\",\"cost\":null}\n")
        for line in json.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "valid JSON: \(line)")
        }
    }

    @Test func schemaAndMeta() throws {
        let dir = TemporaryDirectory("pq-cli")
        defer { dir.remove() }
        let path = try Self.makeFile(dir)
        let (code, out, _) = Self.run(["parquet", "schema", path])
        #expect(code == .success)
        let expected = """
            5 columns, 3 rows
              ts    INT64 TIMESTAMP(MICROS,UTC)  required
              day   INT32 DATE  required
              name  BYTE_ARRAY STRING  required
              cost  DOUBLE  optional
              ok    BOOLEAN  required

            """
        #expect(out == expected)
        let (metaCode, meta, _) = Self.run(["parquet", "meta", path])
        #expect(metaCode == .success)
        #expect(meta.contains("rows: 3\nrow groups: 1\ncreated by: homebase\nmetadata: table = requests\n"))
        #expect(meta.contains("  ts: SNAPPY"))
        #expect(meta.contains("min 1969-12-31T23:59:59.999999Z, max 2024-02-29T00:00:00.123456Z"))
        #expect(meta.contains("  cost: SNAPPY [PLAIN,RLE]"))
        #expect(meta.contains("nulls 1, min 1.5, max 1.5"), "NaN is left out of the statistics")
        #expect(meta.contains("min \"a,\\\"b\\\"\", max \"🎉\""))
    }

    @Test func corruptFileIsOneLineAndExitOne() throws {
        let dir = TemporaryDirectory("pq-cli")
        defer { dir.remove() }
        let path = try Self.makeFile(dir)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 2] = 0
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let (code, out, err) = Self.run(["parquet", "cat", path])
        #expect(code == .failure)
        #expect(out.isEmpty)
        #expect(err == "homebase parquet: \(path): not a Parquet file: bad magic at the end (at byte \(bytes.count - 4))\n")
        let (missingCode, _, missing) = Self.run(["parquet", "meta", dir.file("nope.parquet")])
        #expect(missingCode == .failure)
        #expect(missing.hasPrefix("homebase parquet: \(dir.file("nope.parquet")): cannot open"))
    }

    @Test func usageErrorsExitTwo() throws {
        let dir = TemporaryDirectory("pq-cli")
        defer { dir.remove() }
        let path = try Self.makeFile(dir)
        for arguments in [
            ["parquet"], ["parquet", "cat"], ["parquet", "show", path], ["parquet", "cat", path, "--format", "xml"],
            ["parquet", "cat", path, "--limit", "x"], ["parquet", "schema", path, "--limit", "3"],
            ["parquet", "cat", path, "--columns", "nope"], ["parquet", "cat", path, "--bogus"]
        ] {
            let (code, _, err) = Self.run(arguments)
            #expect(code == .usage, "\(arguments)")
            #expect(err.hasPrefix("homebase parquet: ") && err.split(separator: "\n").count == 1, "\(arguments): \(err)")
        }
    }
}
