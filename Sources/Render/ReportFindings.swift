/// What a report found, in sentences for the e-mail body (text and HTML say the same): alerts, top
/// agents and models with their change against the previous period, anomalies, budgets, data quality.
package struct ReportFindings: Sendable, Equatable {
    /// A heading and its lines, e.g. "Alerts" → ["CRITICAL: Budget 104% used (fleet, 2026-06): $104.00 of $100.00"].
    package struct Group: Sendable, Equatable {
        package var heading: String
        package var lines: [String]
        package init(heading: String, lines: [String]) {
            self.heading = heading
            self.lines = lines
        }
    }

    package var groups: [Group]

    package init(groups: [Group] = []) { self.groups = groups }

    /// How many top agents and models the e-mail names, and how many anomalies.
    package static let topCount = 5
    package static let anomalyCount = 3

    /// "$0.41 (+12.0% vs $0.37 previous)", "$0.41 (new; nothing previous)", "$0.00 (-100.0% vs $0.37 previous)".
    /// Both amounts in `currency`.
    package static func change(_ now: Double, previous: Double?, currency: String = "USD") -> String {
        let money = { (v: Double) in ReportCell.money(v, currency: currency).displayText }
        guard let previous, previous != 0 else { return money(now) + (now != 0 ? " (new; nothing previous)" : "") }
        let delta = (now - previous) / previous
        return money(now) + " (" + (delta >= 0 ? "+" : "") + ReportNumberFormat.fixed(delta * 100, places: 1) + "% vs " + money(previous)
            + " previous)"
    }
}
