import Foundation
import HomeBaseCore

/// Sends MarkdownV2 messages with the Bot API's `sendMessage`, split under 4096 characters.
/// A 429 waits `parameters.retry_after` seconds; 5xx and network failures are retried with
/// backoff; other 4xx are not. The bot token is part of the URL, so every error shows the URL
/// as `…/bot<redacted>/sendMessage` and has the token scrubbed from its text.
package struct TelegramClient: Sendable {
    package static let defaultBaseURL = "https://api.telegram.org"

    package var token: String
    /// A numeric chat id (`-1001234567890`) or `@channelname`.
    package var chatId: String
    /// Overridable so tests can point it at a local server.
    package var baseURL: String
    package var retries = 3
    package var transport = HTTPTransport()
    /// Pause before a retry, in seconds.
    package var pause: @Sendable (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }
    /// The longest single pause, whatever `retry_after` says.
    package var maxPauseSeconds = 60.0

    package init(token: String, chatId: String, baseURL: String = TelegramClient.defaultBaseURL) {
        self.token = token
        self.chatId = chatId
        self.baseURL = baseURL
    }

    /// `<base>/bot<redacted>/sendMessage`: the URL as errors and logs may show it.
    package var redactedURL: String { baseURL + "/bot<redacted>/sendMessage" }

    /// The JSON body of one `sendMessage`.
    package func body(_ text: String) -> String {
        let chat = Int64(chatId).map(String.init) ?? JSONQuote.quote(chatId)
        return #"{"chat_id":"# + chat + #","text":"# + JSONQuote.quote(text)
            + #","parse_mode":"MarkdownV2","disable_web_page_preview":true}"#
    }

    /// Sends `markdown` (already MarkdownV2) as one or more messages, in order.
    package func send(markdown: String) throws(OnCallError) {
        for chunk in TelegramMarkdown.split(markdown) { try sendOne(chunk) }
    }

    private func failure(_ attempts: Int, _ reason: String, _ fix: String) -> OnCallError {
        OnCallError(channel: "telegram", target: redactedURL, attempts: attempts, reason: Redactor([token])(reason), fix: fix)
    }

    private func sendOne(_ text: String) throws(OnCallError) {
        guard let url = URL(string: baseURL + "/bot" + token + "/sendMessage") else {
            throw failure(0, "not a valid URL", "check oncall.telegram.base_url and that the bot token has no spaces")
        }
        var reason = ""
        for attempt in 1...(retries + 1) {
            var wait = Double(1 << min(attempt - 1, 10))
            switch transport.post(Data(body(text).utf8), to: url) {
            case .failure(let error):
                reason = error.message
            case .success(let response) where response.status == 200:
                return
            case .success(let response):
                let reply = try? JSONValue.parse(String(decoding: response.body, as: UTF8.self))
                reason = "HTTP \(response.status)" + (reply?["description"]?.stringValue.map { ": " + $0 } ?? "")
                if response.status == 429 {
                    if let seconds = reply?["parameters"]?["retry_after"]?.doubleValue { wait = seconds }
                } else if response.status < 500 {
                    throw failure(
                        attempt, reason,
                        response.status == 401 || response.status == 404
                            ? "check the bot token (oncall.telegram.bot_token_env)"
                            : "not retried; check the chat id and that the bot was added to the chat")
                }
            }
            if attempt <= retries { pause(min(maxPauseSeconds, wait)) }
        }
        throw failure(retries + 1, reason, "Telegram unreachable or throttling; the alert stays pending and is sent next run")
    }
}
