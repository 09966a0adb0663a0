/// Telegram's MarkdownV2: escaping literal text, and splitting a message under the size limit.
package enum TelegramMarkdown {
    /// Every character MarkdownV2 reserves; each must be preceded by `\` in literal text.
    package static let special: Set<Character> = ["_", "*", "[", "]", "(", ")", "~", "`", ">", "#", "+", "-", "=", "|", "{", "}", ".", "!", "\\"]

    /// Telegram's `sendMessage` limit, counted here in UTF-16 code units of the escaped text,
    /// which is never less than what Telegram counts after parsing.
    package static let messageLimit = 4096

    /// `text` with every special character escaped, to show literally.
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for character in text {
            if special.contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// Splits escaped MarkdownV2 into messages of at most `limit` UTF-16 units, at line breaks
    /// where possible; a single longer line is cut between characters but never between a `\`
    /// and the character it escapes. Blank chunks are dropped (Telegram rejects empty text).
    package static func split(_ text: String, limit: Int = messageLimit) -> [String] {
        var chunks: [String] = []
        var current: String?
        func flush() {
            if let chunk = current, chunk.contains(where: { !$0.isWhitespace }) { chunks.append(chunk) }
            current = nil
        }
        for piece in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(piece)
            while line.utf16.count > limit {
                flush()
                let (head, tail) = cut(line, limit)
                chunks.append(head)
                line = tail
            }
            if let chunk = current, chunk.utf16.count + 1 + line.utf16.count <= limit {
                current = chunk + "\n" + line
            } else {
                flush()
                current = line
            }
        }
        flush()
        return chunks
    }

    /// The longest prefix of at most `limit` UTF-16 units that does not end inside an escape, and the rest.
    static func cut(_ line: String, _ limit: Int) -> (String, String) {
        var end = line.startIndex, units = 0
        var trailingBackslashes = 0
        var endBackslashes = 0
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            let width = character.utf16.count
            if units + width > limit { break }
            units += width
            trailingBackslashes = character == "\\" ? trailingBackslashes + 1 : 0
            index = line.index(after: index)
            end = index
            endBackslashes = trailingBackslashes
        }
        // An odd run of backslashes at the end means the last one escapes the next character.
        if endBackslashes % 2 == 1 { end = line.index(before: end) }
        if end == line.startIndex { end = line.index(after: end) }  // a limit below 2: progress anyway
        return (String(line[..<end]), String(line[end...]))
    }
}
