import HomeBaseCore
import SQLiteStore

/// Pre-escaped filler text the generator copies slices from, so message and tool-result
/// bodies cost one `memcpy` each; plus the unicode phrases real transcripts are full of.
struct TextPool: Sendable {
    /// ~1 MiB of JSON-escaped ASCII prose and log-like lines (`\n` escapes included).
    let prose: [UInt8]
    /// Whole phrases with CJK, emoji and accents, already escaped.
    let unicode: [[UInt8]]

    static let shared = TextPool()

    private init() {
        let words = [
            "the", "agent", "checked", "inbox", "calendar", "deploy", "log", "error", "retry", "file", "memory",
            "search", "result", "config", "gateway", "session", "token", "cache", "summary", "report", "build",
            "test", "passed", "failed", "user", "channel", "telegram", "cron", "brief", "invoice", "reply",
            "draft", "meeting", "update", "status", "ok", "warning", "node", "path", "/home/ana/project",
            "src/index.ts", "README.md", "npm", "install", "exit", "code", "0", "1", "200", "404", "json",
            "and", "with", "for", "from", "to", "in", "of", "a", "is", "was", "will", "not", "then", "now"
        ]
        var rng = SplitMix64(seed: 0x5EED_7E47)
        var out: [UInt8] = []
        let size = 1 << 20
        out.reserveCapacity(size + 64)
        var column = 0
        while out.count < size {
            let word = rng.pick(words)
            out += Array(word.utf8)
            column += word.utf8.count
            let r = rng.below(100)
            if column > 60 && r < 30 {
                out += [0x5C, UInt8(ascii: "n")]  // an escaped newline
                column = 0
            } else if r < 38 {
                out += Array(". ".utf8)
            } else if r < 42 {
                out += Array(", ".utf8)
            } else {
                out.append(0x20)
            }
        }
        prose = out
        unicode = [
            "帮我总结一下今天的邮件，谢谢！", "明天上午十点的会议改到下午三点。", "部署完成 ✅ 所有测试通过",
            "日本語のメッセージも届きました 🎌", "한국어 메시지 테스트입니다", "Résumé envoyé à l’équipe — merci ☕",
            "🚀 shipped v2.3.1 🎉🎉", "👍🏽 sounds good", "Привет! Проверь логи, пожалуйста.", "请求错误，请稍后再试 🙏",
            "数据已同步到 /home/ana/工作区/报告.md", "emoji family: 👨‍👩‍👧‍👦 and flag 🇩🇪"
        ].map { ByteSink.jsonEscape($0) }
    }

    /// Appends about `length` bytes of escaped prose starting at a random place.
    func appendProse(_ length: Int, to sink: inout ByteSink, rng: inout SplitMix64) {
        var remaining = max(1, length)
        while remaining > 0 {
            let chunk = min(remaining, prose.count / 2)
            let start = rng.below(prose.count - chunk)
            var end = start + chunk
            // Never split an escape: the byte before `end` must not be a lone backslash.
            while end > start && prose[end - 1] == 0x5C { end -= 1 }
            sink.raw(prose[start..<end])
            remaining -= chunk
        }
    }
}
