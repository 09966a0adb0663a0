/// Writing a Swift string as a JSON string literal (RFC 8259 escapes; non-ASCII kept as UTF-8).
package enum JSONQuote {
    package static func quote(_ text: String) -> String {
        // Most values need no escape: one pass over the bytes, then one copy.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return "\"" + text + "\"" }
        var out: [UInt8] = [0x22]
        out.reserveCapacity(text.utf8.count + 16)
        escape(text, into: &out)
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }

    /// The body of the literal (no quotes around it) appended to `out`, as `JSON.stringify`
    /// writes it: `\" \\ \n \r \t`, other controls as `\u00xx`, everything else as is (a byte
    /// below 0x80 is a whole scalar in UTF-8, so a quote inside a grapheme is still escaped).
    package static func escape(_ text: String, into out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case ..<0x20: out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 15)]]
            default: out.append(byte)
            }
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
