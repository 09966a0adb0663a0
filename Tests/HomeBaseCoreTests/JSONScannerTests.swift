import Foundation
import Testing
@testable import HomeBaseCore

/// The byte-level JSON scanner against RFC 8259: escapes, surrogates, numbers, nesting, and
/// invalid inputs (each must give a positioned reason, never a crash).
@Suite struct JSONScannerTests {
    func parse(_ text: String) -> Result<JSONValue, JSONScanError> {
        do throws(JSONScanError) { return .success(try JSONValue.parse(text)) } catch { return .failure(error) }
    }

    func value(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue? {
        switch parse(text) {
        case let .success(v): return v
        case let .failure(e): Issue.record("rejected \(text): \(e)", sourceLocation: sourceLocation); return nil
        }
    }

    func error(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONScanError? {
        switch parse(text) {
        case let .success(v): Issue.record("accepted \(text) as \(v)", sourceLocation: sourceLocation); return nil
        case let .failure(e): return e
        }
    }

    @Test func allEscapes() {
        #expect(value(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{08}\u{0C}\n\r\t"))
        #expect(value(#""\u0041\u00e9\u4E2D\u0000""#) == .string("Aé中\u{0}"))
        #expect(value(#""raw é 中 😀""#) == .string("raw é 中 😀"))
    }

    @Test func surrogatePairsAndLoneSurrogates() {
        #expect(value(#""\ud83d\ude00""#) == .string("😀"))
        #expect(value(#""\uD83D\uDE00""#) == .string("😀"))
        #expect(value(#""a\ud83d""#) == .string("a\u{FFFD}"))  // high at the end (Node cut mid-emoji)
        #expect(value(#""\ude00b""#) == .string("\u{FFFD}b"))  // lone low
        #expect(value(#""\ud83d\u0041""#) == .string("\u{FFFD}A"))  // high then a non-surrogate escape
        #expect(value(#""\ud83dx""#) == .string("\u{FFFD}x"))
        #expect(value(#""\ud83d\ud83d\ude00""#) == .string("\u{FFFD}😀"))  // two highs, then a low
    }

    @Test func numbers() throws {
        for ok in [
            "0", "-0", "123", "-123", "1.5", "-0.25", "1e10", "1E+10", "1e-10", "2.5E-3",
            "9223372036854775807", "123456789012345678901234567890", "1.34775e-9"
        ] {
            #expect(value(ok) == .number(ok))
        }
        func span(_ text: String, _ body: (JSONScanner, JSONSpan) -> Void) {
            var copy = text
            copy.withUTF8 { b in
                var s = JSONScanner(UnsafeRawBufferPointer(b))
                guard let sp = try? s.skipValue() else { Issue.record("no value"); return }
                body(s, sp)
            }
        }
        span("9223372036854775807") { s, sp in #expect(s.int64(sp) == Int64.max) }
        span("-9223372036854775807") { s, sp in #expect(s.int64(sp) == -Int64.max) }
        span("9223372036854775808") { s, sp in #expect(s.int64(sp) == nil) }
        span("12.0") { s, sp in #expect(s.int64(sp) == 12) }
        span("1e3") { s, sp in #expect(s.int64(sp) == 1000) }
        span("1.5") { s, sp in #expect(s.int64(sp) == nil) }
        span("1.34775e-9") { s, sp in #expect(s.double(sp) == 1.34775e-9) }
        span("0.024485299999999998") { s, sp in #expect(s.double(sp) == 0.024485299999999998) }
        span("\"x\"") { s, sp in #expect(s.int64(sp) == nil && s.double(sp) == nil) }
        for bad in ["01", "-01", "1.", ".5", "-", "1e", "1e+", "+1", "0x10", "NaN", "Infinity", "-Infinity", "1.e5", "--1"] {
            #expect(error(bad) != nil, "\(bad)")
        }
    }

    @Test func deepNesting() {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(value(ok) != nil)
        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(error(tooDeep)?.code == .tooDeep)
        let huge = String(repeating: "{\"a\":[", count: 50_000)
        #expect(error(huge)?.code == .tooDeep)
        // skipping (the transcript path) applies the same limit
        var bytes = Array(String(repeating: "[", count: 100_000).utf8)
        let code = bytes.withUnsafeMutableBytes { b -> JSONScanError.Code? in
            var s = JSONScanner(UnsafeRawBufferPointer(b))
            do throws(JSONScanError) { try s.validateDocument(); return nil } catch { return error.code }
        }
        #expect(code == .tooDeep)
    }

    @Test func invalidInputsGiveAPositionedReason() {
        let cases: [(String, JSONScanError.Code, Int)] = [
            ("", .empty, 0),
            ("   ", .empty, 3),
            ("{", .unexpectedEnd, 1),
            (#"{"a""#, .unexpectedEnd, 4),
            (#"{"a":}"#, .unexpectedByte, 5),
            (#"{"a" 1}"#, .expectedColon, 5),
            ("{,}", .expectedKey, 1),
            ("{'a':1}", .expectedKey, 1),
            ("{a:1}", .expectedKey, 1),
            ("[1,]", .unexpectedByte, 3),
            ("[1 2]", .expectedCommaOrEnd, 3),
            (#"{"a":1 "b":2}"#, .expectedCommaOrEnd, 7),
            ("tru", .unexpectedEnd, 3),
            ("trUe", .invalidLiteral, 2),
            ("nul", .unexpectedEnd, 3),
            ("nulL", .invalidLiteral, 3),
            (#""abc"#, .unexpectedEnd, 4),
            (#""\x""#, .invalidEscape, 2),
            (#""\u12G4""#, .invalidEscape, 5),
            (#""\u12"#, .unexpectedEnd, 5),
            ("\"a\u{01}b\"", .controlCharacter, 2),
            ("\"a\tb\"", .controlCharacter, 2),
            (#"{"a":1}}"#, .trailingData, 7),
            ("1 2", .trailingData, 2),
            ("\u{FEFF}{}", .unexpectedByte, 0),
            ("]", .unexpectedByte, 0),
            (#"{"a":1,}"#, .expectedKey, 7)
        ]
        for (text, code, offset) in cases {
            let e = error(text)
            #expect(e?.code == code, "\(text.debugDescription): \(String(describing: e))")
            #expect(e?.offset == offset, "\(text.debugDescription): \(String(describing: e))")
            #expect(e.map { !$0.description.isEmpty } == true)
        }
    }

    @Test func longStringsAcrossTheEightByteFastPath() {
        // Specials at every alignment inside and after 8-byte words and 16-byte vectors.
        for n in 0..<40 {
            let pad = String(repeating: "x", count: n)
            #expect(value("\"\(pad)\\n\(pad)\"") == .string(pad + "\n" + pad))
            #expect(error("\"\(pad)\u{01}\"")?.offset == n + 1)
            #expect(error("\"\(pad)")?.code == .unexpectedEnd)
            #expect(value("\"\(pad)é\(pad)\"") == .string(pad + "é" + pad))
        }
    }

    /// RFC 8259's string grammar read one byte at a time: where `skipString` must stop (after the
    /// closing quote, or at the byte it reports), whether it saw an escape, and the error code.
    static func referenceSkip(_ b: [UInt8]) -> (position: Int, escaped: Bool, code: JSONScanError.Code?) {
        var i = 1, escaped = false
        while i < b.count {
            switch b[i] {
            case UInt8(ascii: "\""): return (i + 1, escaped, nil)
            case UInt8(ascii: "\\"):
                escaped = true
                guard i + 1 < b.count else { return (b.count, true, .unexpectedEnd) }
                if Array("\"\\/bfnrt".utf8).contains(b[i + 1]) {
                    i += 2
                } else if b[i + 1] == UInt8(ascii: "u") {
                    for k in 2..<6 {
                        guard i + k < b.count else { return (b.count, true, .unexpectedEnd) }
                        guard JSONScanner.hexValue(b[i + k]) != nil else { return (i + k, true, .invalidEscape) }
                    }
                    i += 6
                } else {
                    return (i + 1, true, .invalidEscape)
                }
            case 0..<0x20: return (i, escaped, .controlCharacter)
            default: i += 1
            }
        }
        return (b.count, escaped, .unexpectedEnd)
    }

    @Test func randomStringsSkipAsTheByteByByteDefinition() {
        // Mostly plain bytes (ASCII and high) with quotes, escapes, control bytes and torn ends
        // at every alignment against the eight-byte words; the last rounds have long plain runs
        // for the 16-byte vectors.
        var random = SplitMix64(seed: 11)
        let pieces: [[UInt8]] = [
            Array("\\n".utf8), Array("\\\"".utf8), Array("\\u00e9".utf8), Array("\\u12".utf8), Array("\\x".utf8),
            [0x1F], [0x00], [0x7F], [0x80], [0xC3, 0xA9], [0xFF], Array("\\".utf8), Array("\"".utf8)
        ]
        for round in 0..<20_000 {
            var b: [UInt8] = [UInt8(ascii: "\"")]
            let long = round >= 15_000
            let length = random.below(round < 10_000 ? 24 : long ? 400 : 200)
            while b.count < length {
                if random.below(long ? 100 : 10) < (long ? 97 : 8) {
                    b.append(UInt8(ascii: "a") + UInt8(random.below(26)))
                } else {
                    b += pieces[random.below(pieces.count)]
                }
            }
            if random.below(4) != 0 { b.append(UInt8(ascii: "\"")) }
            let want = Self.referenceSkip(b)
            b.withUnsafeBytes { raw in
                var s = JSONScanner(raw)
                do throws(JSONScanError) {
                    let escaped = try s.skipString()
                    #expect(want.code == nil && s.position == want.position && escaped == want.escaped, "\(b)")
                } catch {
                    #expect(error.code == want.code && error.offset == want.position, "\(b): \(error)")
                }
            }
        }
    }

    @Test func keysWithEscapesMatchTheirDecodedText() {
        var line = Array(#"{"\u0074ype":"a"}"#.utf8)
        line.withUnsafeMutableBytes { b in
            var s = JSONScanner(UnsafeRawBufferPointer(b))
            #expect((try? s.beginObject()) == true)
            let key = try? s.nextKey()
            #expect(key.map { s.stringEquals($0, "type") } == true)
            #expect(key.map { s.stringEquals($0, "typ") } == false)
        }
    }
}
