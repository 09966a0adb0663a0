import HomeBaseCore
import SQLiteStore
import Config
import Analytics
import Query
import Render
/// Turns an `Analysis` (plus the previous period's numbers, the credential check and any query
/// results) into a `ReportDocument`, with the sections the report definition asks for, in its order.
/// Never reads the lake; every chart carries the table of its numbers.
package struct ReportBuilder: Sendable {
    package var analysis: Analysis
    package var definition: ReportDefinition
    package var frame: ReportTimeFrame
    package var extras: ReportExtras
    package var zone: ReportZone
    package var generatedAtMicros: Int64
    /// The agent the report is restricted to, if any (shown in the title).
    package var agent: String?
    /// nil when no credential inventory is configured (the section is then empty).
    package var credentials: [CredentialStatus]?
    /// Results of the definition's query blocks, by the block's `key`.
    package var queryResults: [String: QueryResult] = [:]
    /// An on-demand `--from/--to` report: titled as custom, not as the definition's period.
    package var custom = false
    /// Extra caveats for the top of the report (e.g. budget agents with no calls).
    package var extraNotes: [String] = []
    /// Agents with a budget that never made a call: their budget rows say so instead of "ok".
    package var budgetAgentsWithoutCalls: Set<String> = []
    /// The currency money is shown in (the config's `currency`) and its rates; USD by default.
    package var currency = ReportCurrency.usd
    /// The rules the e-mail's alert list is judged by (the config's `alerts`).
    package var alertRules = HomeBaseConfig.AlertRules()
    /// Whether the period has no calls at all (every section then says so).
    var isEmptyPeriod: Bool { analysis.cost.total.calls == 0 }

    package init(
        analysis: Analysis, definition: ReportDefinition, frame: ReportTimeFrame, extras: ReportExtras,
        zone: ReportZone, generatedAtMicros: Int64, agent: String? = nil, credentials: [CredentialStatus]? = nil
    ) {
        self.analysis = analysis
        self.definition = definition
        self.frame = frame
        self.extras = extras
        self.zone = zone
        self.generatedAtMicros = generatedAtMicros
        self.agent = agent
        self.credentials = credentials
    }

    /// What one block adds to its section; nil when it has nothing to show.
    struct Content {
        var paragraphs: [String] = []
        var charts: [ReportChart] = []
        var tables: [ReportTable] = []
    }

    package func build() throws -> ReportDocument {
        var sections: [ReportSection] = []
        for section in definition.sections {
            var out = ReportSection(title: section.title)
            for block in section.blocks {
                let content: Content?
                switch block {
                case let .analysis(name): content = analysisBlock(name)
                case let .query(query): content = try queryBlock(query)
                }
                guard let content else { continue }
                out.paragraphs += content.paragraphs
                out.charts += content.charts
                out.tables += content.tables
            }
            if isEmptyPeriod && section.blocks.contains(where: { Self.needsCalls($0) }) {
                if section.omitWhenEmpty { continue }
                out = ReportSection(title: section.title, paragraphs: ["No calls in this period."])
            }
            if out.paragraphs.isEmpty && out.charts.isEmpty && out.tables.isEmpty {
                if section.omitWhenEmpty { continue }
                out.paragraphs = ["Nothing to show for this period."]
            }
            for chart in out.charts { try chart.validate() }
            for table in out.tables { try table.validate() }
            sections.append(out)
        }
        let title = (custom ? "Custom report: " : "") + definition.title + (agent.map { " (agent " + $0 + ")" } ?? "")
        // Every header states the zone the days are counted in.
        var period = frame.current
        period.label = (custom ? "custom" : period.label) + "; days in " + zone.identifier
        var document = ReportDocument(
            title: title, period: period, metrics: metrics(), sections: sections,
            generatedAtMicros: generatedAtMicros, zone: zone,
            notes: (isEmptyPeriod ? ["No calls in this period."] : []) + extraNotes + notes())
        document.findings = findings()
        return document
    }

    func analysisBlock(_ name: String) -> Content? {
        switch name {
        case "headline": return headline()
        case "spend_by_model": return spendByModel()
        case "spend_by_agent": return spendByAgent()
        case "forecast": return forecast()
        case "budget": return budget()
        case "budget_burndown": return budgetBurndown()
        case "agent_drilldown": return agentDrilldown()
        case "next_month": return nextMonth()
        case "latency": return latency()
        case "errors": return errors()
        case "retries": return retries()
        case "anomalies": return anomalies()
        case "reconciliation": return reconciliation()
        case "recommendations": return recommendations()
        case "credentials": return credentialSection()
        case "key_usage": return keyUsageSection()
        case "credential_audit": return credentialAuditSection()
        case "data_quality": return dataQuality()
        case "health": return healthBlock()
        default: return nil
        }
    }

    /// The headline numbers: this period with the change against the previous one, and the budget.
    func metrics() -> [ReportMetric] {
        let total = analysis.cost.total, previous = extras.previous
        var metrics = [
            ReportMetric(label: "Spend", value: currency.cell(total.cost_usd), delta: Self.change(total.cost_usd, previous.costUSD)),
            ReportMetric(label: "Calls", value: .integer(Int64(total.calls)), delta: Self.change(Double(total.calls), Double(previous.calls))),
            ReportMetric(
                label: "Error rate", value: analysis.errors.overall.rate.map { .percent($0, places: 2) } ?? .empty,
                delta: Self.change(analysis.errors.overall.rate, previous.errorRate)),
            ReportMetric(
                label: "p95 latency", value: analysis.latency.overall.p95.map { .decimal($0, places: 1) } ?? .empty,
                delta: Self.change(analysis.latency.overall.p95, previous.p95LatencyMs), unit: "ms")
        ]
        if let budget = analysis.budgets.overall {
            metrics.append(ReportMetric(label: "Budget used " + analysis.budgets.month, value: .percent(budget.percent_used / 100, places: 1)))
            metrics.append(ReportMetric(label: "Projected " + analysis.budgets.month, value: currency.cell(budget.projected_usd)))
        } else if let forecast = analysis.forecasts.overall, !forecast.month_end.month.isEmpty {
            metrics.append(
                ReportMetric(label: "Projected " + forecast.month_end.month, value: currency.cell(forecast.month_end.projected_usd)))
        }
        return metrics
    }

    /// The headline numbers as a table: this period, the previous one, and the change.
    func headline() -> Content {
        let previous = extras.previous
        func row(_ label: String, _ now: ReportCell, _ before: ReportCell, _ delta: Double?) -> [ReportCell] {
            [.text(label), now, before, delta.map { .percent($0, places: 1) } ?? .empty]
        }
        let total = analysis.cost.total
        let rows: [[ReportCell]] = [
            row(
                "Spend", currency.cell(total.cost_usd), currency.cell(previous.costUSD),
                Self.change(total.cost_usd, previous.costUSD)),
            row("Calls", .integer(Int64(total.calls)), .integer(Int64(previous.calls)), Self.change(Double(total.calls), Double(previous.calls))),
            row(
                "Errors", .integer(Int64(analysis.errors.overall.errors)), .integer(Int64(previous.errors)),
                Self.change(Double(analysis.errors.overall.errors), Double(previous.errors))),
            row(
                "Error rate", Self.percent(analysis.errors.overall.rate, 2), Self.percent(previous.errorRate, 2),
                Self.change(analysis.errors.overall.rate, previous.errorRate)),
            row(
                "p95 latency (ms)", Self.decimal(analysis.latency.overall.p95, 1), Self.decimal(previous.p95LatencyMs, 1),
                Self.change(analysis.latency.overall.p95, previous.p95LatencyMs))
        ]
        let text =
            "Previous period: " + UTCDate.dateString(days: frame.previousFirstDay) + " to " + UTCDate.dateString(days: frame.previousLastDay) + "."
        return Content(
            paragraphs: [text],
            tables: [
                ReportTable(
                    title: "Headline numbers",
                    columns: [
                        ReportColumn("Measure"), ReportColumn("This period", alignment: .right), ReportColumn("Previous period", alignment: .right),
                        ReportColumn("Change", alignment: .right)
                    ], rows: rows)
            ])
    }

    /// Caveats under the title: quarantined lines, unpriced models, calls without latency.
    func notes() -> [String] {
        let q = analysis.data_quality
        var notes: [String] = []
        if q.quarantined_lines > 0 { notes.append("\(q.quarantined_lines) log lines were quarantined (unreadable); see Data quality.") }
        if q.unpriced_calls > 0 {
            let names = q.unpriced_models.map { $0.provider + "/" + $0.model }.joined(separator: ", ")
            notes.append("\(q.unpriced_calls) calls have no price (\(names)); their spend counts as $0.")
        }
        if !currency.note.isEmpty { notes.append(currency.note) }
        return notes
    }

    // MARK: helpers

    /// Blocks that show nothing true without calls (all but the headline, budgets, credentials,
    /// reconciliation and data quality), so an empty period says so instead of zeros and a $0 forecast.
    static func needsCalls(_ block: ReportDefinition.Block) -> Bool {
        guard case let .analysis(name) = block else { return true }
        return !["headline", "budget", "credentials", "key_usage", "credential_audit", "reconciliation", "data_quality", "health"].contains(name)
    }

    /// (current − previous) / previous; nil when either is missing or previous is 0.
    static func change(_ current: Double?, _ previous: Double?) -> Double? {
        guard let current, let previous, previous != 0 else { return nil }
        return (current - previous) / previous
    }

    func money(_ value: Double?) -> ReportCell { currency.cell(value) }
    static func percent(_ value: Double?, _ places: Int) -> ReportCell { value.map { .percent($0, places: places) } ?? .empty }
    static func decimal(_ value: Double?, _ places: Int) -> ReportCell { value.map { .decimal($0, places: places) } ?? .empty }

    /// Day labels of the report period and their index into `analysis.range.days` (nil when outside it).
    var days: [(label: String, day: Int64, index: Int?)] {
        let index = Dictionary(analysis.range.days.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return (frame.current.firstDay...frame.current.lastDay).map { day in
            let label = UTCDate.dateString(days: day)
            return (label, day, index[label])
        }
    }

    /// What the circled points of a chart mean, one sentence each (the same points `markers` draws);
    /// none when the report has an anomalies section, which lists and explains them.
    func markerNotes(metric: String, agents: Bool = false) -> [String] {
        guard !definition.sections.contains(where: { $0.blocks.contains(.analysis("anomalies")) }) else { return [] }
        let inPeriod = Set(days.map(\.label))
        let points = analysis.anomalies.flagged.prefix(Self.maxAnomalies).filter {
            $0.period == "day" && $0.metric == metric && (agents || $0.agent_id == agent) && inPeriod.contains($0.at)
        }
        guard !points.isEmpty else { return [] }
        return ["Circled on the chart: " + points.compactMap(\.reason).joined(separator: " ")]
    }

    /// Daily anomalies of `metric` (fleet-wide when `agent` is nil) as chart markers at the day's `value`.
    func markers(metric: String, agents: Bool = false, value: (Int) -> Double?) -> [ChartMarker] {
        let position = Dictionary(days.enumerated().map { ($1.label, $0) }, uniquingKeysWith: { a, _ in a })
        return analysis.anomalies.flagged.prefix(Self.maxAnomalies).compactMap { point in
            guard point.period == "day", point.metric == metric, agents || point.agent_id == agent,
                let x = position[point.at], let y = value(x)
            else { return nil }
            let who = point.agent_id.map { $0 + " " } ?? ""
            return ChartMarker(index: x, value: y, label: who + metric + " z=" + ReportNumberFormat.fixed(point.score, places: 1))
        }
    }
}
