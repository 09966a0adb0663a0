import Testing
import HomeBaseCore
@testable import Ingest

/// The one-pass phrase search gives the bits one search per phrase gives, and the byte-level
/// ANSI stripping what stripping by characters gives.
@Suite struct ByteNeedlesTests {
    static let phrases = ["failover", "fail", "ai", "\"loglevelname\":\"warn", "[model-fetch] error", "x", "rate limit", "lane task"]

    /// Texts mixing the phrases' pieces, case changes, non-ASCII and escapes, from a fixed seed.
    static func texts(_ count: Int) -> [String] {
        let pieces = [
            "Fail", "OVER", "failover", "ai", "\"logLevelName\":\"WARN", "[model-fetch] ", "ERROR", "é", "⇄", "\u{1B}[32m", "\u{1B}",
            "\u{1B}é", "\u{1B}[", "rate", " ", "limit", "Lane Task", "x", "X", "\"", "m"
        ]
        var rng = SplitMix64(seed: 42)
        return (0..<count).map { _ in (0..<rng.below(16)).map { _ in rng.pick(pieces) }.joined() }
    }

    @Test func oneSearchPerPhraseIsTheReference() {
        let needles = ByteNeedles(Self.phrases)
        for text in Self.texts(3_000) + ["", "FAILOVER", "rate limi", "xfailoverx"] {
            var copy = text
            copy.withUTF8 { bytes in
                let raw = UnsafeRawBufferPointer(bytes)
                var expected: UInt64 = 0
                for (k, phrase) in Self.phrases.enumerated() where Self.contains(raw, phrase) { expected |= 1 << UInt64(k) }
                #expect(needles.matches(in: raw) == expected, "\(text.debugDescription)")
                let first = needles.matches(in: raw, stopAtFirst: true)
                #expect((first == 0) == (expected == 0) && first & expected == first && first.nonzeroBitCount <= 1, "\(text.debugDescription)")
            }
        }
    }

    /// The reference: lowercase both sides (ASCII only) and look for the phrase at every offset.
    static func contains(_ raw: UnsafeRawBufferPointer, _ phrase: String) -> Bool {
        let lower = raw.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, needle = Array(phrase.utf8)
        guard lower.count >= needle.count else { return false }
        return (0...(lower.count - needle.count)).contains { Array(lower[$0..<$0 + needle.count]) == needle }
    }

    @Test func ansiStrippedByBytesAsByCharacters() {
        for text in Self.texts(3_000) + ["\u{1B}", "a\u{1B}", "\u{1B}[31", "\u{1B}\u{1B}[1mX", "\u{1B}⇄b", "\u{1B}[38;2;1;2;3mé\u{1B}[0m"] {
            #expect(GatewayLogParser.stripANSI(text) == Self.stripByScalars(text), "\(text.debugDescription)")
        }
    }

    /// The former implementation, by Unicode scalars.
    static func stripByScalars(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var it = text.unicodeScalars.makeIterator()
        while let c = it.next() {
            if c == "\u{1B}" {
                guard let next = it.next() else { break }
                if next == "[" {
                    while let f = it.next(), !(0x40...0x7E).contains(f.value) {}
                }
                continue
            }
            out.append(c)
        }
        return String(out)
    }
}
