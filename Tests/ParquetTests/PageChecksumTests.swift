import Foundation
import Testing
@testable import SQLiteStore
@testable import Parquet
@testable import TestSupport

/// Page CRC-32s (the `crc` field of `PageHeader`): pyarrow, verifying page checksums, is the
/// oracle that what we write is the CRC the format means; a flipped bit in a page is an error
/// naming the file, never a silently different value.
@Suite struct PageChecksumTests {
    static let verify = """
        import sys, pyarrow.parquet as pq
        try:
            t = pq.read_table(sys.argv[1], page_checksum_verification=True)
            print('ok', t.num_rows)
        except Exception as e:
            print('error', type(e).__name__)
        """

    static func write(_ dir: TemporaryDirectory, codec: CompressionCodec) throws -> (path: String, bytes: [UInt8], rows: Int) {
        let (schema, columns) = sampleTable(rows: 300, pattern: .alternating, seed: 7)
        let path = dir.file("crc-\(codec).parquet")
        var options = WriterOptions(codec: codec)
        options.pageBytes = 512
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        try writer.write(columns)
        try writer.close()
        return (path, [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), 300)
    }

    @Test(arguments: [CompressionCodec.snappy, .gzip, .uncompressed])
    func pyarrowVerifiesOurChecksums(_ codec: CompressionCodec) throws {
        let dir = TemporaryDirectory("pq-crc")
        defer { dir.remove() }
        let file = try Self.write(dir, codec: codec)
        #expect(try PythonOracle.run(Self.verify, [file.path]).trimmingCharacters(in: .whitespacesAndNewlines) == "ok 300")
        // Every page carries a CRC.
        var reader = ThriftCompactReader(file.bytes, from: 4)
        let first = try PageHeader.decode(&reader)
        #expect(first.crc != nil)
    }

    @Test func everyBitFlipInTheFirstPageIsDetected() throws {
        let dir = TemporaryDirectory("pq-crc-flip")
        defer { dir.remove() }
        let file = try Self.write(dir, codec: .snappy)
        var reader = ThriftCompactReader(file.bytes, from: 4)
        let header = try PageHeader.decode(&reader)
        let body = reader.position..<(reader.position + Int(header.compressedPageSize))
        let path = dir.file("flipped.parquet")
        var undetected: [Int] = []
        for (n, at) in body.enumerated() {
            var bytes = file.bytes
            bytes[at] ^= 1 << UInt8(n % 8)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                _ = try ParquetReader(path: path).readAll()
                undetected.append(at)
            } catch let error as ParquetError {
                #expect(error.description.hasPrefix(path + ": column '"), "\(error)")
                #expect(error.message.contains("page CRC-32 mismatch"), "\(error)")
            }
        }
        #expect(undetected.isEmpty, "\(undetected)")
        // The oracle agrees that the last flipped file is damaged.
        #expect(try PythonOracle.run(Self.verify, [path]).hasPrefix("error"))
    }
}
