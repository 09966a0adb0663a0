import Foundation
import Testing
@testable import HomeBaseCore
@testable import Codecs
@testable import TestSupport

/// The one zlib wrapper against Python's zlib (an independent binding): every framing round-trips
/// through the other side, CRC-32 agrees, and damaged or wrong-length streams are errors.
@Suite struct ZlibTests {
    static let sample: [UInt8] = {
        var random = SplitMix64(seed: 26)
        return (0..<200_000).map { i in i % 7 == 0 ? UInt8(truncatingIfNeeded: random.next()) : UInt8(ascii: "a") + UInt8(i % 13) }
    }()

    @Test func everyFramingInflatesInPython() throws {
        for (framing, wbits) in [(Zlib.Framing.raw, -15), (.zlib, 15), (.gzip, 31)] {
            let packed = try Zlib.deflate(Self.sample, framing: framing)
            let digest = try PythonOracle.run(
                "import sys, zlib, hashlib; d = zlib.decompress(sys.stdin.buffer.read(), \(wbits)); print(len(d), hashlib.sha256(d).hexdigest())",
                stdin: Data(packed)
            ).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(digest == "\(Self.sample.count) \(SHA256.hex(Self.sample))", "\(framing)")
        }
    }

    @Test func pythonGzipInflatesHereAndCRCsAgree() throws {
        let hex = try PythonOracle.run(
            "import sys, gzip, zlib; d = sys.stdin.buffer.read(); print(gzip.compress(d, 9, mtime=0).hex()); print(zlib.crc32(d))",
            stdin: Data(Self.sample)
        ).split(separator: "\n")
        let packed = try #require(Self.bytes(hex: String(hex[0])))
        let inflated = try packed.withUnsafeBytes { try Zlib.inflate($0, expectedLength: Self.sample.count, name: "py.gz") }
        #expect(inflated == Self.sample)
        #expect(String(Zlib.crc32(Self.sample)) == String(hex[1]))
        // crc32("123456789") = 0xCBF43926, the check value of the CRC-32 catalogue.
        #expect(Zlib.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func wrongLengthOrDamageIsAnError() throws {
        let packed = try Zlib.deflate(Self.sample, framing: .gzip)
        #expect(throws: CodecError.self) {
            try packed.withUnsafeBytes { try Zlib.inflate($0, expectedLength: Self.sample.count - 1, name: "short") }
        }
        #expect(throws: CodecError.self) {
            try packed.withUnsafeBytes { try Zlib.inflate($0, expectedLength: Self.sample.count + 1, name: "long") }
        }
        var damaged = packed
        damaged[damaged.count / 2] ^= 0xFF
        #expect(throws: CodecError.self) {
            try damaged.withUnsafeBytes { try Zlib.inflate($0, expectedLength: Self.sample.count, name: "damaged") }
        }
    }

    static func bytes(hex: String) -> [UInt8]? {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            out.append(byte)
            index = next
        }
        return out
    }
}
