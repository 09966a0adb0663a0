import Foundation
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Render

/// A deterministic sample report with every kind of chart layer and cell type, for the demo and the tests.
/// `hostile: true` puts spreadsheet formulas, markup, PDF delimiters and non-Latin text into the data.
package enum ReportSample {
    package static let hostileNames = [
        "=HYPERLINK(\"http://evil.example/x\",\"click\")", "<script>alert(1)</script>", "a)b\\(c", "Zoë – “quoted” €5",
        "日本語 agent 📈", "-1+2", "+33 6 12", "@SUM(A1)", "\tTabbed", "line\r\nBcc: victim@example.net", "_x0041_ & <b>"
    ]

    package static func document(hostile: Bool = false, longTableRows: Int = 90) -> ReportDocument {
        let firstDay = UTCDate.days(year: 2026, month: 4, day: 20)
        let days = 28, horizon = 7
        let labels = (0..<(days + horizon)).map { UTCDate.dateString(days: firstDay + Int64($0)) }
        let models =
            hostile
            ? ["anthropic/claude-sonnet-4", hostileNames[0], hostileNames[4]]
            : ["anthropic/claude-sonnet-4", "openai/gpt-4.1", "google/gemini-2.5-pro"]
        let bases = [12.0, 7.5, 3.25]
        func spend(_ m: Int, _ d: Int) -> Double {
            // A weekly rhythm plus a slow rise, rounded to cents; day 17 of model 0 is a spike (the anomaly).
            let v = bases[m] * (1 + 0.3 * sin(Double(d) * 2 * Double.pi / 7)) + Double(d) * 0.11 * Double(m + 1)
            return ((d == 17 && m == 0 ? v * 3 : v) * 100).rounded() / 100
        }
        let bars = models.indices.map { m in ChartSeries(name: models[m], values: (0..<(days + horizon)).map { d in d < days ? spend(m, d) : nil }) }
        let totals = (0..<days).map { d in models.indices.reduce(0.0) { $0 + spend($1, d) } }
        let lastTotal = totals[days - 1]
        let forecast: [Double?] = (0..<(days + horizon)).map { d in d >= days - 1 ? lastTotal + Double(d - days + 1) * 0.4 : nil }
        func band(_ width: Double) -> ChartBand {
            ChartBand(
                name: width > 1.5 ? "95% interval" : "80% interval",
                lower: forecast.enumerated().map { d, v in v.map { $0 - width * Double(d - days + 1) } },
                upper: forecast.enumerated().map { d, v in v.map { $0 + width * Double(d - days + 1) } })
        }
        var spendRows: [[ReportCell]] = []
        for d in 0..<(days + horizon) {
            var row: [ReportCell] = [.date(firstDay + Int64(d))]
            row += models.indices.map { m in d < days ? .money(spend(m, d), currency: "USD") : .empty }
            row.append(d < days ? .money(totals[d], currency: "USD") : .empty)
            row.append(forecast[d].map { .money($0, currency: "USD") } ?? .empty)
            spendRows.append(row)
        }
        let spendTable = ReportTable(
            title: "Spend per day by model",
            columns: [ReportColumn("Day")] + models.map { ReportColumn($0, alignment: .right) }
                + [ReportColumn("Total", alignment: .right), ReportColumn("Forecast", alignment: .right)],
            rows: spendRows)
        let spendChart = ReportChart(
            title: "Spend per day, stacked by model, with forecast and budget", xLabels: labels,
            xAxisLabel: "Day (UTC)", yAxisLabel: "USD per day",
            stackedBars: bars, lines: [ChartSeries(name: "Forecast", values: forecast)],
            bands: [band(2.0), band(1.0)],
            referenceLines: [ChartReferenceLine(label: "Daily budget $40", value: 40)],
            markers: [ChartMarker(index: 17, value: totals[17], label: "Spike on " + labels[17])],
            table: spendTable)

        let p50 = (0..<days).map { d in 800 + 60 * sin(Double(d)) }
        let p95 = (0..<days).map { d in 2400 + 300 * cos(Double(d) / 2) }
        let latencyChart = ReportChart(
            title: "Latency percentiles", xLabels: Array(labels.prefix(days)), xAxisLabel: "Day (UTC)", yAxisLabel: "ms",
            lines: [
                ChartSeries(name: "p50", values: p50.map { Optional($0.rounded()) }),
                ChartSeries(name: "p95", values: p95.enumerated().map { $0.offset == 9 ? nil : $0.element.rounded() })
            ],
            table: ReportTable(
                title: "Latency per day (ms)",
                columns: [ReportColumn("Day"), ReportColumn("p50", alignment: .right), ReportColumn("p95", alignment: .right)],
                rows: (0..<days).map { d in
                    [.date(firstDay + Int64(d)), .integer(Int64(p50[d].rounded())), d == 9 ? .empty : .integer(Int64(p95[d].rounded()))]
                }))

        let agentNames = hostile ? hostileNames : ["ops-bot", "research", "support-eu", "billing", "triage"]
        var agentRows: [[ReportCell]] = []
        for i in 0..<longTableRows {
            let name = agentNames[i % agentNames.count] + (i < agentNames.count ? "" : " #\(i / agentNames.count + 1)")
            agentRows.append([
                .text(name), .integer(Int64(1000 + i * 37)), .money(Double(i * 1234 % 9973) / 7 - 40, currency: "USD"),
                .percent(Double(i % 13) / 400, places: 2), .decimal(Double(i) * 1.125, places: 3),
                .timestamp(Int64(1_777_000_000 + i * 3_600) * 1_000_000)
            ])
        }
        let agentTable = ReportTable(
            title: "Agents",
            columns: [
                ReportColumn("Agent"), ReportColumn("Calls", alignment: .right), ReportColumn("Spend vs budget", alignment: .right),
                ReportColumn("Error rate", alignment: .right), ReportColumn("Tokens (M)", alignment: .right), ReportColumn("Last call")
            ],
            rows: agentRows)
        let errors = ReportTable(
            title: "Errors by class",
            columns: [ReportColumn("Class"), ReportColumn("Count", alignment: .right), ReportColumn("Retried OK", alignment: .right)],
            rows: [
                [.text("rate_limit"), .integer(41), .percent(0.8537, places: 1)],
                [.text("timeout"), .integer(12), .percent(0.5, places: 1)],
                [.text(hostile ? hostileNames[2] : "server_error"), .integer(3), .percent(0, places: 1)]
            ])
        let total = totals.reduce(0, +)
        return ReportDocument(
            title: hostile ? "Fleet report " + hostileNames[1] : "Home Base weekly report",
            period: ReportPeriod(firstDay: firstDay, lastDay: firstDay + Int64(days - 1), label: "4 weeks"),
            metrics: [
                ReportMetric(label: "Spend", value: .money((total * 100).rounded() / 100, currency: "USD"), delta: 0.123),
                ReportMetric(label: "Calls", value: .integer(10_452), delta: -0.045),
                ReportMetric(label: "Error rate", value: .percent(0.0213, places: 2), delta: 0.1),
                ReportMetric(label: "p95 latency", value: .integer(2612), delta: nil, unit: "ms"),
                ReportMetric(label: "Budget used", value: .percent(0.62, places: 0)),
                ReportMetric(label: "Projected month end", value: .money(1288.4, currency: "USD"))
            ],
            sections: [
                ReportSection(
                    title: "Spend",
                    paragraphs: [
                        "Spend per day stacked by model. The shaded band is the forecast's 80% and 95% interval; the dashed line is the daily budget; the circled point is an anomaly (robust z 6.1)."
                    ],
                    charts: [spendChart]),
                ReportSection(title: "Latency", charts: [latencyChart]),
                ReportSection(
                    title: "Errors and agents", paragraphs: ["Errors by class with the share of retries that succeeded, then every agent."],
                    tables: [errors, agentTable])
            ],
            generatedAtMicros: 1_779_372_188_000_000,  // 2026-05-21T14:03:08Z
            notes: hostile
                ? ["Unpriced model: " + hostileNames[3], "Quarantined lines: 2"]
                : ["Quarantined lines: 2; unpriced models: none.", "Forecast backtest error (MAPE) 8.4% vs seasonal-naive 11.9%."])
    }
}
