/// Truncation of text to a byte budget without splitting a UTF-8 sequence.
package enum UTF8Truncation {
    /// The error-message budget of the `requests` table (DESIGN.md: raw, truncated to 1 KiB).
    package static let errorMessageLimit = 1024

    /// `text` cut to at most `limit` UTF-8 bytes, on a scalar boundary.
    package static func truncate(_ text: String, toBytes limit: Int = errorMessageLimit) -> String {
        let utf8 = text.utf8
        guard utf8.count > limit else { return text }
        var cut = limit
        let bytes = Array(utf8.prefix(limit + 1))
        // Step back over continuation bytes (10xxxxxx) so the cut falls before a lead byte.
        while cut > 0 && bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
        return String(decoding: bytes[0..<cut], as: UTF8.self)
    }
}
