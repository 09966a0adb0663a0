import Foundation

/// The short text form of recommendations for a terminal or an e-mail body, and the number
/// formats the titles and assumptions use.
package enum RecommendationText {
    /// A ranked list: one line of saving and title, then the evidence in a line or two.
    package static func render(_ recommendations: [Recommendation], period: RecommendationPeriod, floor: Double) -> String {
        var lines = [
            "Cost-saving recommendations for \(period.from)…\(period.to) (\(period.days) days), "
                + "savings per 30 days, those under $\(number(floor, digits: 2)) hidden:"
        ]
        if recommendations.isEmpty { lines.append("  none above the floor") }
        for (index, r) in recommendations.enumerated() {
            let bound = r.upperBound ? " (upper bound)" : ""
            lines.append("\(index < 9 ? " " : "")\(index + 1). $\(money(r.monthlySavingUSD))/month\(bound)  \(r.title)")
            let e = r.evidence
            var detail = "    \(r.kind.rawValue): \(e.calls) calls, $\(money(e.costUSD)) → $\(money(e.costAfterUSD)) in the period"
            if let model = e.suggestedModel { detail += ", suggested \(model)" }
            if let seconds = e.timeLostSeconds { detail += ", \(number(seconds, digits: 0)) s lost to retries" }
            if let schedule = e.schedule, let runs = e.runs { detail += ", \(runs) runs at \(schedule)" }
            if let sessions = e.sessions, let top = sessions.first {
                detail +=
                    ", \(sessions.count) session\(sessions.count == 1 ? "" : "s") (top \(top.sessionId): \(top.calls) calls, $\(money(top.costUSD)))"
            }
            lines.append(detail)
        }
        return lines.joined(separator: "\n")
    }

    /// `value` with at most `digits` decimals, trailing zeros dropped (`3`, `0.25`, `12.5`).
    static func number(_ value: Double, digits: Int = 6) -> String {
        var text = String(format: "%.\(digits)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// Two decimals, always (`12.50`).
    static func money(_ value: Double) -> String { String(format: "%.2f", value) }

    /// `0.123` → `12.3%`.
    static func percent(_ share: Double) -> String { number(share * 100, digits: 1) + "%" }
}
