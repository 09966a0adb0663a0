/// Maps a failed call to one error class of DESIGN.md (`rate_limit`, `overloaded`, `timeout`,
/// `context_overflow`, `auth`, `billing`, `network`, `aborted`, `server_error`, `other`).
///
/// Real messages rarely follow one shape (no status code, doubled `429 429`, HTML bodies, JSON
/// nested in JSON, Chinese relay texts), so the text decides first, in a fixed order where the
/// more specific meaning wins (an "overloaded" 429 is `overloaded`; "exceeded your current quota
/// … billing details" is `billing`); an HTTP status found anywhere decides only when no phrase did.
package enum ErrorClassifier {
    package static let classes = [
        "rate_limit", "overloaded", "timeout", "context_overflow", "auth", "billing",
        "network", "aborted", "server_error", "other"
    ]

    /// - Parameters:
    ///   - stopReason: the row's `stopReason` (`error`, `aborted`, `timeout`, …).
    ///   - message: `errorMessage` (or a prompt error's `data.error`).
    ///   - status: `errorStatus` when the row carries one.
    package static func classify(stopReason: String, message: String?, status: Int?) -> String {
        if stopReason == "aborted" { return "aborted" }
        if stopReason == "timeout" { return "timeout" }
        // ASCII-lowercased bytes (the phrases are ASCII or CJK; CJK has no case).
        var bytes = Array((message ?? "").utf8)
        for i in bytes.indices where bytes[i] &- UInt8(ascii: "A") < 26 { bytes[i] |= 0x20 }
        let trimmed = bytes.drop(while: { $0 <= 0x20 }).reversed().drop(while: { $0 <= 0x20 })
        if trimmed.elementsEqual("aborted".utf8.reversed()) { return "aborted" }
        for (cls, phrases) in ruleBytes where phrases.contains(where: { contains(bytes, $0) }) {
            return cls
        }
        if let code = status ?? httpStatus(in: bytes), let cls = classFor(status: code) { return cls }
        return "other"
    }

    /// Phrase rules, checked in order; the first class with a matching phrase wins.
    static let rules: [(String, [String])] = [
        ("aborted", ["request was aborted", "operation was aborted", "this operation was aborted", "aborterror"]),
        (
            "context_overflow",
            [
                "context length", "context window", "context_length_exceeded", "prompt is too long",
                "prompt too long", "maximum context", "context_window_exceeded", "too many tokens",
                "exceeds the context", "input is too long", "上下文"
            ]
        ),
        // Gemini's free-tier 429 says "check your plan and billing details" but is a quota window.
        ("rate_limit", ["resource_exhausted", "resource exhausted"]),
        (
            "billing",
            [
                "insufficient balance", "insufficient_quota", "exceeded your current quota", "credit balance",
                "more credits", "insufficient credits", "payment required", "budget has been exceeded",
                "budget_exceeded", "billing", "余额不足", "充值", "欠费"
            ]
        ),
        ("overloaded", ["overloaded", "high demand", "unavailable", "capacity", "繁忙", "过载"]),
        (
            "rate_limit",
            [
                "rate limit", "rate_limit", "ratelimit", "too many requests", "usage limit", "quota",
                "throttl", "tokens per min", "traffic is currently high",
                "限流", "频率", "算力限制", "请求过多"
            ]
        ),
        (
            "auth",
            [
                "invalid api key", "invalid_api_key", "authentication", "unauthorized", "forbidden",
                "permission", "no api key", "user not found", "api key", "only available for"
            ]
        ),
        (
            "network",
            [
                "fetch failed", "connection error", "econnrefused", "econnreset", "enotfound", "eai_again",
                "getaddrinfo", "dial tcp", "socket hang up", "network", "terminated",
                "connection reset", "connection refused"
            ]
        ),
        ("timeout", ["timed out", "timeout", "etimedout", "deadline exceeded", "超时"]),
        (
            "server_error",
            [
                "internal server error", "internal error", "server error", "bad gateway", "service error",
                "ended without sending any chunks", "malformed_response", "unhandled stop reason"
            ]
        )
    ]

    /// ``rules`` with each phrase as UTF-8 bytes, built once.
    static let ruleBytes: [(String, [[UInt8]])] = rules.map { ($0.0, $0.1.map { Array($0.utf8) }) }

    /// The class an HTTP status implies, when it implies one.
    static func classFor(status: Int) -> String? {
        switch status {
        case 429: return "rate_limit"
        case 503, 529: return "overloaded"
        case 401, 403: return "auth"
        case 402: return "billing"
        case 408, 504: return "timeout"
        case 413: return "context_overflow"
        case 500...599: return "server_error"
        default: return nil
        }
    }

    /// A status code in the text: a leading `NNN ` (also `429 429`), or `"code":NNN` / `"code": "NNN"`,
    /// or `status code NNN` / `状态码: NNN`.
    static func httpStatus(in bytes: [UInt8]) -> Int? {
        func number(at i: Int) -> Int? {
            guard i + 3 <= bytes.count else { return nil }
            var v = 0
            for k in 0..<3 {
                let d = bytes[i + k] &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                v = v * 10 + Int(d)
            }
            if i + 3 < bytes.count, bytes[i + 3] &- UInt8(ascii: "0") < 10 { return nil }
            return (100...599).contains(v) ? v : nil
        }
        if let v = number(at: 0) { return v }
        for marker in ["\"code\":", "status code ", "状态码:", "status: ", "status="] {
            let needle = Array(marker.utf8)
            var from = 0
            while let hit = firstIndex(of: needle, in: bytes, from: from) {
                var i = hit + needle.count
                while i < bytes.count, bytes[i] == 0x20 || bytes[i] == UInt8(ascii: "\"") || bytes[i] == 0x5C { i += 1 }
                if let v = number(at: i) { return v }
                from = hit + 1
            }
        }
        return nil
    }

    /// Whether `needle` occurs at a word start (not preceded by an ASCII letter), so that
    /// "terminated" does not match "Unterminated string in JSON".
    static func contains(_ haystack: [UInt8], _ bytes: [UInt8]) -> Bool {
        var from = 0
        while let hit = firstIndex(of: bytes, in: haystack, from: from) {
            if hit == 0 || !isLetter(haystack[hit - 1]) { return true }
            from = hit + 1
        }
        return false
    }

    static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") }

    /// Naive byte substring search; error texts are short.
    static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var i = from
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == needle[0] {
                var k = 1
                while k < needle.count && haystack[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
