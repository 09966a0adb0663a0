import SQLiteStore
import Analytics
import Render

extension ReportBuilder {
    /// The e-mail's findings for this analysis (alerts by `alertRules`, judged on the period's last day).
    func findings() -> ReportFindings {
        var groups: [ReportFindings.Group] = []
        let keys = alertRules.credentialDays == nil ? [] : (credentials ?? []).compactMap(\.alert)
        let alerts = AlertEvaluator(rules: alertRules).evaluate(analysis, credentials: keys)
            .filter { $0.severity == "critical" || $0.severity == "warning" }
            .sorted { ($0.severity == "critical" ? 0 : 1) < ($1.severity == "critical" ? 0 : 1) }
        groups.append(
            .init(
                heading: "Alerts",
                lines: alerts.isEmpty
                    ? ["No critical or warning alerts."]
                    : alerts.map { $0.severity.uppercased() + ": " + $0.title + " — " + $0.detail }))
        func movers(_ totals: [String: Analysis.Totals], previous: [String: Double], what: String) -> [String] {
            let names = Set(totals.keys).union(previous.keys).sorted {
                ((totals[$0]?.cost_usd ?? 0), $1) > ((totals[$1]?.cost_usd ?? 0), $0)
            }
            let lines = names.prefix(ReportFindings.topCount).map { name in
                let t = totals[name] ?? Analysis.Totals()
                return name + ": "
                    + ReportFindings.change(currency.value(t.cost_usd), previous: previous[name].map { currency.value($0) }, currency: currency.code)
                    + ", \(t.calls) call" + (t.calls == 1 ? "" : "s")
            }
            return lines.isEmpty ? ["No \(what) made calls in this period."] : lines
        }
        groups.append(
            .init(heading: "Top agents by spend", lines: movers(analysis.cost.by_agent, previous: extras.previousCostByAgent, what: "agents")))
        groups.append(
            .init(heading: "Top models by spend", lines: movers(analysis.cost.by_model, previous: extras.previousCostByModel, what: "models")))
        let inPeriod = Set(days.map(\.label))
        let points = analysis.anomalies.flagged.filter { $0.period != "day" || inPeriod.contains($0.at) }.prefix(ReportFindings.anomalyCount)
        groups.append(
            .init(
                heading: "Top anomalies",
                lines: points.isEmpty
                    ? ["No anomalies flagged."]
                    : points.map { point in
                        point.reason
                            ?? ((point.agent_id ?? "fleet") + " " + point.metric + " on " + point.at + ": z "
                                + ReportNumberFormat.fixed(point.score, places: 1))
                    }))
        var budget: [String] = []
        func status(_ scope: String, _ s: Analysis.BudgetStatus) -> String {
            let money = { (v: Double) in currency.cell(v).displayText }
            var line =
                scope + ": " + money(s.actual_usd) + " of " + money(s.budget_usd) + " used (" + ReportNumberFormat.fixed(s.percent_used, places: 1)
                + "%), projected " + money(s.projected_usd) + " (" + ReportNumberFormat.fixed(s.projected_percent, places: 1) + "%) by month end"
            line +=
                s.status == "over"
                ? "; over budget"
                : s.status == "projected_over" ? "; projected to run out" + (s.overrun_date.map { " on " + $0 } ?? "") : "; on track"
            return line
        }
        if let overall = analysis.budgets.overall { budget.append(status("Fleet", overall)) }
        for (agent, s) in analysis.budgets.by_agent.sorted(by: { $0.key < $1.key }) { budget.append(status(agent, s)) }
        groups.append(.init(heading: "Budget " + analysis.budgets.month, lines: budget.isEmpty ? ["No budget is configured."] : budget))
        let q = analysis.data_quality
        var quality = ["\(q.rows_read) rows read from \(q.parts_read) lake part" + (q.parts_read == 1 ? "" : "s") + "."]
        quality.append(q.quarantined_lines == 0 ? "No quarantined log lines." : "\(q.quarantined_lines) log lines were quarantined (unreadable).")
        if q.unpriced_calls > 0 {
            quality.append(
                "\(q.unpriced_calls) calls have no price (" + q.unpriced_models.map { $0.provider + "/" + $0.model }.joined(separator: ", ")
                    + "); counted at $0.")
        } else {
            quality.append("Every model is priced.")
        }
        if q.calls_without_latency > 0 { quality.append("\(q.calls_without_latency) calls have no latency.") }
        if !q.gap_days.isEmpty { quality.append("Days without calls: " + q.gap_days.joined(separator: ", ") + ".") }
        groups.append(.init(heading: "Data quality", lines: quality))
        return ReportFindings(groups: groups)
    }
}
