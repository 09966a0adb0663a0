import Foundation
import TestSupport
import Testing
@testable import OnCall

/// Telegram `sendMessage` against a recording server, MarkdownV2 escaping against
/// python-telegram-bot's `escape_markdown(version=2)`, and message splitting.
@Suite(.serialized) struct TelegramTests {
    static let token = "123456789:AAE-secret_TOKEN-value"

    func client(_ server: RecordingServer, chat: String = "-1001234567890", pauses: PauseRecorder) -> TelegramClient {
        var client = TelegramClient(token: Self.token, chatId: chat, baseURL: server.url)
        client.pause = { pauses.record($0) }
        return client
    }

    @Test func escapingMatchesPythonTelegramBot() throws {
        let cases = [
            "_*[]()~`>#+-=|{}.!\\",
            "Budget of agent-01 at 104.5% (limit $50.00)!",
            "path C:\\temp\\x_y.log #3 [done] {ok} a|b ~c~ `code` >quote",
            "naïve café – 日本語 😀 + emoji 👩‍💻.",
            "already \\* escaped?",
            ""
        ]
        let code = """
            import json, sys
            from telegram.helpers import escape_markdown
            print(json.dumps([escape_markdown(t, version=2) for t in json.loads(sys.stdin.read())]))
            """
        let input = try JSONSerialization.data(withJSONObject: cases)
        let expected = try JSONSerialization.jsonObject(with: Data(try PythonOracle.run(code, stdin: input).utf8)) as? [String]
        #expect(cases.map(TelegramMarkdown.escape) == expected)
    }

    @Test func sendMessagePayload() throws {
        let server = try RecordingServer([(200, #"{"ok":true,"result":{"message_id":1}}"#, [:])])
        let pauses = PauseRecorder()
        let alerts = [
            OnCallAlert(key: "k1", rule: "budget", severity: "critical", title: "Budget of agent-01 at 104%", detail: "spent $52.10 (of $50.00)."),
            OnCallAlert(key: "k2", rule: "disk_full", severity: "warning", title: "Disk: 7 days until full", detail: "")
        ]
        let text = AlertMessage.telegram(alerts, heading: "[Home Base]")
        try client(server, pauses: pauses).send(markdown: text)
        let request = try #require(server.requests.first)
        #expect(server.requests.count == 1)
        #expect(request.path == "/bot\(Self.token)/sendMessage")
        let json = try #require(request.json)
        #expect(json["chat_id"] as? Int == -1_001_234_567_890)
        #expect(json["parse_mode"] as? String == "MarkdownV2")
        #expect(
            json["text"] as? String == """
                *\\[Home Base\\] 2 alerts*

                *\\[critical\\] Budget of agent\\-01 at 104%*
                spent $52\\.10 \\(of $50\\.00\\)\\.

                *\\[warning\\] Disk: 7 days until full*
                """)
    }

    @Test func channelNameChatIdIsAString() throws {
        let server = try RecordingServer([(200, #"{"ok":true}"#, [:])])
        try client(server, chat: "@ops_alerts", pauses: PauseRecorder()).send(markdown: "hi")
        #expect(server.requests.first?.json?["chat_id"] as? String == "@ops_alerts")
    }

    @Test func tooManyRequestsHonoursRetryAfter() throws {
        let throttled = #"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}"#
        let server = try RecordingServer([(429, throttled, [:]), (500, "", [:]), (200, #"{"ok":true}"#, [:])])
        let pauses = PauseRecorder()
        try client(server, pauses: pauses).send(markdown: "x")
        #expect(server.requests.count == 3)
        #expect(pauses.pauses == [7, 2], "retry_after, then backoff for the 2nd retry")
    }

    @Test func errorsNeverShowTheToken() throws {
        let reply = #"{"ok":false,"error_code":400,"description":"Bad Request: can't parse entities in \#(Self.token)"}"#
        let server = try RecordingServer([(400, reply, [:])])
        let pauses = PauseRecorder()
        do {
            try client(server, pauses: pauses).send(markdown: "*unclosed")
            Issue.record("expected a failure")
        } catch {
            #expect(error.attempts == 1 && pauses.pauses.isEmpty)
            #expect(error.target == server.url + "/bot<redacted>/sendMessage")
            #expect(error.reason == "HTTP 400: Bad Request: can't parse entities in <redacted>")
            #expect(!error.description.contains(Self.token) && !error.description.contains("AAE-secret"))
        }
        var unreachable = TelegramClient(token: Self.token, chatId: "1", baseURL: "http://127.0.0.1:9")
        unreachable.retries = 0
        do {
            try unreachable.send(markdown: "x")
            Issue.record("expected a failure")
        } catch {
            #expect(!error.description.contains("AAE-secret") && error.description.contains("bot<redacted>"))
        }
    }

    @Test func longMessagesAreSplitAtLines() throws {
        let server = try RecordingServer([(200, #"{"ok":true}"#, [:])])
        // 300 lines of 30 escaped characters: 9000+ characters, three messages.
        let lines = (0..<300).map { TelegramMarkdown.escape(String(format: "line %03d: cost $1.25 (ok)!", $0)) }
        try client(server, pauses: PauseRecorder()).send(markdown: lines.joined(separator: "\n"))
        let texts = server.requests.compactMap { $0.json?["text"] as? String }
        #expect(texts.count == 3)
        #expect(texts.allSatisfy { $0.utf16.count <= 4096 })
        #expect(texts.joined(separator: "\n") == lines.joined(separator: "\n"), "split only at line breaks, nothing lost")
    }

    @Test func splitNeverBreaksAnEscape() {
        // One line of escaped dots: a cut at an odd position would separate "\" from ".".
        let line = TelegramMarkdown.escape(String(repeating: "a.", count: 30))
        for limit in 2...12 {
            let chunks = TelegramMarkdown.split(line, limit: limit)
            #expect(chunks.joined() == line)
            for chunk in chunks {
                #expect(chunk.utf16.count <= limit)
                let trailing = chunk.reversed().prefix { $0 == "\\" }.count
                #expect(trailing % 2 == 0, "chunk \(chunk) ends inside an escape")
            }
        }
        // An escaped backslash ("\\\\") is a complete pair: the cut may fall after it.
        #expect(TelegramMarkdown.split("ab\\\\cd", limit: 4) == ["ab\\\\", "cd"])
        #expect(TelegramMarkdown.split("abc\\.d", limit: 4) == ["abc", "\\.d"])
        // Emoji are never cut in half (👩‍💻 is 5 UTF-16 units).
        #expect(TelegramMarkdown.split("👩‍💻👩‍💻", limit: 6) == ["👩‍💻", "👩‍💻"])
        #expect(TelegramMarkdown.split("\n\n", limit: 10).isEmpty)
    }
}
