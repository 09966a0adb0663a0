import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import TestSupport

/// Our SHA-256 against the FIPS 180-4 / NIST example vectors, streaming in awkward chunk sizes,
/// and Python's hashlib on random inputs of random sizes.
@Suite struct BackupSHA256Tests {
    @Test func nistVectors() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let long = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
        #expect(SHA256.hex(Array(long.utf8)) == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
        #expect(
            SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// 55 bytes fit one padded block, 56 need two (55 + 1 + 8 = 64; 56 + 1 + 8 = 65).
    @Test func paddingBoundaries() {
        let a = UInt8(ascii: "a")
        #expect(SHA256.hex([UInt8](repeating: a, count: 55)) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(SHA256.hex([UInt8](repeating: a, count: 56)) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        #expect(SHA256.hex([UInt8](repeating: a, count: 63)) == "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34")
        #expect(SHA256.hex([UInt8](repeating: a, count: 64)) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
        #expect(SHA256.hex([UInt8](repeating: a, count: 65)) == "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0")
    }

    @Test(arguments: [1, 63, 64, 65, 4096])
    func streamingChunks(size: Int) {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        var hasher = SHA256()
        var offset = 0
        while offset < message.count {
            let end = min(offset + size, message.count)
            message[offset..<end].withUnsafeBytes { hasher.update($0) }
            offset = end
        }
        #expect(hasher.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// 40 random messages of random sizes (0…200 000 bytes) hashed by Python's hashlib.
    @Test func matchesHashlibOnRandomSizes() throws {
        let dir = TemporaryDirectory("homebase-sha")
        defer { dir.remove() }
        var random = SplitMix64(seed: 0x5EED)
        var expected: [String] = []
        var paths: [String] = []
        for index in 0..<40 {
            let size = index < 3 ? [0, 1, 119][index] : Int(random.next() % 200_001)
            let bytes = (0..<size).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let path = dir.file("m\(index)")
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            paths.append(path)
            var hasher = SHA256()
            // Feed in chunks of a random size to exercise the pending-block path too.
            let chunk = 1 + Int(random.next() % 1000)
            var offset = 0
            repeat {
                let end = min(offset + chunk, bytes.count)
                bytes[offset..<end].withUnsafeBytes { hasher.update($0) }
                offset = end
            } while offset < bytes.count
            expected.append(hasher.finalizeHex())
        }
        let out = try PythonOracle.run(
            """
            import sys, hashlib
            for p in sys.argv[1:]: print(hashlib.sha256(open(p, 'rb').read()).hexdigest())
            """, paths)
        #expect(out.split(separator: "\n").map(String.init) == expected)
    }
}
