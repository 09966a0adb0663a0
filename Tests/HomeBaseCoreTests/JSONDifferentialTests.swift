import Foundation
import Testing
@testable import HomeBaseCore
@testable import TestSupport

/// Our scanner against Python's `json` module on a few hundred generated and mutated lines:
/// both must accept the same lines and agree on the value (canonical form below).
@Suite struct JSONDifferentialTests {

    static let stringPieces = [
        "a", "key", "é", "中文", "😀", "\\n", "\\\"", "\\\\", "\\/", "\\t", "\\b", "\\f", "\\r",
        "\\u0041", "\\u00e9", "\\ud83d\\ude00", "\\ud83d", "\\ude00", "\\u0000", "\\u001f", " ", "~", "\u{7F}"
    ]
    static let numbers = [
        "0", "-0", "1", "-17", "3.25", "1e10", "1E-5", "-2.5e+3", "1.34775e-9", "9223372036854775807",
        "123456789012345678901234567890", "0.024485299999999998", "1e400", "-1e-400"
    ]

    static func generate(_ r: inout SplitMix64, depth: Int) -> String {
        let ws = [" ", "", "", "\t", "  "]
        switch depth > 4 ? r.below(4) : r.below(7) {
        case 0: return r.pick(["null", "true", "false"])
        case 1: return r.pick(numbers)
        case 2, 3:
            return "\"" + (0..<r.below(5)).map { _ in r.pick(stringPieces) }.joined() + "\""
        case 4, 5:
            let members = (0..<r.below(4)).map { _ -> String in
                let key = "\"" + (0..<1 + r.below(2)).map { _ in r.pick(["a", "b", "type", "é", "\\u0062", "😀"]) }.joined() + "\""
                return key + r.pick(ws) + ":" + r.pick(ws) + generate(&r, depth: depth + 1)
            }
            return "{" + r.pick(ws) + members.joined(separator: "," + r.pick(ws)) + "}"
        default:
            let elements = (0..<r.below(4)).map { _ in generate(&r, depth: depth + 1) }
            return "[" + elements.joined(separator: "," + r.pick(ws)) + r.pick(ws) + "]"
        }
    }

    /// Mutations at the scalar level, so every line stays valid UTF-8 (Python decodes first).
    static func mutate(_ text: String, _ r: inout SplitMix64) -> String {
        var scalars = Array(text.unicodeScalars)
        let inserts: [Unicode.Scalar] = [
            "{", "}", "[", "]", ",", ":", "\"", "\\", "0", "1", "-", "e", ".", "u", "t", "n",
            " ", "\t", "é", "😀", "\u{01}", "x"
        ]
        for _ in 0..<1 + r.below(2) {
            switch r.below(4) {
            case 0 where !scalars.isEmpty: scalars.remove(at: r.below(scalars.count))
            case 1: scalars.insert(r.pick(inserts), at: r.below(scalars.count + 1))
            case 2 where !scalars.isEmpty: scalars.removeSubrange(r.below(scalars.count)...)
            default:
                if !scalars.isEmpty { scalars[r.below(scalars.count)] = r.pick(inserts) }
            }
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars)
        return String(out)
    }

    /// Canonical text: sorted keys (last duplicate wins), ints as digits, doubles as %.17g,
    /// strings escaped like Python's ensure_ascii.
    static func canonical(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .number(raw):
            if !raw.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
                return raw.allSatisfy({ $0 == "-" || $0 == "0" }) ? "0" : raw
            }
            return String(format: "%.17g", Double(raw) ?? .nan)
        case let .string(s): return quote(s)
        case let .array(items): return "[" + items.map(canonical).joined(separator: ",") + "]"
        case let .object(members):
            var last: [String: JSONValue] = [:]
            for m in members { last[m.key] = m.value }
            let keys = last.keys.sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }
            return "{" + keys.map { quote($0) + ":" + canonical(last[$0] ?? .null) }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for unit in s.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default: out += String(format: "\\u%04x", unit)
            }
        }
        return out + "\""
    }

    static let oracle = #"""
        import json, sys
        def fix(s): return ''.join('\ufffd' if 0xD800 <= ord(c) <= 0xDFFF else c for c in s)
        def reject(c): raise ValueError(c)
        def canon(v):
            if v is None: return 'null'
            if v is True: return 'true'
            if v is False: return 'false'
            if isinstance(v, int): return str(v)
            if isinstance(v, float): return '%.17g' % v
            if isinstance(v, str): return json.dumps(fix(v))
            if isinstance(v, list): return '[' + ','.join(canon(x) for x in v) + ']'
            items = sorted(((fix(k), x) for k, x in v.items()), key=lambda kv: kv[0])
            return '{' + ','.join(json.dumps(k) + ':' + canon(x) for k, x in items) + '}'
        for line in sys.stdin.buffer.read().split(b'\n'):
            try:
                print(canon(json.loads(line.decode('utf-8'), parse_constant=reject)))
            except Exception:
                print('ERR')
        """#

    @Test func agreesWithPythonJSON() throws {
        var r = SplitMix64(seed: 20_260_325)
        var lines: [String] = []
        for i in 0..<500 {
            let doc = Self.generate(&r, depth: 0)
            lines.append(i % 2 == 0 ? doc : Self.mutate(doc, &r))
        }
        // A few fixed lines that are real transcript shapes.
        lines.append(#"{"type":"message","message":{"role":"assistant","usage":{"cost":{"total":1.34775e-9}},"timestamp":1770033018237}}"#)
        lines.append(#"{"text":"cut \ud83d","ok":"\ud83d\ude00"}"#)
        let input = Data(lines.joined(separator: "\n").utf8)
        // Only the standard library's json is needed, so the system python3 serves (no venv).
        let (status, output, stderr) = PythonOracle.launch("/usr/bin/env", ["python3", "-c", Self.oracle], stdin: input)
        try #require(status == 0, "python3 failed: \(stderr)")
        let expected = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(expected.count >= lines.count)
        var accepted = 0, rejected = 0
        for (i, line) in lines.enumerated() {
            let ours: String
            do throws(JSONScanError) {
                ours = Self.canonical(try JSONValue.parse(line))
                accepted += 1
            } catch {
                ours = "ERR"
                rejected += 1
            }
            #expect(ours == expected[i], "line \(i): \(line.debugDescription)")
        }
        // The corpus exercises both sides.
        #expect(accepted > 150 && rejected > 100, "accepted \(accepted), rejected \(rejected)")
    }
}
