import HomeBaseCore

/// Alert and resolve texts for the chat and mail channels: plain text for Slack, Discord and
/// e-mail, MarkdownV2 for Telegram.
package enum AlertMessage {
    /// `Resolved: <title> (open since 2026-12-01 08:00 UTC, 2 h 5 min)`; without the
    /// parenthesis when the opening time is unknown.
    package static func resolved(_ alert: OnCallAlert, nowMicros: Int64) -> String {
        guard let opened = alert.openedMicros else { return "Resolved: \(alert.title)" }
        return "Resolved: \(alert.title) (open since \(minute(opened)), \(duration(nowMicros - opened)))"
    }

    /// `YYYY-MM-DD HH:MM UTC`.
    package static func minute(_ micros: Int64) -> String {
        let iso = UTCDate.isoString(micros: micros)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5)) + " UTC"
    }

    /// `< 1 min`, `42 min`, `2 h 5 min`, `3 d 4 h`.
    package static func duration(_ micros: Int64) -> String {
        let minutes = max(0, micros) / 60_000_000
        if minutes < 1 { return "< 1 min" }
        if minutes < 60 { return "\(minutes) min" }
        if minutes < 1440 { return "\(minutes / 60) h \(minutes % 60) min" }
        return "\(minutes / 1440) d \(minutes % 1440 / 60) h"
    }

    /// The alerts as one Telegram MarkdownV2 message (the client splits it): a bold heading, then
    /// per alert a bold `[severity] title` line and the detail as plain lines.
    package static func telegram(_ alerts: [OnCallAlert], heading: String) -> String {
        var lines = ["*" + TelegramMarkdown.escape("\(heading) \(alerts.count) alert\(alerts.count == 1 ? "" : "s")") + "*"]
        for alert in alerts {
            // A title line stays well under the limit, so splitting never cuts a bold span.
            let title = alert.title.count > 500 ? String(alert.title.prefix(499)) + "…" : alert.title
            lines.append("")
            lines.append("*" + TelegramMarkdown.escape("[\(alert.severity)] \(title)") + "*")
            if !alert.detail.isEmpty { lines.append(TelegramMarkdown.escape(alert.detail)) }
        }
        return lines.joined(separator: "\n")
    }

    /// A resolve note for Telegram (escaped MarkdownV2, a check mark first).
    package static func telegramResolved(_ alert: OnCallAlert, nowMicros: Int64) -> String {
        "✅ " + TelegramMarkdown.escape(resolved(alert, nowMicros: nowMicros))
    }

    /// A resolve note as a webhook body: `{"text":…}` for Slack, `{"content":…}` for Discord,
    /// `{"source":"homebase","resolved":[{key, title, text}]}` for our JSON.
    package static func webhookBody(_ alert: OnCallAlert, format: String, nowMicros: Int64) -> String {
        let text = resolved(alert, nowMicros: nowMicros)
        switch format {
        case "slack": return #"{"text":"# + JSONQuote.quote(text) + "}"
        case "discord": return #"{"content":"# + JSONQuote.quote(String(text.prefix(2000))) + "}"
        default:
            return #"{"source":"homebase","resolved":[{"key":"# + JSONQuote.quote(alert.key) + #","title":"# + JSONQuote.quote(alert.title)
                + #","text":"# + JSONQuote.quote(text) + "}]}"
        }
    }
}
