import Foundation

/// Text → WinAnsiEncoding bytes for the standard PDF fonts. Characters outside the 218 it can show are
/// transliterated where a plain equivalent exists (č → c, − → -) and otherwise shown as "?" and counted.
package enum WinAnsi {
    /// The 27 characters WinAnsi places in 0x80…0x9F.
    private static let high: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
        0x02C6: 0x88, 0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E, 0x2018: 0x91,
        0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98,
        0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B, 0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F
    ]

    /// Plain stand-ins for common characters WinAnsi lacks.
    private static let fallback: [UInt32: String] = [
        0x0141: "L", 0x0142: "l", 0x0110: "D", 0x0111: "d", 0x0131: "i", 0x2010: "-", 0x2011: "-", 0x2212: "-",
        0x2032: "'", 0x2033: "\"", 0x2192: "->", 0x2190: "<-", 0x2264: "<=", 0x2265: ">=", 0x2260: "!=",
        0x2002: " ", 0x2003: " ", 0x2007: " ", 0x2009: " ", 0x200A: " ", 0x202F: " ", 0x2248: "~"
    ]

    private static func code(_ scalar: Unicode.Scalar) -> UInt8? {
        let v = scalar.value
        if (0x20...0x7E).contains(v) || (0xA0...0xFF).contains(v) { return UInt8(v) }
        return high[v]
    }

    /// The bytes for `text` and how many characters had to be shown as "?".
    package static func encode(_ text: String) -> (bytes: [UInt8], replaced: Int) {
        // Fast path: printable ASCII is its own encoding (most report text).
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return (Array(text.utf8), 0) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var replaced = 0
        for character in text {
            let scalars = character.unicodeScalars
            if scalars.count == 1, let scalar = scalars.first, let byte = code(scalar) { bytes.append(byte); continue }
            let composed = String(character).precomposedStringWithCanonicalMapping.unicodeScalars
            if composed.count == 1, let scalar = composed.first {
                if let byte = code(scalar) { bytes.append(byte); continue }
                if scalar == "\t" || scalar == "\n" || scalar == "\r" { bytes.append(0x20); continue }
                if let plain = fallback[scalar.value] { bytes += plain.utf8; continue }
            }
            // Drop combining marks (č → c) when what is left is all encodable.
            let base = String(character).decomposedStringWithCanonicalMapping.unicodeScalars
                .filter { !(0x0300...0x036F).contains($0.value) }
            let codes = base.compactMap(code)
            if !base.isEmpty && codes.count == base.count { bytes += codes; continue }
            bytes.append(UInt8(ascii: "?"))
            replaced += 1
        }
        return (bytes, replaced)
    }
}
