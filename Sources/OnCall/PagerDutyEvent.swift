import HomeBaseCore

/// The JSON bodies of PagerDuty Events API v2 (`trigger` and `resolve`).
package enum PagerDutyEvent {
    /// PagerDuty truncates longer summaries; we cut first so the end is an ellipsis we chose.
    package static let summaryLimit = 1024
    /// PagerDuty's maximum dedup key length.
    package static let dedupKeyLimit = 255

    /// The same key for every trigger and the resolve of one alert: `homebase:<alert key>`, or a
    /// SHA-256 of it when that would be over 255 characters.
    package static func dedupKey(_ alertKey: String) -> String {
        let plain = "homebase:" + alertKey
        if plain.utf8.count <= dedupKeyLimit { return plain }
        return "homebase:sha256:" + SHA256.hex(alertKey.utf8)
    }

    /// Ours to PagerDuty's: the four names are shared; anything else is a `warning`.
    package static func severity(_ ours: String) -> String {
        let lower = ours.lowercased()
        return ["critical", "error", "warning", "info"].contains(lower) ? lower : "warning"
    }

    /// `title: detail`, at most 1024 characters.
    package static func summary(_ alert: OnCallAlert) -> String {
        let text = alert.detail.isEmpty ? alert.title : alert.title + ": " + alert.detail
        guard text.count > summaryLimit else { return text }
        return String(text.prefix(summaryLimit - 1)) + "…"
    }

    package static func trigger(_ alert: OnCallAlert, routingKey: String, source: String, timestampMicros: Int64) -> String {
        let details = [("rule", alert.rule), ("key", alert.key), ("title", alert.title), ("detail", alert.detail)]
            .map { JSONQuote.quote($0.0) + ":" + JSONQuote.quote($0.1) }.joined(separator: ",")
        let payload = [
            ("summary", JSONQuote.quote(summary(alert))),
            ("source", JSONQuote.quote(source)),
            ("severity", JSONQuote.quote(severity(alert.severity))),
            ("timestamp", JSONQuote.quote(UTCDate.isoString(micros: timestampMicros))),
            ("component", JSONQuote.quote("homebase")),
            ("group", JSONQuote.quote(alert.rule)),
            ("custom_details", "{" + details + "}")
        ].map { JSONQuote.quote($0.0) + ":" + $0.1 }.joined(separator: ",")
        return "{"
            + [
                ("routing_key", JSONQuote.quote(routingKey)),
                ("event_action", JSONQuote.quote("trigger")),
                ("dedup_key", JSONQuote.quote(dedupKey(alert.key))),
                ("client", JSONQuote.quote("Home Base")),
                ("payload", "{" + payload + "}")
            ].map { JSONQuote.quote($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    package static func resolve(alertKey: String, routingKey: String) -> String {
        "{"
            + [("routing_key", routingKey), ("event_action", "resolve"), ("dedup_key", dedupKey(alertKey))]
            .map { JSONQuote.quote($0.0) + ":" + JSONQuote.quote($0.1) }.joined(separator: ",") + "}"
    }
}
