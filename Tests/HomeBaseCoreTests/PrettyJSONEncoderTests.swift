import Foundation
import Testing

@testable import HomeBaseCore

/// `PrettyJSONEncoder` against Foundation's `JSONEncoder` with the same options, which is the
/// definition it claims to follow: edge cases by hand, then random trees from a fixed seed.
@Suite struct PrettyJSONEncoderTests {
    struct Inner: Codable {
        var x: Double
        var y: [Int]
        var z: [String: Double]
        var o: Int?
        var e: [Int]
        var eo: [String: Int]
        var nested: [[Double?]]
    }

    struct Edge: Codable {
        var b: Bool
        var s: String
        var d: [Double]
        var i: Int64
        var u: UInt8
        var n: String?
        var inner: Inner
        var arr: [Inner]
        var f: Float
        var keys: [String: String]
        var small: [Int8]
        var big: [UInt64]
    }

    /// Encodes the same key twice and uses super encoders, which synthesized code never does.
    struct Hand: Encodable {
        enum Key: String, CodingKey { case a, b, `super` }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(1, forKey: .a)
            try c.encode("second", forKey: .b)
            try c.encode(2, forKey: .a)
            var sup = c.superEncoder()
            var inner = sup.container(keyedBy: Key.self)
            try inner.encode(true, forKey: .b)
            sup = c.superEncoder(forKey: .b)
            var single = sup.singleValueContainer()
            try single.encode([1.5, 2])
        }
    }

    static func foundation(slashes: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = slashes ? [.prettyPrinted, .sortedKeys] : [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func same<T: Encodable>(_ value: T) throws {
        for slashes in [false, true] {
            let ours = try PrettyJSONEncoder(escapeSlashes: slashes).encode(value)
            let theirs = Array(try foundation(slashes: slashes).encode(value))
            #expect(ours == theirs, "\(String(decoding: ours, as: UTF8.self))\n---\n\(String(decoding: theirs, as: UTF8.self))")
        }
    }

    @Test func edgeCasesMatchFoundation() throws {
        let every = String(decoding: (1..<0x80).map { UInt8($0) }, as: UTF8.self)  // every ASCII control and / \ "
        let inner = Inner(
            x: 3, y: [1, 2], z: ["b": 1, "a": 2, "B": 3, "é": 4, "_": 5, "a1": 6, "a10": 7, "a2": 8, "\u{FF5E}": 9, "😀": 10, "": 11],
            o: nil, e: [], eo: [:], nested: [[], [nil, 1], [nil]])
        let edge = Edge(
            b: true, s: "a/b\"c\\d\n\t\u{01}\u{1f}é😀\u{7f}\u{2028}" + every,
            d: [
                0, -0.0, 1, 1.5, 1e-5, 1e21, 1e16, 1e15, 123456789012345680, 0.1 + 0.2, 5e-324, 1.7976931348623157e308, -2.5,
                100, 12345.678, 2.2250738585072014e-308, -1e-7, 9007199254740993
            ],
            i: .min, u: 255, n: nil, inner: inner, arr: [], f: 0.1, keys: ["k/\u{0}": "v\r\u{8}\u{c}"], small: [-128, 127],
            big: [.max, 0])
        try Self.same(edge)
        try Self.same([edge, edge])
        try Self.same(Hand())
        try Self.same(["only": [String]()])
        try Self.same(42)
        try Self.same("top-level string")
        try Self.same([Double]())
        try Self.same([String: Int]())
        try Self.same([7: "int keys", -1: "minus"])
        // Optionals and arrays of scalars take a path of their own.
        try Self.same([nil, 1.5, -0.0, 1e21] as [Double?])
        try Self.same(["a/b", nil, "é\n"] as [String?])
        try Self.same(["s": ["x", "y/z"], "t": []])
        try Self.same(["n": [3, -1, .max] as [Int], "o": []])
        try Self.same([Int?.none, 3, nil])
        try Self.same(["k": Double?.none, "m": 2.5])
    }

    @Test func nonFiniteNumbersAreRefusedLikeFoundation() {
        for value in [Double.nan, .infinity, -.infinity] {
            #expect(throws: EncodingError.self) { try PrettyJSONEncoder().encode(["x": value]) }
            #expect(throws: EncodingError.self) { try Self.foundation(slashes: false).encode(["x": value]) }
        }
        #expect(throws: EncodingError.self) { try PrettyJSONEncoder().encode([Date()]) }  // not written differently
        #expect(throws: EncodingError.self) { try PrettyJSONEncoder().encode([1, Double?.some(.nan)]) }
        #expect(throws: EncodingError.self) { try PrettyJSONEncoder().encode(["x": [Double.infinity]]) }
    }

    /// A random JSON tree; it encodes itself through the keyed, unkeyed and single-value containers.
    indirect enum Tree: Encodable {
        case object([(String, Tree)])
        case array([Tree])
        case number(Double)
        case integer(Int)
        case text(String)
        case flag(Bool)
        case null

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: Encoder) throws {
            switch self {
            case .object(let members):
                var c = encoder.container(keyedBy: Key.self)
                for (k, v) in members {
                    switch v {
                    case .number(let d): try c.encode(d, forKey: Key(stringValue: k))
                    case .null: try c.encodeNil(forKey: Key(stringValue: k))
                    default: try c.encode(v, forKey: Key(stringValue: k))
                    }
                }
            case .array(let items):
                var c = encoder.unkeyedContainer()
                for item in items { try c.encode(item) }
            case .number(let d):
                var c = encoder.singleValueContainer()
                try c.encode(d)
            case .integer(let i):
                var c = encoder.singleValueContainer()
                try c.encode(i)
            case .text(let s):
                var c = encoder.singleValueContainer()
                try c.encode(s)
            case .flag(let b):
                var c = encoder.singleValueContainer()
                try c.encode(b)
            case .null:
                var c = encoder.singleValueContainer()
                try c.encodeNil()
            }
        }
    }

    static func tree(_ rng: inout SplitMix64, depth: Int) -> Tree {
        let alphabet = Array("ab/\\\"\n\tzé😀\u{1}~ 0".unicodeScalars)
        func text() -> String {
            String(String.UnicodeScalarView((0..<Int(rng.next() % 6)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }))
        }
        switch rng.next() % (depth > 3 ? 5 : 7) {
        case 0:
            let d = Double(bitPattern: rng.next())
            return .number(d.isFinite ? d : 1)
        case 1: return .integer(Int(bitPattern: UInt(rng.next())) >> Int(rng.next() % 64))
        case 2: return .text(text())
        case 3: return rng.next() % 2 == 0 ? .flag(rng.next() % 2 == 0) : .null
        case 4: return .number(Double(Int(rng.next() % 2001) - 1000) / 8)
        case 5: return .array((0..<Int(rng.next() % 5)).map { _ in tree(&rng, depth: depth + 1) })
        default: return .object((0..<Int(rng.next() % 6)).map { _ in (text(), tree(&rng, depth: depth + 1)) })
        }
    }

    @Test func randomTreesMatchFoundation() throws {
        var rng = SplitMix64(seed: 2026)
        for _ in 0..<400 { try Self.same(Self.tree(&rng, depth: 0)) }
    }
}
