/// One condition an operator should hear about, with a stable `key` so that it is sent once
/// while it lasts and again only after it cleared and came back.
package struct Alert: Sendable, Equatable, Codable {
    /// The rule that fired: `budget`, `projected_overrun`, `anomaly`, `p95_latency`, `error_rate`,
    /// `reconciliation`, `credential`, `data_quality`.
    package var rule: String
    /// Identity for deduplication, e.g. `budget:agent-01:2026-11`.
    package var key: String
    /// `warning` or `critical`.
    package var severity: String
    package var title: String
    package var detail: String

    package init(rule: String, key: String, severity: String = "warning", title: String, detail: String) {
        self.rule = rule
        self.key = key
        self.severity = severity
        self.title = title
        self.detail = detail
    }

    /// True for an alert about something that happened once (lines quarantined by one run) rather
    /// than a condition that holds: it is delivered once and never resolved.
    package static func isEvent(key: String) -> Bool { key.hasPrefix("quarantine:") }
}
