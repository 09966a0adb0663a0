/// The tokens of the small SQL subset the aggregate fast path recognises. Anything the
/// tokenizer does not know (blobs, hex, `?` parameters, odd quoting) makes it give up, so the
/// statement goes to SQLite.
enum SQLToken: Equatable {
    /// A bare identifier or keyword, as written; `quoted` for a "double-quoted" name.
    case word(String, quoted: Bool)
    case string([UInt8])
    case integer(Int64)
    case real(Double)
    case symbol(String)
    /// A named parameter (`:name`, `@name`, `$name`), by its name without the prefix, as
    /// `QueryEngine` binds it.
    case parameter(String)

    /// True for the bare word `keyword` (case-insensitive).
    func isKeyword(_ keyword: String) -> Bool {
        if case .word(let w, false) = self { return w.uppercased() == keyword }
        return false
    }

    /// Splits `sql`; nil when some part is outside the subset.
    static func tokenize(_ sql: String) -> [SQLToken]? { tokenizeWithRanges(sql)?.tokens }

    /// Splits `sql` and tells where each token is (byte offsets into its UTF-8); nil when some
    /// part is outside the subset.
    static func tokenizeWithRanges(_ sql: String) -> (tokens: [SQLToken], ranges: [Range<Int>])? {
        let b = Array(sql.utf8)
        var tokens: [SQLToken] = []
        var ranges: [Range<Int>] = []
        var i = 0
        func isIdentStart(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 }
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        while i < b.count {
            let (start, before) = (i, tokens.count)
            defer { if tokens.count > before { ranges.append(start..<i) } }
            let c = b[i]
            if c == 32 || c == 9 || c == 10 || c == 13 || c == 12 { i += 1; continue }
            if c == 45, i + 1 < b.count, b[i + 1] == 45 {  // -- comment
                while i < b.count && b[i] != 10 { i += 1 }
                continue
            }
            if c == 47, i + 1 < b.count, b[i + 1] == 42 {  // /* comment */
                i += 2
                while i + 1 < b.count && !(b[i] == 42 && b[i + 1] == 47) { i += 1 }
                guard i + 1 < b.count else { return nil }
                i += 2
                continue
            }
            if isIdentStart(c) {
                let start = i
                while i < b.count && (isIdentStart(b[i]) || isDigit(b[i])) { i += 1 }
                if i < b.count && b[i] >= 128 { return nil }  // non-ASCII identifiers: leave to SQLite
                tokens.append(.word(String(decoding: b[start..<i], as: UTF8.self), quoted: false))
                continue
            }
            if c == 39 || c == 34 {  // 'string' or "identifier", doubled quotes inside
                var value: [UInt8] = []
                i += 1
                while true {
                    guard i < b.count else { return nil }
                    if b[i] == c {
                        if i + 1 < b.count && b[i + 1] == c { value.append(c); i += 2; continue }
                        i += 1
                        break
                    }
                    value.append(b[i])
                    i += 1
                }
                if c == 39 {
                    tokens.append(.string(value))
                } else {
                    tokens.append(.word(String(decoding: value, as: UTF8.self), quoted: true))
                }
                continue
            }
            if isDigit(c) || (c == 46 && i + 1 < b.count && isDigit(b[i + 1])) {
                let start = i
                var isReal = false
                while i < b.count && isDigit(b[i]) { i += 1 }
                if i < b.count && b[i] == 46 { isReal = true; i += 1; while i < b.count && isDigit(b[i]) { i += 1 } }
                if i < b.count && (b[i] == 101 || b[i] == 69) {
                    isReal = true
                    i += 1
                    if i < b.count && (b[i] == 43 || b[i] == 45) { i += 1 }
                    guard i < b.count && isDigit(b[i]) else { return nil }
                    while i < b.count && isDigit(b[i]) { i += 1 }
                }
                if i < b.count && (isIdentStart(b[i]) || b[i] >= 128) { return nil }  // 0x1F, 12abc
                let text = String(decoding: b[start..<i], as: UTF8.self)
                if !isReal, let v = Int64(text) {
                    tokens.append(.integer(v))
                } else if let v = Double(text) {
                    tokens.append(.real(v))
                } else {
                    return nil
                }
                continue
            }
            if c == 58 || c == 64 || c == 36 {  // :name @name $name
                let start = i + 1
                i = start
                while i < b.count && (isIdentStart(b[i]) || isDigit(b[i])) { i += 1 }
                // `$a::b`, `$a(b)`, non-ASCII or an empty name: SQLite's rarer forms, left to it.
                guard i > start, i == b.count || !(b[i] == 58 || b[i] == 40 || b[i] >= 128) else { return nil }
                tokens.append(.parameter(String(decoding: b[start..<i], as: UTF8.self)))
                continue
            }
            let two = i + 1 < b.count ? String(decoding: b[i...i + 1], as: UTF8.self) : ""
            if ["<=", ">=", "!=", "<>", "=="].contains(two) {
                tokens.append(.symbol(two == "<>" ? "!=" : two == "==" ? "=" : two))
                i += 2
                continue
            }
            guard "(),*;=<>-+/.".utf8.contains(c) else { return nil }
            tokens.append(.symbol(String(UnicodeScalar(c))))
            i += 1
        }
        return (tokens, ranges)
    }
}
