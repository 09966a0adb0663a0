import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Parquet
@testable import TestSupport

@Suite struct SnappyTests {
    static func roundTrip(_ input: [UInt8]) throws -> [UInt8] {
        var compressed: [UInt8] = []
        input.withUnsafeBytes { Snappy.compress($0, into: &compressed) }
        return try compressed.withUnsafeBytes { try Snappy.decompress($0, expectedLength: input.count) }
    }

    static func edgeCases() -> [(String, [UInt8])] {
        var random = SplitMix64(seed: 99)
        let noise = (0..<200_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        var farCopies: [UInt8] = Array(noise[0..<65_535])
        farCopies += noise[0..<4096]  // a copy at offset 65535
        var text: [UInt8] = []
        for i in 0..<30_000 { text += Array("row \(i % 97) agent-\(i % 5) ok;".utf8) }
        return [
            ("empty", []), ("one byte", [0x41]), ("long run", [UInt8](repeating: 7, count: 100_000)),
            ("incompressible", Array(noise[0..<10_000])), ("over 64 KiB random", noise),
            ("offsets up to 65535", farCopies), ("text", text), ("short", Array("abcabcabcabcabcabc".utf8))
        ]
    }

    @Test func edgeCaseRoundTrips() throws {
        for (label, input) in Self.edgeCases() {
            #expect(try Self.roundTrip(input) == input, "\(label)")
        }
        var compressed: [UInt8] = []
        [UInt8](repeating: 0, count: 100_000).withUnsafeBytes { Snappy.compress($0, into: &compressed) }
        #expect(compressed.count < 5000, "long runs compress")
    }

    @Test func handCraftedStreamWithAllFourTags() throws {
        // len 80; literal "abcd"; copy1 (len 8, off 4); copy2 (len 3, off 12); copy4 (len 64, off 5); literal "Z".
        let stream: [UInt8] = [0x50, 0x0C, 0x61, 0x62, 0x63, 0x64, 0x11, 0x04, 0x0A, 0x0C, 0x00, 0xFF, 0x05, 0x00, 0x00, 0x00, 0x00, 0x5A]
        let out = try stream.withUnsafeBytes { try Snappy.decompress($0, expectedLength: 80) }
        var want = Array("abcd".utf8)
        for _ in 0..<8 { want.append(want[want.count - 4]) }
        for _ in 0..<3 { want.append(want[want.count - 12]) }
        for _ in 0..<64 { want.append(want[want.count - 5]) }
        want.append(0x5A)
        #expect(out == want)
    }

    /// Random streams of every tag, with short overlapping copies (offsets 1-20 beside far ones)
    /// and literals of every length up to the end of the output, decode exactly as the format's
    /// byte-by-byte definition: the word-at-a-time paths never read or keep a wrong byte.
    @Test func randomStreamsDecodeAsTheByteByByteDefinition() throws {
        var random = SplitMix64(seed: 5)
        for round in 0..<300 {
            var body: [UInt8] = [], want: [UInt8] = []
            let target = 1 + Int(random.below(round < 100 ? 40 : 3000))
            while want.count < target {
                let room = target - want.count
                if want.isEmpty || random.below(3) == 0 {
                    let length = min(room, 1 + Int(random.below(round % 2 == 0 ? 16 : 90)))
                    if length <= 60 {
                        body.append(UInt8(length - 1) << 2)
                    } else {
                        body += [60 << 2, UInt8(length - 1)]
                    }
                    for _ in 0..<length {
                        let byte = UInt8(truncatingIfNeeded: random.next())
                        body.append(byte)
                        want.append(byte)
                    }
                } else {
                    let near = random.below(2) == 0
                    let offset = 1 + Int(random.below(near ? min(20, want.count) : min(65_535, want.count)))
                    let length = min(room, 1 + Int(random.below(64)))
                    if length >= 4 && length <= 11 && offset < 2048 {
                        body += [UInt8(offset >> 8) << 5 | UInt8(length - 4) << 2 | 1, UInt8(offset & 0xFF)]
                    } else {
                        body += [UInt8(length - 1) << 2 | 2, UInt8(offset & 0xFF), UInt8(offset >> 8)]
                    }
                    for _ in 0..<length { want.append(want[want.count - offset]) }
                }
            }
            var stream: [UInt8] = []
            var length = want.count
            while length >= 0x80 { stream.append(UInt8(length & 0x7F) | 0x80); length >>= 7 }
            stream.append(UInt8(length))
            stream += body
            let out = try stream.withUnsafeBytes { try Snappy.decompress($0, expectedLength: want.count) }
            #expect(out == want, "round \(round)")
        }
    }

    @Test func corruptStreamsFailCleanly() {
        let cases: [(String, [UInt8], Int)] = [
            ("offset 0", [0x08, 0x00, 0x61, 0x01, 0x00], 8),
            ("offset beyond output", [0x08, 0x00, 0x61, 0x0D, 0x09], 8),
            ("length mismatch", [0x05, 0x00, 0x61], 1),
            ("literal past end", [0x05, 0x10, 0x61], 5),
            ("overrun", [0x02, 0x08, 0x61, 0x62, 0x63], 2),
            ("truncated copy", [0x08, 0x00, 0x61, 0x02], 8),
            ("preamble too long", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], 1)
        ]
        for (label, stream, expected) in cases {
            #expect(throws: ParquetError.self, "\(label)") { _ = try stream.withUnsafeBytes { try Snappy.decompress($0, expectedLength: expected) } }
        }
    }

