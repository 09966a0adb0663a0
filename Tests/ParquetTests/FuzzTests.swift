import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Parquet
@testable import TestSupport

/// Seeded mutations of valid files: the reader must return data or throw `ParquetError`
/// naming the file — never crash, hang or throw anything else.
@Suite struct FuzzTests {
    static func seedFiles(_ dir: TemporaryDirectory) throws -> [[UInt8]] {
        var files: [[UInt8]] = []
        for (i, codec) in [CompressionCodec.snappy, .gzip, .uncompressed].enumerated() {
            let (schema, columns) = sampleTable(rows: 120, pattern: i == 1 ? .runs : .alternating, seed: UInt64(i))
            let path = dir.file("seed\(i).parquet")
            var options = WriterOptions(codec: codec)
            options.pageBytes = 256
            options.rowGroupBytes = 4000
            let writer = try ParquetWriter(path: path, schema: schema, options: options)
            try writer.write(columns)
            try writer.close()
            files.append([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        }
        return files
    }

    static func mutate(_ file: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = file
        switch random.below(4) {
        case 0:
            for _ in 0...random.below(4) {
                let at = random.below(bytes.count)
                bytes[at] ^= 1 << UInt8(random.below(8))
            }
        case 1:
            bytes.removeLast(1 + random.below(bytes.count - 1))
        case 2:
            // Overwrite with a long or huge varint (lengths, counts, sizes).
            let at = random.below(bytes.count)
            let varint: [UInt8] = [
                [0xFF, 0xFF, 0xFF, 0xFF, 0x0F], [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], [0xFE, 0xFF, 0xFF, 0xFF, 0x07],
                [0x00]
            ][random.below(4)]
            for (k, b) in varint.enumerated() where at + k < bytes.count { bytes[at + k] = b }
        default:
            // Mutate inside the footer, where structure lives.
            let footerLength = Int(bytes[bytes.count - 8]) | Int(bytes[bytes.count - 7]) << 8
            let start = max(4, bytes.count - 8 - footerLength)
            let at = start + random.below(max(1, bytes.count - 8 - start))
            bytes[at] = UInt8(truncatingIfNeeded: random.next())
        }
        return bytes
    }

    @Test func mutatedFilesFailCleanly() throws {
        let dir = TemporaryDirectory("pq-fuzz")
        defer { dir.remove() }
        let seeds = try Self.seedFiles(dir)
        var random = SplitMix64(seed: 2024)
        let path = dir.file("mutant.parquet")
        var failures = 0, successes = 0, foreign: [String] = []
        let iterations = Int(ProcessInfo.processInfo.environment["FUZZ_ITERATIONS"] ?? "") ?? 3000  // `make fuzz` runs more
        for iteration in 0..<iterations {
            let mutant = Self.mutate(seeds[iteration % seeds.count], &random)
            try Data(mutant).write(to: URL(fileURLWithPath: path))
            do {
                let reader = try ParquetReader(path: path)
                _ = try reader.readAll()
                successes += 1
            } catch let error as ParquetError {
                failures += 1
                if !error.description.contains(path) { foreign.append("iteration \(iteration): error does not name the file: \(error)") }
            } catch {
                foreign.append("iteration \(iteration): \(type(of: error)) \(error)")
            }
        }
        #expect(foreign.isEmpty, "\(foreign.prefix(5))")
        #expect(failures > iterations / 3, "most mutations are detected (\(failures) failures, \(successes) successes)")
    }

    @Test func specificCorruptionsNameTheProblem() throws {
        let dir = TemporaryDirectory("pq-corrupt")
        defer { dir.remove() }
        let good = try Self.seedFiles(dir)[0]
        let path = dir.file("bad.parquet")
        func message(_ bytes: [UInt8]) -> String {
            try? Data(bytes).write(to: URL(fileURLWithPath: path))
            do { _ = try ParquetReader(path: path).readAll(); return "no error" } catch { return "\(error)" }
        }
        var badMagic = good; badMagic[badMagic.count - 1] = 0x30
        #expect(message(badMagic).contains("bad magic"))
        var badLength = good; badLength[badLength.count - 5] = 0x7F
        #expect(message(badLength).contains("bad footer length"))
        #expect(message(Array(good.prefix(6))).contains("not a Parquet file"))
        var brokenThrift = good
        let footerLength = Int(good[good.count - 8]) | Int(good[good.count - 7]) << 8
        for k in 0..<8 { brokenThrift[good.count - 8 - footerLength + k] = 0xFF }
        #expect(message(brokenThrift).contains("broken Thrift"))
        var pageData = good
        for k in 30..<60 { pageData[k] = 0xAB }
        let pageMessage = message(pageData)
        #expect(pageMessage.hasPrefix(path + ": column '"), "\(pageMessage)")
        #expect(message([]).contains("only 0 bytes"))
    }
}
