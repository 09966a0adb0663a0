import HomeBaseCore
import Analytics
/// The JSON body POSTed to a webhook: our own shape, or the one Slack / Discord incoming webhooks take.
package enum WebhookPayload {
    /// Discord rejects `content` over 2000 characters.
    static let discordLimit = 2000

    package static func body(_ alerts: [Alert], format: String, subjectPrefix: String) -> String {
        let lines = alerts.map { "• [\($0.severity)] \($0.title): \($0.detail)" }
        let text = ([subjectPrefix + " \(alerts.count) alert" + (alerts.count == 1 ? "" : "s")] + lines).joined(separator: "\n")
        switch format {
        case "slack":
            return #"{"text":"# + JSONQuote.quote(text) + "}"
        case "discord":
            var short = text
            if short.count > discordLimit { short = String(short.prefix(discordLimit - 1)) + "…" }
            return #"{"content":"# + JSONQuote.quote(short) + "}"
        default:
            let items = alerts.map { a in
                "{"
                    + [("rule", a.rule), ("key", a.key), ("severity", a.severity), ("title", a.title), ("detail", a.detail)]
                    .map { "\"\($0.0)\":" + JSONQuote.quote($0.1) }.joined(separator: ",") + "}"
            }
            return #"{"source":"homebase","alerts":["# + items.joined(separator: ",") + "]}"
        }
    }
}