    /// pyarrow's Snappy (the reference C++ library) both ways: it decodes our streams, we decode its.
    @Test func independentImplementationAgrees() throws {
        let dir = TemporaryDirectory("pq-snappy")
        defer { dir.remove() }
        var names: [String] = []
        for (i, (_, input)) in Self.edgeCases().enumerated() {
            var compressed: [UInt8] = []
            input.withUnsafeBytes { Snappy.compress($0, into: &compressed) }
            try Data(input).write(to: URL(fileURLWithPath: dir.file("raw\(i)")))
            try Data(compressed).write(to: URL(fileURLWithPath: dir.file("ours\(i)")))
            names.append("\(i)")
        }
        let script = """
            import sys, pyarrow as pa
            d = sys.argv[1]
            for i in sys.argv[2:]:
                raw = open('%s/raw%s' % (d, i), 'rb').read()
                ours = open('%s/ours%s' % (d, i), 'rb').read()
                back = pa.decompress(ours, decompressed_size=len(raw), codec='snappy', asbytes=True)
                assert back == raw, 'pyarrow decoded our stream %s differently' % i
                open('%s/theirs%s' % (d, i), 'wb').write(pa.compress(raw, codec='snappy', asbytes=True))
            print('ok')
            """
        #expect(try PythonOracle.run(script, [dir.path] + names).trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
        for (i, (label, input)) in Self.edgeCases().enumerated() {
            let theirs = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir.file("theirs\(i)"))))
            let decoded = try theirs.withUnsafeBytes { try Snappy.decompress($0, expectedLength: input.count) }
            #expect(decoded == input, "reference stream \(label)")
        }
    }
}

@Suite struct EncodingTests {
    @Test func rleHybridSpecExamples() {
        var out: [UInt8] = []
        let values: [UInt32] = Array(0..<8)
        values.withUnsafeBufferPointer { RLEHybrid.bitPack($0, 0..<8, bitWidth: 3, into: &out) }
        #expect(out == [0x03, 0x88, 0xC6, 0xFA])
        out = []
        [UInt32](repeating: 5, count: 100).withUnsafeBufferPointer { RLEHybrid.encode($0, bitWidth: 3, into: &out) }
        #expect(out == [0xC8, 0x01, 0x05])
        out = []
        [UInt32](repeating: 300, count: 10).withUnsafeBufferPointer { RLEHybrid.encode($0, bitWidth: 9, into: &out) }
        #expect(out == [0x14, 0x2C, 0x01])
    }

    @Test func rleHybridRoundTripsMixedRuns() throws {
        var random = SplitMix64(seed: 5)
        for width in [1, 2, 3, 7, 8, 9, 16, 20, 32] {
            let maxValue = width == 32 ? UInt64(UInt32.max) : (1 << UInt64(width)) - 1
            var values: [UInt32] = []
            while values.count < 5000 {
                let v = UInt32(random.next() % (maxValue + 1))
                values += [UInt32](repeating: v, count: random.below(3) == 0 ? random.below(40) + 1 : 1)
            }
            var out: [UInt8] = []
            values.withUnsafeBufferPointer { RLEHybrid.encode($0, bitWidth: width, into: &out) }
            #expect(try decodeHybrid(out, width: width, count: values.count) == values, "width \(width)")
        }
    }

