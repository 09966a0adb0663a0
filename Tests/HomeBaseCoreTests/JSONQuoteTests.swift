import Foundation
import Testing
@testable import HomeBaseCore

/// JSON string literals by hand, and random strings read back by Foundation's JSON parser.
@Suite struct JSONQuoteTests {
    @Test func byHand() {
        #expect(JSONQuote.quote("plain") == "\"plain\"")
        #expect(JSONQuote.quote("") == "\"\"")
        #expect(JSONQuote.quote("a\"b\\c") == "\"a\\\"b\\\\c\"")
        #expect(JSONQuote.quote("l1\nl2\r\n\tx") == "\"l1\\nl2\\r\\n\\tx\"")
        #expect(JSONQuote.quote("\u{0}\u{1f}\u{7f}") == "\"\\u0000\\u001f\u{7f}\"")  // DEL needs no escape
        #expect(JSONQuote.quote("\"\u{301}é日本🙂") == "\"\\\"\u{301}é日本🙂\"")  // a quote inside a grapheme is still escaped
    }

    @Test func randomStringsReadBack() throws {
        var rng = SystemRandomNumberGenerator()
        let pool: [Unicode.Scalar] = [
            "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{1b}", "\u{1f}", "\u{7f}", "é", "\u{301}", "日", "🙂",
            "\u{2028}"
        ]
        for _ in 0..<2_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...24, using: &rng) { text.unicodeScalars.append(pool.randomElement(using: &rng)!) }
            let literal = JSONQuote.quote(text)
            let parsed = try JSONSerialization.jsonObject(with: Data(("[" + literal + "]").utf8)) as? [String]
            #expect(parsed == [text], "\(text.debugDescription) -> \(literal)")
            #expect(!literal.utf8.dropFirst().dropLast().contains { $0 < 0x20 }, "no raw control byte: \(literal.debugDescription)")
        }
    }
}
