import Foundation
import HomeBaseCore

/// RFC 5322 / 2045 message: multipart/mixed holding multipart/alternative (text/plain + text/html,
/// quoted-printable) and base64 attachments; CRLF, lines ≤ 76, ASCII only, RFC 2047 encoded-words for
/// non-ASCII subjects and names. CR, LF or NUL in anything that reaches a header is refused, not stripped.
package struct MIMEWriter: Sendable {
    /// Seeds the Message-ID and the boundaries, so the same input always gives the same bytes.
    package var seed: UInt64
    /// The right-hand side of the Message-ID.
    package var domain: String

    package init(seed: UInt64, domain: String = "homebase.invalid") {
        self.seed = seed
        self.domain = domain
    }

    package func write(_ message: MailMessage) throws(RenderError) -> [UInt8] {
        try Self.checkHeaderValue(message.subject, what: "subject")
        try Self.checkHeaderValue(domain, what: "Message-ID domain")
        guard !message.to.isEmpty else { throw RenderError("an e-mail needs at least one recipient") }
        let from = try Self.address(message.from)
        let to = try message.to.map(Self.address)
        for attachment in message.attachments {
            try Self.checkHeaderValue(attachment.filename, what: "attachment file name")
            try Self.checkHeaderValue(attachment.contentType, what: "attachment content type")
            guard attachment.contentType.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != ";" && $0 != "\"" }) else {
                throw RenderError("attachment content type '\(attachment.contentType)' is not a plain type/subtype")
            }
        }

        var hash = FNV1a()
        hash.add(Int64(bitPattern: seed))
        hash.add(message.dateMicros)
        hash.add(message.subject)
        let token = String(hash.value, radix: 16)
        let mixed = "=_hb_mixed_" + token, alternative = "=_hb_alt_" + token

        var out: [String] = []
        out.append("Date: " + Self.date(micros: message.dateMicros))
        out.append(Self.fold("From: ", [from]))
        out.append(Self.fold("To: ", to))
        out.append(Self.subject(message.subject))
        out.append("Message-ID: <" + String(UInt64(bitPattern: message.dateMicros), radix: 36) + "." + token + "@" + domain + ">")
        // RFC 3834: machine-made mail, so auto-responders do not answer it.
        out.append("Auto-Submitted: auto-generated")
        out.append("MIME-Version: 1.0")
        out.append("Content-Type: multipart/mixed; boundary=\"" + mixed + "\"")
        out.append("")
        out.append("This is a multi-part message in MIME format.")
        out.append("--" + mixed)
        out.append("Content-Type: multipart/alternative; boundary=\"" + alternative + "\"")
        out.append("")
        out.append("--" + alternative)
        out.append("Content-Type: text/plain; charset=utf-8")
        out.append("Content-Transfer-Encoding: quoted-printable")
        out.append("")
        out.append(Self.quotedPrintable(message.text))
        out.append("--" + alternative)
        out.append("Content-Type: text/html; charset=utf-8")
        out.append("Content-Transfer-Encoding: quoted-printable")
        out.append("")
        out.append(Self.quotedPrintable(message.html))
        out.append("--" + alternative + "--")
        for attachment in message.attachments {
            out.append("--" + mixed)
            out += Self.attachmentHeaders(attachment)
            out.append("Content-Transfer-Encoding: base64")
            out.append("")
            out.append(Self.base64Lines(attachment.data))
        }
        out.append("--" + mixed + "--")
        out.append("")
        return Array(out.joined(separator: "\r\n").utf8)
    }

    // MARK: Headers

    /// Refuses CR, LF and NUL: they would end a header early and let data add headers.
    package static func checkHeaderValue(_ value: String, what: String) throws(RenderError) {
        if value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            throw RenderError("the \(what) contains a line break or NUL, which could inject e-mail headers; refused")
        }
    }

    /// `"Name" <a@b>` or `=?UTF-8?B?…?= <a@b>`; the address must be plain ASCII local@domain.
    static func address(_ address: MailAddress) throws(RenderError) -> String {
        try checkHeaderValue(address.address, what: "e-mail address")
        let parts = address.address.split(separator: "@", omittingEmptySubsequences: false)
        let forbidden = Set<Character>(" <>()[]\\,;:\"@\t")
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !address.address.hasPrefix("-"),
            address.address.allSatisfy({ $0.isASCII && $0.asciiValue.map { $0 > 0x20 && $0 < 0x7F } == true }),
            parts.allSatisfy({ !$0.contains(where: forbidden.contains) })
        else {
            throw RenderError("'\(address.address)' is not a plain e-mail address (local@domain, ASCII, no spaces)")
        }
        guard let name = address.name, !name.isEmpty else { return address.address }
        try checkHeaderValue(name, what: "display name")
        if name.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) {
            return "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\" <" + address.address
                + ">"
        }
        return encodedWords(name, firstBudget: 60).joined(separator: " ") + " <" + address.address + ">"
    }

    /// `name` followed by the items, folded onto continuation lines so no line passes 76 characters.
    static func fold(_ name: String, _ items: [String]) -> String {
        var lines: [String] = [name]
        for (i, item) in items.enumerated() {
            let piece = item + (i + 1 < items.count ? "," : "")
            for word in piece.split(separator: " ").map(String.init) {
                let last = lines[lines.count - 1]
                let joiner = last == name || last.hasSuffix(" ") ? "" : " "
                if last.count + joiner.count + word.count > 76
                    && last.trimmingCharacters(in: .whitespaces) != name.trimmingCharacters(in: .whitespaces)
                {
                    lines.append(" " + word)
                } else {
                    lines[lines.count - 1] = last + joiner + word
                }
            }
        }
        return lines.joined(separator: "\r\n")
    }

    /// `Subject:` as plain ASCII when short and printable, else RFC 2047 B-words folded on CRLF + space.
    static func subject(_ text: String) -> String {
        let prefix = "Subject: "
        let plain = text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
        if plain && prefix.count + text.count <= 76 && !text.contains("=?") { return prefix + text }
        return prefix + encodedWords(text, firstBudget: 76 - prefix.count).joined(separator: "\r\n ")
    }

    /// `=?UTF-8?B?…?=` words split on character boundaries; the first is at most `firstBudget` long,
    /// the others at most 75 (so " " + word fits 76). Spaces stay inside the encoded text.
    static func encodedWords(_ text: String, firstBudget: Int) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        func length(_ bytes: Int) -> Int { 12 + 4 * ((bytes + 2) / 3) }
        for character in text {
            let bytes = Array(String(character).utf8)
            let budget = words.isEmpty ? firstBudget : 75
            if !chunk.isEmpty && length(chunk.count + bytes.count) > budget {
                words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words
    }

    /// Content-Type and Content-Disposition for an attachment; non-ASCII names as RFC 2231 `filename*`.
    static func attachmentHeaders(_ a: MailAttachment) -> [String] {
        let ascii = a.filename.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
        if ascii && a.filename.count <= 50 {
            let quoted = "\"" + a.filename.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
            return ["Content-Type: " + a.contentType + "; name=" + quoted, "Content-Disposition: attachment; filename=" + quoted]
        }
        // Percent-encode all but ALPHA / DIGIT / -._~ ; segments short enough that ` filename*NN*=UTF-8''…;`
        // stays within 76 characters (52 for the first, 60 after), never splitting a %XX.
        var segments: [String] = [""]
        for byte in a.filename.utf8 {
            let isSafe =
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || "-._~".utf8.contains(byte)
            let piece = isSafe ? String(UnicodeScalar(byte)) : "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            if segments[segments.count - 1].count + piece.count > (segments.count == 1 ? 52 : 60) { segments.append("") }
            segments[segments.count - 1] += piece
        }
        var lines = ["Content-Type: " + a.contentType, "Content-Disposition: attachment;"]
        for (i, segment) in segments.enumerated() {
            let value = (i == 0 ? "UTF-8''" : "") + segment
            lines.append(" filename*\(i)*=" + value + (i + 1 < segments.count ? ";" : ""))
        }
        return lines
    }

    /// RFC 5322 date in UTC: "Thu, 21 May 2026 14:03:08 +0000".
    package static func date(micros: Int64) -> String {
        let days = UTCDate.dayNumber(micros: micros)
        let (year, month, day) = UTCDate.civil(days: days)
        let seconds = (micros - days * 86_400_000_000) / 1_000_000
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ v: Int64) -> String { (v < 10 ? "0" : "") + String(v) }
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        return weekday + ", " + String(day) + " " + months[Int(month) - 1] + " " + String(year) + " "
            + two(seconds / 3600) + ":" + two(seconds / 60 % 60) + ":" + two(seconds % 60) + " +0000"
    }

    // MARK: Bodies

    /// Base64 in lines of 76 characters joined by CRLF.
    static func base64Lines(_ data: [UInt8]) -> String {
        let encoded = Array(Data(data).base64EncodedString().utf8)
        var lines: [String] = []
        var start = 0
        while start < encoded.count {
            let end = min(start + 76, encoded.count)
            lines.append(String(decoding: encoded[start..<end], as: UTF8.self))
            start = end
        }
        return lines.joined(separator: "\r\n")
    }

    /// Quoted-printable (RFC 2045 §6.7) of UTF-8 text: line breaks become CRLF hard breaks, lines are
    /// soft-wrapped at 76 with "=", never inside an "=XX"; a leading "." is written "=2E" (sendmail's end mark).
    static func quotedPrintable(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var out: [String] = []
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            let bytes = Array(line.utf8)
            var current = ""
            for (i, byte) in bytes.enumerated() {
                let isLast = i == bytes.count - 1
                var token: String
                if byte == UInt8(ascii: "=") || byte < 0x20 && byte != 0x09 || byte >= 0x7F {
                    token = "=" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
                } else if (byte == 0x20 || byte == 0x09) && isLast {
                    token = byte == 0x20 ? "=20" : "=09"
                } else if byte == UInt8(ascii: ".") && current.isEmpty {
                    token = "=2E"
                } else {
                    token = String(UnicodeScalar(byte))
                }
                if current.count + token.count > 75 {
                    out.append(current + "=")
                    current = ""
                    if token == "." { token = "=2E" }
                }
                current += token
            }
            out.append(current)
        }
        return out.joined(separator: "\r\n")
    }
}