    @Test func badRunsFail() {
        let cases: [[UInt8]] = [[0x00, 0x01], [0x01], [0x03], [0x80], [0x02]]
        for bytes in cases {
            #expect(throws: ParquetError.self) { _ = try decodeHybrid(bytes, width: 1, count: 4) }
        }
    }

    @Test func thriftBytesMatchTheFactSheet() throws {
        var w = ThriftCompactWriter()
        SchemaElement(column: .timestamp("ts", nullable: true)).encode(&w)
        #expect(w.bytes == [0x15, 0x04, 0x25, 0x02, 0x18, 0x02, 0x74, 0x73, 0x25, 0x14, 0x4C, 0x8C, 0x11, 0x1C, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x00])
        w = ThriftCompactWriter()
        SchemaElement(column: .string("name", nullable: true)).encode(&w)
        #expect(w.bytes == [0x15, 0x0C, 0x25, 0x02, 0x18, 0x04] + Array("name".utf8) + [0x25, 0x00, 0x4C, 0x1C, 0x00, 0x00, 0x00])
        w = ThriftCompactWriter()
        var h = PageHeader()
        h.uncompressedPageSize = 80; h.compressedPageSize = 80
        h.dataPage = DataPageHeader(numValues: 10, encoding: 0)
        h.encode(&w)
        #expect(w.bytes == [0x15, 0x00, 0x15, 0xA0, 0x01, 0x15, 0xA0, 0x01, 0x2C, 0x15, 0x14, 0x15, 0x00, 0x15, 0x06, 0x15, 0x06, 0x00, 0x00])
        var r = ThriftCompactReader(w.bytes)
        #expect(try PageHeader.decode(&r) == h)
    }

    @Test func readsTheMinimalGoldenFile() throws {
        let golden: [UInt8] = [
            0x50, 0x41, 0x52, 0x31,
            0x15, 0x00, 0x15, 0x18, 0x15, 0x18, 0x2C, 0x15, 0x06, 0x15, 0x00, 0x15, 0x06, 0x15, 0x06, 0x00, 0x00,
            0x01, 0, 0, 0, 0x02, 0, 0, 0, 0x03, 0, 0, 0,
            0x15, 0x02, 0x19, 0x2C, 0x48, 0x06, 0x73, 0x63, 0x68, 0x65, 0x6D, 0x61, 0x15, 0x02, 0x00,
            0x15, 0x02, 0x25, 0x00, 0x18, 0x01, 0x61, 0x00, 0x16, 0x06, 0x19, 0x1C, 0x19, 0x1C, 0x26, 0x00, 0x1C,
            0x15, 0x02, 0x19, 0x15, 0x00, 0x19, 0x18, 0x01, 0x61, 0x15, 0x00, 0x16, 0x06, 0x16, 0x3A, 0x16, 0x3A, 0x26, 0x08, 0x00,
            0x00, 0x16, 0x3A, 0x16, 0x06, 0x00, 0x00, 0x3B, 0x00, 0x00, 0x00, 0x50, 0x41, 0x52, 0x31
        ]
        #expect(golden.count == 100)
        let dir = TemporaryDirectory("pq-golden")
        defer { dir.remove() }
        try Data(golden).write(to: URL(fileURLWithPath: dir.file("g.parquet")))
        let reader = try ParquetReader(path: dir.file("g.parquet"))
        #expect(reader.schema == ParquetSchema([.int32("a")]))
        #expect(try reader.readAll() == [ColumnData(.int32([1, 2, 3]))])
    }
}

func decodeHybrid(_ bytes: [UInt8], width: Int, count: Int) throws -> [UInt32] {
    var out = [UInt32](repeating: 0, count: count)
    let data = bytes
    var failure: ParquetError?
    data.withUnsafeBytes { raw in
        var decoder = RLEHybridDecoder(raw, from: 0, to: raw.count, bitWidth: width)
        out.withUnsafeMutableBufferPointer { b in
            do throws(ParquetError) { try decoder.decode(into: b) } catch { failure = error }
        }
    }
    if let failure { throw failure }
    return out
}
