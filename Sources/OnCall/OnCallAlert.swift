/// What an on-call channel needs of an alert: HomeBase's `Alert` (or a health finding) mapped
/// field for field, plus when it was first sent, for the "open since" of a resolve note.
package struct OnCallAlert: Sendable, Equatable {
    /// Stable identity, e.g. `budget:agent-01:2026-11`: the PagerDuty dedup key derives from it.
    package var key: String
    package var rule: String
    /// Ours: `critical`, `error`, `warning` or `info`.
    package var severity: String
    package var title: String
    package var detail: String
    /// When it was first delivered (microseconds since the epoch), if known.
    package var openedMicros: Int64?

    package init(key: String, rule: String, severity: String, title: String, detail: String, openedMicros: Int64? = nil) {
        self.key = key
        self.rule = rule
        self.severity = severity
        self.title = title
        self.detail = detail
        self.openedMicros = openedMicros
    }
}
