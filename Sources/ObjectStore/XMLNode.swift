/// A tiny XML reader for S3's response documents (ListBucketResult, Error, InitiateMultipartUpload,
/// DeleteResult, CopyObjectResult): elements, text, entities, CDATA; attributes, comments,
/// processing instructions and DOCTYPE are skipped. Not FoundationXML, which would pull libxml2
/// into a static binary. Malformed input yields nil, never a crash.
struct XMLNode: Sendable {
    var name: String
    var children: [XMLNode] = []
    var text = ""

    /// The first child named `name`.
    func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }
    /// Every child named `name`.
    func all(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }
    /// The text of the first child named `name`.
    func value(_ name: String) -> String? { child(name)?.text }

    /// Parses a document; returns its root element.
    static func parse(_ data: [UInt8]) -> XMLNode? {
        var reader = Reader(bytes: data)
        return reader.document()
    }

    private struct Reader {
        let bytes: [UInt8]
        var at = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func document() -> XMLNode? {
            var stack: [XMLNode] = []
            var root: XMLNode?
            var text: [UInt8] = []
            while at < bytes.count {
                if bytes[at] != UInt8(ascii: "<") {
                    text.append(bytes[at]); at += 1
                    continue
                }
                if starts("<!--") { guard skip(past: "-->") else { return nil }; continue }
                if starts("<![CDATA[") {
                    at += 9
                    guard let end = find("]]>"), flush(&text, into: &stack) else { return nil }
                    if !stack.isEmpty { stack[stack.count - 1].text += String(decoding: bytes[at..<end], as: UTF8.self) }
                    at = end + 3
                    continue
                }
                if starts("<?") { guard skip(past: "?>") else { return nil }; continue }
                if starts("<!") { guard skip(past: ">") else { return nil }; continue }
                guard flush(&text, into: &stack) else { return nil }
                guard let close = find(">") else { return nil }
                let tag = bytes[(at + 1)..<close]
                at = close + 1
                if tag.first == UInt8(ascii: "/") {
                    let name = String(decoding: tag.dropFirst(), as: UTF8.self).trimmingWhitespace()
                    guard var node = stack.popLast(), node.name == name else { return nil }
                    node.text = node.children.isEmpty ? node.text : node.text.trimmingWhitespace()
                    if stack.isEmpty { root = node } else { stack[stack.count - 1].children.append(node) }
                    continue
                }
                let selfClosing = tag.last == UInt8(ascii: "/")
                let body = selfClosing ? tag.dropLast() : tag
                let nameBytes = body.prefix { ![UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains($0) }
                let node = XMLNode(name: String(decoding: nameBytes, as: UTF8.self))
                if node.name.isEmpty { return nil }
                if selfClosing {
                    if stack.isEmpty { root = node } else { stack[stack.count - 1].children.append(node) }
                } else {
                    stack.append(node)
                }
            }
            return stack.isEmpty ? root : nil
        }

        /// Appends pending character data, entities decoded, to the open element; false if broken.
        func flush(_ text: inout [UInt8], into stack: inout [XMLNode]) -> Bool {
            defer { text.removeAll(keepingCapacity: true) }
            guard !stack.isEmpty, !text.isEmpty else { return true }
            guard let decoded = Reader.decodeEntities(text) else { return false }
            stack[stack.count - 1].text += decoded
            return true
        }

        func starts(_ literal: String) -> Bool {
            let pattern = Array(literal.utf8)
            return at + pattern.count <= bytes.count && Array(bytes[at..<(at + pattern.count)]) == pattern
        }

        func find(_ literal: String) -> Int? {
            let pattern = Array(literal.utf8)
            var index = at
            while index + pattern.count <= bytes.count {
                if bytes[index] == pattern[0] && Array(bytes[index..<(index + pattern.count)]) == pattern { return index }
                index += 1
            }
            return nil
        }

        mutating func skip(past literal: String) -> Bool {
            guard let end = find(literal) else { return false }
            at = end + literal.utf8.count
            return true
        }

        /// `&amp; &lt; &gt; &quot; &apos; &#N; &#xH;`; nil for an unknown or broken reference.
        static func decodeEntities(_ text: [UInt8]) -> String? {
            guard text.contains(UInt8(ascii: "&")) else { return String(decoding: text, as: UTF8.self) }
            var out = ""
            var chunk: [UInt8] = []
            var index = 0
            while index < text.count {
                guard text[index] == UInt8(ascii: "&") else { chunk.append(text[index]); index += 1; continue }
                guard let semi = text[index...].firstIndex(of: UInt8(ascii: ";")), semi - index <= 12 else { return nil }
                let entity = String(decoding: text[(index + 1)..<semi], as: UTF8.self)
                out += String(decoding: chunk, as: UTF8.self)
                chunk.removeAll()
                switch entity {
                case "amp": out += "&"
                case "lt": out += "<"
                case "gt": out += ">"
                case "quot": out += "\""
                case "apos": out += "'"
                default:
                    let hex = entity.hasPrefix("#x") || entity.hasPrefix("#X")
                    guard entity.hasPrefix("#"), let code = UInt32(entity.dropFirst(hex ? 2 : 1), radix: hex ? 16 : 10),
                        let scalar = Unicode.Scalar(code)
                    else { return nil }
                    out.unicodeScalars.append(scalar)
                }
                index = semi + 1
            }
            return out + String(decoding: chunk, as: UTF8.self)
        }
    }

    /// `text` with `& < > " '` escaped, for request bodies (DeleteObjects, CompleteMultipartUpload).
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }
}
