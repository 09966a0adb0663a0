import Foundation
import Config

/// Turns an analysis (and what the nightly run saw) into the alerts the config's rules ask for.
/// Keys carry no date for conditions that persist (error rate, latency), so a condition that lasts
/// a week is sent once; budget keys carry the month, because a new month is a new budget.
package struct AlertEvaluator {
    package var rules: HomeBaseConfig.AlertRules
    /// Fewer calls than this on the day make a rate too noisy to alert on.
    package var minimumCalls = 20

    package init(rules: HomeBaseConfig.AlertRules) { self.rules = rules }

    /// The alerts that hold for `analysis` (its last day is the day judged). `quarantinedNow` is
    /// the number of lines the run's ingest quarantined; `credentials` come from the inventory check.
    package func evaluate(_ analysis: Analysis, quarantinedNow: Int = 0, credentials: [Alert] = []) -> [Alert] {
        var alerts: [Alert] = []
        budgets(analysis, into: &alerts)
        let day = analysis.range.to
        if let limit = rules.anomalyScore {
            for point in analysis.anomalies.flagged
            where point.period == "day" && point.at == day && point.score >= limit
                && ["cost_usd", "error_rate"].contains(point.metric)
            {
                let scope = point.agent_id ?? "fleet"
                alerts.append(
                    Alert(
                        rule: "anomaly", key: "anomaly:\(point.metric):\(scope)",
                        title: "Unusual \(point.metric == "cost_usd" ? "spend" : "error rate") for \(scope) on \(day)",
                        detail:
                            "\(Self.number(point.value, point.metric)) against an expected \(Self.number(point.expected, point.metric)) (robust z \(Self.fixed(point.score, 1)))"
                    ))
            }
        }
        if let limit = rules.p95LatencyMs, let stats = analysis.latency.by_day[day], let p95 = stats.p95, stats.n >= minimumCalls, p95 > limit {
            alerts.append(
                Alert(
                    rule: "p95_latency", key: "p95_latency:fleet", title: "p95 latency \(Self.fixed(p95 / 1000, 1)) s on \(day)",
                    detail: "over the limit of \(Self.fixed(limit / 1000, 1)) s (\(stats.n) calls)"))
        }
        if let limit = rules.errorRate, let stats = analysis.errors.by_day[day], let rate = stats.rate, stats.calls >= minimumCalls, rate > limit {
            alerts.append(
                Alert(
                    rule: "error_rate", key: "error_rate:fleet", severity: rate > 2 * limit ? "critical" : "warning",
                    title: "Error rate \(Self.fixed(rate * 100, 1))% on \(day)",
                    detail: "\(stats.errors) of \(stats.calls) calls failed; limit \(Self.fixed(limit * 100, 1))%"))
        }
        if rules.reconciliationGapPercent != nil, let reconciliation = analysis.reconciliation {
            for row in reconciliation.days + reconciliation.months where row.flagged {
                alerts.append(
                    Alert(
                        rule: "reconciliation", key: "reconciliation:\(row.provider):\(row.period)",
                        title: "\(row.provider) invoice differs from the logs for \(row.period)",
                        detail: row.reasons.joined(separator: "; ")))
            }
        }
        alerts += credentials
        // Per-key monthly limits follow the budget rule; the rotation audit the credential rule.
        if rules.budgetPercent != nil { alerts += analysis.keys?.alerts ?? [] }
        if rules.credentialDays != nil { alerts += analysis.credential_audit?.alerts ?? [] }
        // Health rules were evaluated by `analyze` (with the config's `health.alerts` thresholds).
        for host in analysis.health?.hosts ?? [] { alerts += host.alerts }
        if rules.dataQuality {
            for model in analysis.data_quality.unpriced_models {
                alerts.append(
                    Alert(
                        rule: "data_quality", key: "unpriced:\(model.provider)/\(model.model)",
                        title: "No price for \(model.provider)/\(model.model)",
                        detail: "\(model.calls) calls are counted at $0; add the model to prices.overrides in the config or `homebase prices import`")
                )
            }
            if quarantinedNow > 0 {
                alerts.append(
                    Alert(
                        rule: "data_quality", key: "quarantine:\(analysis.now.prefix(10))",
                        title: "\(quarantinedNow) bad line\(quarantinedNow == 1 ? "" : "s") quarantined",
                        detail: "see `homebase query \"SELECT source_file, source_line, reason FROM quarantine\"`"))
            }
        }
        return alerts
    }

    private func budgets(_ analysis: Analysis, into alerts: inout [Alert]) {
        let month = analysis.budgets.month
        var scopes: [(String, Analysis.BudgetStatus)] = []
        if let overall = analysis.budgets.overall { scopes.append(("fleet", overall)) }
        scopes += analysis.budgets.by_agent.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        for (scope, status) in scopes {
            if let limit = rules.budgetPercent, status.percent_used >= limit {
                alerts.append(
                    Alert(
                        rule: "budget", key: "budget:\(scope):\(month)", severity: status.percent_used >= 100 ? "critical" : "warning",
                        title: "Budget \(Self.fixed(status.percent_used, 0))% used (\(scope), \(month))",
                        detail: "$\(Self.fixed(status.actual_usd, 2)) of $\(Self.fixed(status.budget_usd, 2))"))
            } else if rules.projectedOverrun, status.projected_percent > 100, let date = status.overrun_date {
                alerts.append(
                    Alert(
                        rule: "projected_overrun", key: "projected_overrun:\(scope):\(month)",
                        title: "Budget projected to run out on \(date) (\(scope))",
                        detail: "projected $\(Self.fixed(status.projected_usd, 2)) of $\(Self.fixed(status.budget_usd, 2)) by month end"))
            }
        }
    }

    package static func fixed(_ value: Double, _ places: Int) -> String { String(format: "%.\(places)f", value) }

    static func number(_ value: Double, _ metric: String) -> String {
        metric == "cost_usd" ? "$" + fixed(value, 2) : fixed(value * 100, 1) + "%"
    }
}
