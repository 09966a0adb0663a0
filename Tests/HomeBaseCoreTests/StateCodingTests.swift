import Foundation
import Testing
@testable import HomeBaseCore

/// What `StateWriter` writes, in pieces through a sink or in one buffer, `StateReader` reads back
/// the same, from memory or from a source that hands out a few bytes at a time (refills, and
/// arrays larger than its buffer read straight into their storage); a cut state is refused.
@Suite struct StateCodingTests {
    struct Pair: Equatable, BitwiseCopyable {
        var key: Int32
        var flag: Bool
        var value: Double?
    }

    static func write(_ out: inout StateWriter) {
        out.raw([0xAB, 0xCD])
        out.int(-42)
        out.double(-0.0)
        out.bool(true)
        out.string("Zürich – 東京")
        out.strings(["", "a", String(repeating: "x", count: 700_000)])
        out.array((0..<400_000).map { Double($0) / 3 })  // 3.2 MB: more than a piece and a buffer
        out.array([Pair(key: 1, flag: true, value: nil), Pair(key: -7, flag: false, value: 2.5)])
        out.optional(Optional<Int64>.none) { $0.int64($1) }
        out.optional(Int64.min) { $0.int64($1) }
        out.array([UInt8]())
    }

    static func read(_ input: inout StateReader) throws {
        #expect(try input.raw(2) == [0xAB, 0xCD])
        #expect(try input.int() == -42)
        #expect(try input.double().bitPattern == (-0.0).bitPattern)
        #expect(try input.bool())
        #expect(try input.string() == "Zürich – 東京")
        #expect(try input.strings() == ["", "a", String(repeating: "x", count: 700_000)])
        #expect(try input.array(of: Double.self) == (0..<400_000).map { Double($0) / 3 })
        #expect(try input.array(of: Pair.self) == [Pair(key: 1, flag: true, value: nil), Pair(key: -7, flag: false, value: 2.5)])
        #expect(try input.optional { try $0.int64() } == nil)
        #expect(try input.optional { try $0.int64() } == Int64.min)
        #expect(try input.array(of: UInt8.self).isEmpty)
        #expect(input.atEnd)
    }

    @Test func piecesAndStreamsReadBackTheSame() throws {
        var whole = StateWriter()
        Self.write(&whole)
        var pieces: [[UInt8]] = []
        var streamed = StateWriter {
            pieces.append($0); return true
        }
        Self.write(&streamed)
        streamed.flush()
        #expect(pieces.count >= 2 && pieces.flatMap { $0 } == whole.bytes && !streamed.failed)

        var fromMemory = StateReader(whole.bytes)
        try Self.read(&fromMemory)
        for step in [1, 7, 4096, 1 << 22] {
            let bytes = whole.bytes
            var at = 0
            var fromSource = StateReader(count: bytes.count) { buffer in
                let n = min(step, buffer.count, bytes.count - at)
                bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[at..<at + n])) }
                at += n
                return n
            }
            try Self.read(&fromSource)
        }
    }

    @Test func aCutStateIsRefused() {
        var whole = StateWriter()
        Self.write(&whole)
        for cut in [0, 9, 20, whole.bytes.count / 2, whole.bytes.count - 1] {
            let bytes = Array(whole.bytes.prefix(cut))
            var at = 0
            var input = StateReader(count: whole.bytes.count) { buffer in  // says more than it has
                let n = min(buffer.count, bytes.count - at)
                bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[at..<at + n])) }
                at += n
                return n
            }
            #expect(throws: StateReader.Damaged.self) { try Self.read(&input) }
        }
        var writer = StateWriter { _ in false }
        Self.write(&writer)
        writer.flush()
        #expect(writer.failed)
    }
}
