import HomeBaseCore
/// A finished report in format-neutral form: what every writer (HTML, PDF, CSV, XLSX, e-mail) renders.
/// Built from `Analysis` by the report command; the writers never look at the lake.
package struct ReportDocument: Sendable, Equatable {
    package var title: String
    /// The period covered, e.g. "2026-05-11 to 2026-05-17 (weekly)".
    package var period: ReportPeriod
    package var metrics: [ReportMetric]
    package var sections: [ReportSection]
    /// When the report was made (injected, so output is reproducible), epoch microseconds UTC.
    package var generatedAtMicros: Int64
    /// The zone timestamps are shown in.
    package var zone: ReportZone
    /// Short lines shown under the title (data-quality caveats, backtest error, etc.).
    package var notes: [String]
    /// What the e-mail body reports (alerts, top agents and models, anomalies, budget, data quality); nil: only the headline numbers.
    package var findings: ReportFindings?

    package init(
        title: String, period: ReportPeriod, metrics: [ReportMetric] = [], sections: [ReportSection] = [],
        generatedAtMicros: Int64, zone: ReportZone = .utc, notes: [String] = []
    ) {
        self.title = title
        self.period = period
        self.metrics = metrics
        self.sections = sections
        self.generatedAtMicros = generatedAtMicros
        self.zone = zone
        self.notes = notes
    }

    /// Every table of the document in reading order: section tables and the tables of charts.
    package var allTables: [ReportTable] {
        sections.flatMap { section in section.charts.map(\.table) + section.tables }
    }
}

/// The days a report covers, inclusive, as day numbers since 1970-01-01, with a label such as "weekly".
package struct ReportPeriod: Sendable, Equatable {
    package var firstDay: Int64
    package var lastDay: Int64
    package var label: String

    package init(firstDay: Int64, lastDay: Int64, label: String) {
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.label = label
    }

    /// "2026-05-11 to 2026-05-17 (weekly)".
    package var text: String {
        let range =
            firstDay == lastDay
            ? UTCDate.dateString(days: firstDay)
            : UTCDate.dateString(days: firstDay) + " to " + UTCDate.dateString(days: lastDay)
        return label.isEmpty ? range : range + " (" + label + ")"
    }
}

/// One headline number: its value, the relative change against the previous period, and a unit word.
package struct ReportMetric: Sendable, Equatable {
    package var label: String
    package var value: ReportCell
    /// (current − previous) / previous, or nil when there is no previous value.
    package var delta: Double?
    /// Shown after the value when the cell type does not carry it ("ms", "calls"); may be empty.
    package var unit: String

    package init(label: String, value: ReportCell, delta: Double? = nil, unit: String = "") {
        self.label = label
        self.value = value
        self.delta = delta
        self.unit = unit
    }

    /// "1,234 ms" style display text.
    /// The value and its unit; "n/a" when there is no value (never a bare unit).
    package var valueText: String {
        if value == .empty { return "n/a" }
        return unit.isEmpty ? value.displayText : value.displayText + " " + unit
    }

    /// "+12.3% vs previous", or "" when there is no delta.
    package var deltaText: String {
        guard let delta, delta.isFinite else { return "" }
        let percent = ReportNumberFormat.fixed(delta * 100, places: 1)
        return (delta >= 0 ? "+" : "") + percent + "% vs previous"
    }
}

/// One part of a report (a bookmark in the PDF, a sheet group in XLSX): text, charts, tables.
package struct ReportSection: Sendable, Equatable {
    package var title: String
    package var paragraphs: [String]
    package var charts: [ReportChart]
    package var tables: [ReportTable]

    package init(title: String, paragraphs: [String] = [], charts: [ReportChart] = [], tables: [ReportTable] = []) {
        self.title = title
        self.paragraphs = paragraphs
        self.charts = charts
        self.tables = tables
    }
}
