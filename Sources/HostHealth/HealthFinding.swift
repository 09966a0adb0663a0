/// A health condition that holds now, shaped like HomeBase's `Alert` (rule, stable key,
/// `warning`/`critical`, title, detail) so the alert stage can map it one to one.
package struct HealthFinding: Sendable, Equatable {
    /// `disk_full`, `memory_pressure`, `gateway_restart` or `sampling_gap`.
    package var rule: String
    package var key: String
    package var severity: String
    package var title: String
    package var detail: String

    package init(rule: String, key: String, severity: String, title: String, detail: String) {
        self.rule = rule; self.key = key; self.severity = severity; self.title = title; self.detail = detail
    }
}
