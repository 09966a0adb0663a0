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

    /// With `padded`, an array of a struct with padding between its fields (whose bytes are
    /// whatever memory held: compared only as values read back).
    static func write(_ out: inout StateWriter, padded: Bool = true) {
        out.raw([0xAB, 0xCD])
        out.int(-42)
        out.double(-0.0)
        out.bool(true)
        out.string("Zürich – 東京")
        out.strings(["", "a", String(repeating: "x", count: 700_000)])
        out.array((0..<400_000).map { Double($0) / 3 })  // 3.2 MB: more than a piece and a buffer
        if padded { out.array([Pair(key: 1, flag: true, value: nil), Pair(key: -7, flag: false, value: 2.5)]) }
        out.optional(Optional<Int64>.none) { $0.int64($1) }
        out.optional(Int64.min) { $0.int64($1) }
        out.array([UInt8]())
    }

    static func read(_ input: inout StateReader, padded: Bool = true) throws {
        #expect(try input.raw(2) == [0xAB, 0xCD])
        #expect(try input.int() == -42)
        #expect(try input.double().bitPattern == (-0.0).bitPattern)
        #expect(try input.bool())
        #expect(try input.string() == "Zürich – 東京")
        #expect(try input.strings() == ["", "a", String(repeating: "x", count: 700_000)])
        #expect(try input.array(of: Double.self) == (0..<400_000).map { Double($0) / 3 })
        if padded { #expect(try input.array(of: Pair.self) == [Pair(key: 1, flag: true, value: nil), Pair(key: -7, flag: false, value: 2.5)]) }
        #expect(try input.optional { try $0.int64() } == nil)
        #expect(try input.optional { try $0.int64() } == Int64.min)
        #expect(try input.array(of: UInt8.self).isEmpty)
        #expect(input.atEnd)
    }

    /// Collects what a sink is handed.
    final class Pieces {
        var all: [[UInt8]] = []
    }

    /// `bytes` handed out by a source `step` bytes at most per call.
    static func source(_ bytes: [UInt8], step: Int) -> StateReader.Source {
        var at = 0
        return { buffer in
            let n = min(step, buffer.count, bytes.count - at)
            bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[at..<at + n])) }
            at += n
            return n
        }
    }

    @Test func piecesAndStreamsReadBackTheSame() throws {
        var plain = StateWriter()
        Self.write(&plain, padded: false)
        let pieces = Pieces()
        var streamed = StateWriter { piece in
            pieces.all.append(piece)
            return true
        }
        Self.write(&streamed, padded: false)
        streamed.flush()
        #expect(!streamed.failed)
        #expect(pieces.all.count >= 2)
        #expect(pieces.all.flatMap { $0 } == plain.bytes)
        var fromPieces = StateReader(pieces.all.flatMap { $0 })
        try Self.read(&fromPieces, padded: false)

        var whole = StateWriter()
        Self.write(&whole)

        var fromMemory = StateReader(whole.bytes)
        try Self.read(&fromMemory)
        // Refills of a few bytes, and arrays larger than the reader's buffer read straight in.
        for step in [4093, 1 << 22] {
            var fromSource = StateReader(count: whole.bytes.count, source: Self.source(whole.bytes, step: step))
            try Self.read(&fromSource)
        }
        // Every value split across refills (a small state: a byte at a time is slow in debug).
        var small = StateWriter()
        small.int(7)
        small.strings(["ab", "", "Zürich"])
        small.array([1.5, -2.25])
        small.optional(Int64(9)) { $0.int64($1) }
        for step in [1, 3] {
            var input = StateReader(count: small.bytes.count, source: Self.source(small.bytes, step: step))
            #expect(try input.int() == 7)
            #expect(try input.strings() == ["ab", "", "Zürich"])
            #expect(try input.array(of: Double.self) == [1.5, -2.25])
            #expect(try input.optional { try $0.int64() } == 9)
            #expect(input.atEnd)
        }
    }

    @Test func aCutStateIsRefused() {
        var whole = StateWriter()
        Self.write(&whole)
        for cut in [0, 9, 20, whole.bytes.count / 2, whole.bytes.count - 1] {
            // The source says more than it has.
            var input = StateReader(count: whole.bytes.count, source: Self.source(Array(whole.bytes.prefix(cut)), step: 1 << 22))
            #expect(throws: StateReader.Damaged.self) { try Self.read(&input) }
        }
        var writer = StateWriter { _ in false }
        Self.write(&writer)
        writer.flush()
        #expect(writer.failed)
    }
}
