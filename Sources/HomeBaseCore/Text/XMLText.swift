/// Escaping for XML and HTML text and attribute values; drops characters XML 1.0 forbids
/// (C0 controls other than tab, LF, CR; U+FFFE/U+FFFF), which even as references break parsers.
package enum XMLText {
    /// Text content: `& < >` escaped.
    package static func text(_ value: String) -> String { escape(value, attribute: false) }

    /// A double-quoted attribute value: also `"` and `'`, and tab/LF/CR as references so they survive.
    package static func attribute(_ value: String) -> String { escape(value, attribute: true) }

    private static func escape(_ value: String, attribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "'" where attribute: out += "&#39;"
            case "\t" where attribute: out += "&#9;"
            case "\n" where attribute: out += "&#10;"
            case "\r" where attribute: out += "&#13;"
            // A raw CR would be normalised to LF by every XML parser; a reference keeps it.
            case "\r": out += "&#13;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
