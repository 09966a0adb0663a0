import Foundation
import HomeBaseCore
@testable import ObjectStore
import TestSupport
import Testing

/// HMAC-SHA256 against RFC 4231 and Python's hmac; MD5 against RFC 1321 and Python's hashlib.
@Suite struct DigestTests {
    @Test func hMACMatchesRFC4231() {
        // Test case 1: key 0x0b × 20, "Hi There".
        #expect(
            SHA256.hexString(HMAC.sha256(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8)))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        // Test case 2: key "Jefe".
        #expect(
            SHA256.hexString(HMAC.sha256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // Test case 6: a 131-byte key, longer than the block, is hashed first.
        #expect(
            SHA256.hexString(
                HMAC.sha256(
                    key: [UInt8](repeating: 0xaa, count: 131),
                    message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    /// Keys and messages of lengths around the 64-byte block against Python's hmac module.
    @Test func hMACMatchesPython() throws {
        var rng = SplitMix(seed: 7)
        var cases: [(key: [UInt8], message: [UInt8])] = []
        for keyLength in [0, 1, 32, 63, 64, 65, 200] {
            for messageLength in [0, 55, 56, 64, 119, 1000] {
                cases.append(((0..<keyLength).map { _ in rng.byte() }, (0..<messageLength).map { _ in rng.byte() }))
            }
        }
        let input = cases.map { SHA256.hexString($0.key) + " " + SHA256.hexString($0.message) }.joined(separator: "\n")
        let expected = try PythonOracle.run(
            """
            import sys, hmac, hashlib
            for line in sys.stdin.read().split("\\n"):
                k, m = line.split(" ")
                print(hmac.new(bytes.fromhex(k), bytes.fromhex(m), hashlib.sha256).hexdigest())
            """, stdin: Data(input.utf8)
        ).split(separator: "\n").map(String.init)
        #expect(cases.map { SHA256.hexString(HMAC.sha256(key: $0.key, message: $0.message)) } == expected)
    }

    @Test func mD5MatchesRFC1321() {
        #expect(SHA256.hexString(MD5.digest([UInt8]())) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(SHA256.hexString(MD5.digest(Array("abc".utf8))) == "900150983cd24fb0d6963f7d28e17f72")
        #expect(SHA256.hexString(MD5.digest(Array("message digest".utf8))) == "f96b697d7cb7938d525a2f31aaf161d0")
        #expect(
            SHA256.hexString(MD5.digest(Array("12345678901234567890123456789012345678901234567890123456789012345678901234567890".utf8)))
                == "57edf4a22be3c955ac49da2e2107b67a")
    }

    /// Lengths across block boundaries, fed in uneven chunks, against hashlib.
    @Test func mD5StreamingMatchesPython() throws {
        var rng = SplitMix(seed: 11)
        let lengths = [1, 55, 56, 57, 63, 64, 65, 127, 128, 129, 1000, 70_000]
        let blobs = lengths.map { n in (0..<n).map { _ in rng.byte() } }
        let expected = try PythonOracle.run(
            """
            import sys, hashlib
            for line in sys.stdin.read().split("\\n"):
                print(hashlib.md5(bytes.fromhex(line)).hexdigest())
            """, stdin: Data(blobs.map { SHA256.hexString($0) }.joined(separator: "\n").utf8)
        ).split(separator: "\n").map(String.init)
        let ours = blobs.map { blob -> String in
            var md5 = MD5()
            var offset = 0, step = 1
            while offset < blob.count {
                let end = min(blob.count, offset + step)
                md5.update(Array(blob[offset..<end]))
                offset = end
                step = step * 3 + 1
            }
            return SHA256.hexString(md5.finalize())
        }
        #expect(ours == expected)
    }
}

/// Seeded test data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
    mutating func bytes(_ count: Int) -> Data {
        var data = Data(capacity: count)
        while data.count < count {
            var word = next()
            withUnsafeBytes(of: &word) { data.append(contentsOf: $0.prefix(count - data.count)) }
        }
        return data
    }
}
