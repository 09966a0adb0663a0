import HomeBaseCore
import SQLiteStore
import Analytics
import Render
/// The analysis blocks a report definition can show (see `ReportDefinition.analysisBlocks`).
extension ReportBuilder {
    /// A "Day | series… | Total" money table and the stacked bar chart over it.
    private func stackedSpend(title: String, names: [String], values dollars: [[Double]], markers: [ChartMarker], axis: String) -> ReportChart {
        let days = self.days
        // Each day at its own rate (a no-op in USD).
        let values = dollars.map { series in days.indices.map { d in currency.value(series[d], day: days[d].day) } }
        let totals = days.indices.map { d in values.reduce(0) { $0 + $1[d] } }
        var rows: [[ReportCell]] = days.indices.map { d in
            [.date(days[d].day)] + values.map { currency.converted($0[d]) } + [currency.converted(totals[d])]
        }
        // Sums of the unrounded values: the last cell is the period's spend, as in the headline.
        rows.append([.text("Total")] + values.map { currency.converted($0.reduce(0, +)) } + [currency.converted(totals.reduce(0, +))])
        let table = ReportTable(
            title: title,
            columns: [ReportColumn("Day")] + names.map { ReportColumn($0, alignment: .right) }
                + [ReportColumn("Total", alignment: .right)], rows: rows)
        return ReportChart(
            title: title, xLabels: days.map(\.label), xAxisLabel: "Day (\(zone.identifier))", yAxisLabel: "\(currency.code) per day",
            stackedBars: zip(names, values).map { ChartSeries(name: $0, values: $1.map { Optional($0) }) },
            markers: markers, table: table)
    }

    /// Fleet cost anomalies marked on top of a day's stack.
    private func costMarkers(_ values: [[Double]]) -> [ChartMarker] {
        markers(metric: "cost_usd", agents: true) { d in values.reduce(0) { $0 + $1[d] } }
    }

    func spendByModel() -> Content? {
        guard !extras.models.isEmpty else { return nil }
        // The most expensive models by name, the rest summed, so the chart and its table stay readable.
        var names = Array(extras.models.prefix(Self.maxSeries))
        var values = names.map { extras.dailyCostByModel[$0] ?? [] }
        let rest = extras.models.dropFirst(Self.maxSeries)
        if !rest.isEmpty {
            names.append("\(rest.count) other models")
            values.append(days.indices.map { d in rest.reduce(0) { $0 + (extras.dailyCostByModel[$1]?[safe: d] ?? 0) } })
        }
        let chart = stackedSpend(title: "Spend per day by model", names: names, values: values, markers: costMarkers(values), axis: "model")
        let marked = markerNotes(metric: "cost_usd", agents: true)
        let total = analysis.cost.total.cost_usd
        var rows: [[ReportCell]] = analysis.cost.by_model.sorted { ($1.value.cost_usd, $0.key) < ($0.value.cost_usd, $1.key) }.map { name, t in
            [
                .text(name), .integer(Int64(t.calls)), .integer(t.input_tokens), .integer(t.output_tokens), .integer(t.cache_read_tokens),
                currency.cell(t.cost_usd), total > 0 ? .percent(t.cost_usd / total, places: 1) : .empty
            ]
        }
        let all = analysis.cost.total
        rows.append([
            .text("Total"), .integer(Int64(all.calls)), .integer(all.input_tokens), .integer(all.output_tokens), .integer(all.cache_read_tokens),
            currency.cell(all.cost_usd), total > 0 ? .percent(1, places: 1) : .empty
        ])
        let table = ReportTable(
            title: "Spend by model",
            columns: [
                ReportColumn("Model"), ReportColumn("Calls", alignment: .right),
                ReportColumn("Input tokens", alignment: .right), ReportColumn("Output tokens", alignment: .right),
                ReportColumn("Cache reads", alignment: .right),
                ReportColumn("Spend", alignment: .right), ReportColumn("Share", alignment: .right)
            ], rows: rows)
        return Content(paragraphs: marked, charts: [chart], tables: [table])
    }

    func spendByAgent() -> Content? {
        let names = analysis.daily.by_agent.keys.sorted {
            (analysis.cost.by_agent[$1]?.cost_usd ?? 0, $0) < (analysis.cost.by_agent[$0]?.cost_usd ?? 0, $1)
        }
        guard !names.isEmpty else { return nil }
        let days = self.days
        let values = names.map { name in days.map { d in d.index.flatMap { analysis.daily.by_agent[name]?.cost_usd[safe: $0] } ?? 0 } }
        let chart = stackedSpend(title: "Spend per day by agent", names: names, values: values, markers: costMarkers(values), axis: "agent")
        let marked =
            definition.sections.contains { $0.blocks.contains(.analysis("spend_by_model")) } ? [] : markerNotes(metric: "cost_usd", agents: true)
        var rows: [[ReportCell]] = names.map { name in
            let t = analysis.cost.by_agent[name] ?? Analysis.Totals()
            return [
                .text(name), .integer(Int64(t.calls)), .integer(Int64(t.errors)), currency.cell(t.cost_usd),
                money(t.cost_per_request_usd), Self.percent(t.cache_hit_ratio, 1)
            ]
        }
        let all = analysis.cost.total
        rows.append([
            .text("Total"), .integer(Int64(all.calls)), .integer(Int64(all.errors)), currency.cell(all.cost_usd),
            money(all.cost_per_request_usd), Self.percent(all.cache_hit_ratio, 1)
        ])
        let table = ReportTable(
            title: "Spend by agent",
            columns: [
                ReportColumn("Agent"), ReportColumn("Calls", alignment: .right),
                ReportColumn("Errors", alignment: .right), ReportColumn("Spend", alignment: .right), ReportColumn("Per call", alignment: .right),
                ReportColumn("Cache hit ratio", alignment: .right)
            ], rows: rows)
        return Content(paragraphs: marked, charts: [chart], tables: [table])
    }

    func forecast() -> Content? {
        guard let f = analysis.forecasts.overall, !f.days.isEmpty else { return nil }
        let days = self.days
        let actual = Dictionary(
            days.map { d in (d.label, currency.value(d.index.flatMap { analysis.daily.overall.cost_usd[safe: $0] } ?? 0, day: d.day)) },
            uniquingKeysWith: { a, _ in a })
        let points = Dictionary(f.days.map { ($0.date, currency.converting($0)) }, uniquingKeysWith: { a, _ in a })
        let labels = Array(Set(days.map(\.label)).union(f.days.map(\.date))).sorted()
        let budgetPerDay = analysis.budgets.overall.map { $0.budget_usd / Double(Self.daysInMonth(analysis.budgets.month)) }
        let chart = ReportChart(
            title: "Daily spend and forecast", xLabels: labels, xAxisLabel: "Day (\(zone.identifier))", yAxisLabel: "\(currency.code) per day",
            stackedBars: [ChartSeries(name: "Actual", values: labels.map { actual[$0] })],
            lines: [ChartSeries(name: "Forecast (\(f.method))", values: labels.map { points[$0]?.mean })],
            bands: [
                ChartBand(name: "95% interval", lower: labels.map { points[$0]?.lo95 }, upper: labels.map { points[$0]?.hi95 }),
                ChartBand(name: "80% interval", lower: labels.map { points[$0]?.lo80 }, upper: labels.map { points[$0]?.hi80 })
            ],
            referenceLines: budgetPerDay.map {
                [ChartReferenceLine(label: "Daily budget " + currency.cell($0).displayText, value: currency.value($0))]
            } ?? [],
            table: ReportTable(
                title: "Daily spend and forecast",
                columns: ["Day", "Actual", "Forecast", "80% low", "80% high", "95% low", "95% high"].enumerated().map {
                    ReportColumn($1, alignment: $0 == 0 ? .left : .right)
                },
                rows: labels.map { label in
                    let p = points[label]
                    return [
                        .date(UTCDate.parseDate(label) ?? 0), currency.converted(actual[label]), currency.converted(p?.mean),
                        currency.converted(p?.lo80), currency.converted(p?.hi80), currency.converted(p?.lo95), currency.converted(p?.hi95)
                    ]
                }))
        var text = "Forecast by \(f.method) from \(f.history_days) days of history"
        if let mase = f.mase {
            text += " (backtest MASE " + ReportNumberFormat.fixed(mase, places: 2) + " against seasonal naive"
            if let c = f.coverage_80 { text += "; its 80% band held " + ReportNumberFormat.fixed(c * 100, places: 0) + "% of actuals" }
            text += ")"
        }
        text +=
            ": next 7 days " + currency.cell(f.next_7_days_usd).displayText
            + ", next 30 days " + currency.cell(f.next_30_days_usd).displayText
            + "; " + f.month_end.month + " projected at " + currency.cell(f.month_end.projected_usd).displayText + "."
        if let first = f.days.first { text += " The forecast starts on " + first.date + ", the day after the last complete day." }
        var band =
            "Shaded: the forecast's 80% (darker) and 95% intervals"
            + (budgetPerDay == nil ? "." : "; dashed: the monthly budget spread over the month's days.")
        if f.days.contains(where: { $0.lo95 == 0 && $0.hi95 > 0 }) {
            band += " Lower bounds that would fall below $0 are shown as $0 (spend cannot be negative)."
        }
        return Content(paragraphs: [text, band], charts: [chart])
    }

    /// Per agent (most spend first): spend and its change against the previous period, the days of least and
    /// most spend, and the model mix (spend, calls and share of the agent's spend per model).
    func agentDrilldown() -> Content? {
        let agents = extras.costByAgentModel.keys.sorted {
            (analysis.cost.by_agent[$1]?.cost_usd ?? 0, $0) < (analysis.cost.by_agent[$0]?.cost_usd ?? 0, $1)
        }
        guard !agents.isEmpty else { return nil }
        var paragraphs: [String] = []
        var rows: [[ReportCell]] = []
        for agent in agents {
            let mix = extras.costByAgentModel[agent] ?? [:]
            let total = mix.values.reduce(0, +)
            var text =
                agent + ": "
                + ReportFindings.change(
                    currency.value(total), previous: extras.previousCostByAgent[agent].map { currency.value($0) }, currency: currency.code)
            let daily = days.map { d in d.index.flatMap { analysis.daily.by_agent[agent]?.cost_usd[safe: $0] } ?? 0 }
            if days.count > 1, let low = daily.indices.min(by: { daily[$0] < daily[$1] }), let high = daily.indices.max(by: { daily[$0] < daily[$1] })
            {
                text +=
                    "; least on " + days[low].label + " (" + currency.cell(daily[low], day: days[low].day).displayText + "), most on "
                    + days[high].label + " (" + currency.cell(daily[high], day: days[high].day).displayText + ")"
            }
            paragraphs.append(text + ".")
            for model in mix.keys.sorted(by: { (mix[$1] ?? 0, $0) < (mix[$0] ?? 0, $1) }) {
                let cost = mix[model] ?? 0
                rows.append([
                    .text(agent), .text(model), .integer(Int64(extras.callsByAgentModel[agent]?[model] ?? 0)), currency.cell(cost),
                    total > 0 ? .percent(cost / total, places: 1) : .empty
                ])
            }
        }
        return Content(
            paragraphs: paragraphs,
            tables: [
                ReportTable(
                    title: "Model mix by agent",
                    columns: [
                        ReportColumn("Agent"), ReportColumn("Model"),
                        ReportColumn("Calls", alignment: .right), ReportColumn("Spend", alignment: .right),
                        ReportColumn("Share of agent", alignment: .right)
                    ], rows: rows)
            ])
    }

    /// This month's actual spend beside next month's projection: the forecast's daily means of the next month's
    /// days, scaled up to the whole month when the forecast ends before it does (and then saying so).
    func nextMonth() -> Content? {
        guard let f = analysis.forecasts.overall, !extras.monthToDate.isEmpty else { return nil }
        let civil = UTCDate.civil(days: frame.current.lastDay)
        let thisMonth = String(UTCDate.dateString(days: frame.current.lastDay).prefix(7))
        let nextFirst =
            civil.month == 12 ? UTCDate.days(year: civil.year + 1, month: 1, day: 1) : UTCDate.days(year: civil.year, month: civil.month + 1, day: 1)
        let nextMonth = String(UTCDate.dateString(days: nextFirst).prefix(7))
        let length = Self.daysInMonth(nextMonth)
        let covered = f.days.filter { $0.date.hasPrefix(nextMonth + "-") }
        guard !covered.isEmpty else { return nil }
        let sum = covered.reduce(0) { $0 + $1.mean }
        let projected = sum * Double(length) / Double(covered.count)
        let actual = extras.monthToDate.reduce(0, +)
        var text = nextMonth + " is projected at " + currency.cell(projected).displayText + " by the " + f.method + " forecast"
        text += covered.count < length ? ", from its \(covered.count) forecast days of \(length) scaled to the month." : "."
        return Content(
            paragraphs: [text],
            tables: [
                ReportTable(
                    title: "This month and next",
                    columns: [
                        ReportColumn("Month"), ReportColumn("Spend", alignment: .right),
                        ReportColumn("Kind")
                    ],
                    rows: [
                        [
                            .text(thisMonth), currency.cell(actual),
                            .text(frame.current.lastDay == nextFirst - 1 ? "actual" : "actual to date")
                        ],
                        [.text(nextMonth), currency.cell(projected), .text("projected")]
                    ])
            ])
    }

    /// Cumulative month-to-date spend against the fleet budget, continued by the forecast to the month's end.
    func budgetBurndown() -> Content? {
        guard let budget = analysis.budgets.overall, !extras.monthToDate.isEmpty else { return nil }
        let civil = UTCDate.civil(days: frame.current.lastDay)
        let first = UTCDate.days(year: civil.year, month: civil.month, day: 1)
        let count = Self.daysInMonth(UTCDate.dateString(days: first).prefix(7).description)
        let labels = (0..<count).map { UTCDate.dateString(days: first + Int64($0)) }
        let forecast = Dictionary((analysis.forecasts.overall?.days ?? []).map { ($0.date, $0.mean) }, uniquingKeysWith: { a, _ in a })
        var spent: [Double?] = [], projected: [Double?] = []
        var running = 0.0
        for i in 0..<count {
            if i < extras.monthToDate.count {
                running += currency.value(extras.monthToDate[i], day: first + Int64(i))
                spent.append(running)
                projected.append(i == extras.monthToDate.count - 1 ? running : nil)
            } else {
                running += currency.value(forecast[labels[i]] ?? 0)
                spent.append(nil)
                projected.append(running)
            }
        }
        let chart = ReportChart(
            title: "Budget burn-down " + String(UTCDate.dateString(days: first).prefix(7)), xLabels: labels, xAxisLabel: "Day (\(zone.identifier))",
            yAxisLabel: "\(currency.code) this month",
            lines: [ChartSeries(name: "Spent", values: spent), ChartSeries(name: "Projected", values: projected)],
            referenceLines: [
                ChartReferenceLine(label: "Budget " + currency.cell(budget.budget_usd).displayText, value: currency.value(budget.budget_usd))
            ],
            table: ReportTable(
                title: "Budget burn-down",
                columns: [
                    ReportColumn("Day"), ReportColumn("Spent so far", alignment: .right),
                    ReportColumn("Projected", alignment: .right)
                ],
                rows: (0..<count).map { [.date(first + Int64($0)), currency.converted(spent[$0]), currency.converted(projected[$0])] }))
        let text =
            "Spent " + currency.converted(spent.compactMap { $0 }.last ?? 0).displayText + " of the "
            + currency.cell(budget.budget_usd).displayText + " budget by " + UTCDate.dateString(days: frame.current.lastDay)
            + "; the forecast carries it to " + currency.converted(running).displayText + " at the month's end."
        return Content(paragraphs: [text], charts: [chart])
    }

    func budget() -> Content? {
        let section = analysis.budgets
        var scopes: [(String, Analysis.BudgetStatus, Bool)] = section.overall.map { [("Fleet", $0, false)] } ?? []
        scopes += section.by_agent.sorted { $0.key < $1.key }.map { ("Agent " + $0.key, $0.value, budgetAgentsWithoutCalls.contains($0.key)) }
        guard !scopes.isEmpty else { return nil }
        let rows: [[ReportCell]] = scopes.map { name, b, idle in
            [
                .text(name), currency.cell(b.budget_usd), currency.cell(b.actual_usd), .percent(b.percent_used / 100, places: 1),
                currency.cell(b.projected_usd), .percent(b.projected_percent / 100, places: 1),
                b.overrun_date.flatMap(UTCDate.parseDate).map { .date($0) } ?? .empty, .text(idle ? "no calls ever by this agent id" : b.status)
            ]
        }
        return Content(
            paragraphs: ["Budgets of \(section.month), as of the end of the period."],
            tables: [
                ReportTable(
                    title: "Budget " + section.month,
                    columns: [
                        ReportColumn("Scope"), ReportColumn("Budget", alignment: .right), ReportColumn("Spent", alignment: .right),
                        ReportColumn("Used", alignment: .right),
                        ReportColumn("Projected", alignment: .right), ReportColumn("Projected used", alignment: .right), ReportColumn("Overrun on"),
                        ReportColumn("Status")
                    ], rows: rows)
            ])
    }

    func latency() -> Content? {
        guard analysis.latency.overall.n > 0 else { return nil }
        let days = self.days
        let stats = days.map { analysis.latency.by_day[$0.label] }
        let models = Array(extras.models.filter { extras.dailyP95ByModel[$0] != nil }.prefix(3))
        var lines = [
            ChartSeries(name: "p50", values: stats.map { $0?.p50 }), ChartSeries(name: "p95", values: stats.map { $0?.p95 }),
            ChartSeries(name: "p99", values: stats.map { $0?.p99 })
        ]
        lines += models.map { ChartSeries(name: "p95 " + $0, values: extras.dailyP95ByModel[$0] ?? []) }
        let rows: [[ReportCell]] = days.indices.map { d in
            [
                .date(days[d].day), .integer(Int64(stats[d]?.n ?? 0)), Self.decimal(stats[d]?.p50, 1), Self.decimal(stats[d]?.p95, 1),
                Self.decimal(stats[d]?.p99, 1)
            ]
                + models.map { Self.decimal(extras.dailyP95ByModel[$0]?[safe: d] ?? nil, 1) }
        }
        let chart = ReportChart(
            title: "Latency percentiles per day (ms)", xLabels: days.map(\.label), xAxisLabel: "Day (\(zone.identifier))", yAxisLabel: "ms",
            lines: lines, markers: markers(metric: "p95_latency_ms") { stats[$0]?.p95 },
            table: ReportTable(
                title: "Latency per day (ms)",
                columns: [
                    ReportColumn("Day"), ReportColumn("Calls with latency", alignment: .right),
                    ReportColumn("p50", alignment: .right), ReportColumn("p95", alignment: .right), ReportColumn("p99", alignment: .right)
                ]
                    + models.map { ReportColumn("p95 " + $0, alignment: .right) }, rows: rows))
        var byModel = analysis.latency.by_model.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        byModel.insert(("All models", analysis.latency.overall), at: 0)
        let table = ReportTable(
            title: "Latency by model (ms)",
            columns: [ReportColumn("Model")]
                + ["Calls with latency", "Mean", "p50", "p90", "p95", "p99", "Max"].map {
                    ReportColumn($0, alignment: .right)
                },
            rows: byModel.map { name, s in
                [
                    .text(name), .integer(Int64(s.n)), Self.decimal(s.mean, 1), Self.decimal(s.p50, 1), Self.decimal(s.p90, 1),
                    Self.decimal(s.p95, 1), Self.decimal(s.p99, 1), Self.decimal(s.max, 1)
                ]
            })
        let note =
            "Latency counts only calls with a known latency (\(analysis.latency.overall.n) of \(analysis.cost.total.calls) calls); "
            + "the error tables count every call."
        return Content(paragraphs: [note] + markerNotes(metric: "p95_latency_ms"), charts: [chart], tables: [table])
    }

    func errors() -> Content? {
        let overall = analysis.errors.overall
        guard overall.calls > 0 else { return nil }
        let days = self.days
        let stats = days.map { analysis.errors.by_day[$0.label] }
        let chart = ReportChart(
            title: "Error rate per day", xLabels: days.map(\.label), xAxisLabel: "Day (\(zone.identifier))", yAxisLabel: "share of calls",
            lines: [ChartSeries(name: "Error rate", values: stats.map { $0?.rate })],
            markers: markers(metric: "error_rate") { stats[$0]?.rate },
            table: ReportTable(
                title: "Errors per day",
                columns: [
                    ReportColumn("Day"), ReportColumn("Calls", alignment: .right),
                    ReportColumn("Errors", alignment: .right), ReportColumn("Error rate", alignment: .right)
                ],
                rows: days.indices.map { d in
                    [
                        .date(days[d].day), .integer(Int64(stats[d]?.calls ?? 0)),
                        .integer(Int64(stats[d]?.errors ?? 0)), Self.percent(stats[d]?.rate, 2)
                    ]
                }))
        let classes = overall.by_class.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
        let byClass = ReportTable(
            title: "Errors by class",
            columns: [
                ReportColumn("Class"), ReportColumn("Errors", alignment: .right),
                ReportColumn("Share of errors", alignment: .right)
            ],
            rows: classes.map { name, count in
                [.text(name), .integer(Int64(count)), overall.errors > 0 ? .percent(Double(count) / Double(overall.errors), places: 1) : .empty]
            })
        let byProvider = ReportTable(
            title: "Errors by provider",
            columns: [
                ReportColumn("Provider"), ReportColumn("Calls", alignment: .right),
                ReportColumn("Errors", alignment: .right), ReportColumn("Error rate", alignment: .right)
            ],
            rows: analysis.errors.by_provider.sorted { $0.key < $1.key }.map {
                [.text($0.key), .integer(Int64($0.value.calls)), .integer(Int64($0.value.errors)), Self.percent($0.value.rate, 2)]
            })
        return Content(paragraphs: markerNotes(metric: "error_rate"), charts: [chart], tables: [byClass, byProvider])
    }

    func retries() -> Content? {
        let r = analysis.retries
        guard r.failed_calls > 0 || r.retry_attempts > 0 else { return nil }
        let rows: [[ReportCell]] = [
            [.text("Failed calls"), .integer(Int64(r.failed_calls))],
            [.text("Failure chains"), .integer(Int64(r.chains))],
            [.text("Chains retried"), .integer(Int64(r.retried_chains))],
            [.text("Retry attempts"), .integer(Int64(r.retry_attempts))],
            [.text("Chains that eventually succeeded"), .integer(Int64(r.eventually_succeeded))],
            [.text("Retry success rate"), Self.percent(r.eventual_success_rate, 1)],
            [.text("Attempts to success (mean)"), Self.decimal(r.attempts_to_success_mean, 2)],
            [.text("Attempts to success (max)"), r.attempts_to_success_max.map { .integer(Int64($0)) } ?? .empty],
            [.text("Time lost to failures (s)"), .decimal(r.time_lost_s, places: 1)]
        ]
        return Content(tables: [
            ReportTable(title: "Retries", columns: [ReportColumn("Measure"), ReportColumn("Value", alignment: .right)], rows: rows)
        ])
    }

    /// The report's anomalies: points of its own days only (the analysis lists no others), the
    /// largest scores first, at most `maxAnomalies`, each with the sentence saying why.
    func anomalies() -> Content? {
        let section = analysis.anomalies
        let listed = Array(section.flagged.prefix(Self.maxAnomalies))
        var text =
            "Points of this period whose robust z-score (against the same weekday, or the same hour of the day) reaches "
            + ReportNumberFormat.fixed(section.threshold, places: 1)
        if let minimum = section.minimum {
            text +=
                " and that differ from the expected value by at least " + Analyzer.anomalyNumber(minimum["cost_usd"] ?? 0, "cost_usd", change: true)
                + " or " + Analyzer.anomalyNumber(minimum["calls"] ?? 0, "calls", change: true)
                + " (error rate: " + Analyzer.anomalyNumber(minimum["error_rate"] ?? 0, "error_rate", change: true)
                + ", p95 latency: " + Analyzer.anomalyNumber(minimum["p95_latency_ms"] ?? 0, "p95_latency_ms", change: true) + ")"
        }
        text += "; daily ones are circled on the charts above."
        guard !listed.isEmpty else { return Content(paragraphs: [text, "No anomalies in this period."]) }
        if section.flagged.count > listed.count {
            text += " The \(listed.count) largest of \(section.flagged.count) are listed."
        }
        func cell(_ value: Double, _ metric: String) -> ReportCell {
            switch metric {
            case "cost_usd": return currency.cell(value)
            case "calls": return .integer(Int64(value.rounded()))
            case "error_rate": return .percent(value, places: 1)
            default: return .decimal(value, places: 0)
            }
        }
        let names = ["cost_usd": "spend", "calls": "calls", "error_rate": "error rate", "p95_latency_ms": "p95 latency (ms)"]
        let sentences = listed.enumerated().map { "\($0 + 1). " + ($1.reason ?? "") }
        let rows: [[ReportCell]] = listed.enumerated().map { rank, p in
            [
                .integer(Int64(rank + 1)), .text(p.period == "hour" ? p.at.replacingOccurrences(of: "T", with: " ") : p.at),
                .text(p.agent_id ?? "all agents"),
                .text(names[p.metric] ?? p.metric), cell(p.value, p.metric), cell(p.expected, p.metric), .decimal(p.score, places: 1),
                .text(p.reason ?? "")
            ]
        }
        return Content(
            paragraphs: [text] + sentences,
            tables: [
                ReportTable(
                    title: "Anomalies",
                    columns: [
                        ReportColumn("Rank", alignment: .right), ReportColumn("When"),
                        ReportColumn("Agent"), ReportColumn("Metric"), ReportColumn("Value", alignment: .right),
                        ReportColumn("Expected", alignment: .right),
                        ReportColumn("Score", alignment: .right), ReportColumn("Why")
                    ], rows: rows)
            ])
    }

    func reconciliation() -> Content? {
        guard let r = analysis.reconciliation else { return nil }
        let columns = [
            ReportColumn("Provider"), ReportColumn("Period"), ReportColumn("Calls", alignment: .right), ReportColumn("Logs", alignment: .right),
            ReportColumn("Invoice", alignment: .right), ReportColumn("Gap", alignment: .right), ReportColumn("Gap %", alignment: .right),
            ReportColumn("Flagged"), ReportColumn("Why")
        ]
        func row(_ x: Reconciliation.Row) -> [ReportCell] {
            [
                .text(x.provider), .text(x.period), .integer(Int64(x.calls)), currency.cell(x.expectedUSD),
                money(x.invoicedUSD?.doubleValue),
                money(x.gapUSD), Self.decimal(x.gapPercent, 2), .text(x.flagged ? "yes" : ""), .text(x.reasons.joined(separator: "; "))
            ]
        }
        var tables = [
            ReportTable(title: "Logs vs invoices by month", columns: columns, rows: r.months.map(row)),
            ReportTable(title: "Flagged days", columns: columns, rows: r.days.filter(\.flagged).map(row))
        ]
        if !r.unexplainedInvoiceLines.isEmpty {
            tables.append(
                ReportTable(
                    title: "Invoice lines without logged calls",
                    columns: [
                        ReportColumn("Provider"), ReportColumn("Day"), ReportColumn("Model"),
                        ReportColumn("Lines", alignment: .right), ReportColumn("Invoiced", alignment: .right), ReportColumn("First source")
                    ],
                    rows: r.unexplainedInvoiceLines.map {
                        [
                            .text($0.provider), .text($0.date), .text($0.model ?? ""), .integer(Int64($0.lines)),
                            currency.cell($0.invoicedUSD.doubleValue), .text($0.firstSource)
                        ]
                    }))
        }
        let text =
            "\(r.flagged) gap\(r.flagged == 1 ? "" : "s") flagged (tolerance \(ReportNumberFormat.fixed(r.tolerance * 100, places: 1))%, at least "
            + currency.cell(r.minimumGapUSD).displayText + "). Gap = invoice − logs."
        var paragraphs = [text]
        for c in r.currencies ?? [] {
            paragraphs.append(
                "\(c.provider) billed in \(c.currency): " + ReportCell.money(c.billed.doubleValue, currency: c.currency).displayText
                    + " in \(c.lines) lines, "
                    + ReportCell.money(c.usd.doubleValue, currency: "USD").displayText
                    + " at the rates of \(c.firstRateDate) … \(c.lastRateDate) (fx_rates).")
        }
        return Content(paragraphs: paragraphs, tables: tables)
    }

    func recommendations() -> Content? {
        guard let list = analysis.recommendations, !list.isEmpty else { return nil }
        var paragraphs = ["Ranked by estimated monthly saving, from this period's own calls and the price book."]
        for (rank, r) in list.enumerated() {
            let e = r.evidence
            var text =
                "\(rank + 1). " + r.title + ": about " + currency.cell(r.monthlySavingUSD).displayText + " a month"
                + (r.upperBound ? " (upper bound)" : "") + ". Evidence: \(e.calls) of \(e.groupCalls) calls ("
                + ReportCell.percent(e.shareOfCalls, places: 1).displayText + ") cost " + currency.cell(e.costUSD).displayText
                + " in \(e.periodDays) days, " + currency.cell(e.costAfterUSD).displayText + " after the change."
            if !r.assumptions.isEmpty { text += " Assumptions: " + r.assumptions.joined(separator: "; ") + "." }
            paragraphs.append(Self.plainSymbols(text))
        }
        let rows: [[ReportCell]] = list.enumerated().map { rank, r in
            [
                .integer(Int64(rank + 1)), .text(r.kind.rawValue), .text(Self.plainSymbols(r.title)), .text(r.agent ?? ""),
                .text(r.model ?? r.provider ?? ""),
                .integer(Int64(r.evidence.calls)), currency.cell(r.evidence.periodSavingUSD), currency.cell(r.monthlySavingUSD),
                .text(r.upperBound ? "upper bound" : "estimate")
            ]
        }
        return Content(
            paragraphs: paragraphs,
            tables: [
                ReportTable(
                    title: "Recommendations",
                    columns: [
                        ReportColumn("Rank", alignment: .right),
                        ReportColumn("Kind"), ReportColumn("What to change"), ReportColumn("Agent"), ReportColumn("Model or provider"),
                        ReportColumn("Calls", alignment: .right),
                        ReportColumn("Saving in period", alignment: .right), ReportColumn("Monthly saving", alignment: .right), ReportColumn("Figure")
                    ], rows: rows)
            ])
    }

    func credentialSection() -> Content? {
        guard let credentials else { return nil }
        let due = credentials.filter { $0.status != .ok || $0.problem != nil }
        var paragraphs = [
            "\(credentials.count) key\(credentials.count == 1 ? "" : "s") in the inventory; \(due.count) need\(due.count == 1 ? "s" : "") attention."
        ]
        paragraphs += due.compactMap { c in c.problem.map { c.keyID + ": " + $0 } }
        guard !due.isEmpty else { return Content(paragraphs: paragraphs) }
        let rows: [[ReportCell]] = due.sorted { ($0.daysLeft ?? .max, $0.keyID) < ($1.daysLeft ?? .max, $1.keyID) }.map { c in
            [
                .text(c.keyID), .text(c.provider), .text(c.status.rawValue), c.daysLeft.map { .integer(Int64($0)) } ?? .empty,
                c.dueDate.flatMap(UTCDate.parseDate).map { .date($0) } ?? .empty
            ]
        }
        return Content(
            paragraphs: paragraphs,
            tables: [
                ReportTable(
                    title: "Credentials due for rotation",
                    columns: [
                        ReportColumn("Key"), ReportColumn("Provider"),
                        ReportColumn("Status"), ReportColumn("Days left", alignment: .right), ReportColumn("Due")
                    ], rows: rows)
            ])
    }

    func dataQuality() -> Content {
        let q = analysis.data_quality
        var rows: [[ReportCell]] = [
            [.text("Rows read"), .integer(Int64(q.rows_read))],
            [.text("Lake parts read"), .integer(Int64(q.parts_read))],
            [.text("Quarantined log lines"), .integer(Int64(q.quarantined_lines))],
            [.text("Unpriced calls"), .integer(Int64(q.unpriced_calls))],
            [.text("Calls without latency"), .integer(Int64(q.calls_without_latency))],
            [.text("Days without calls"), .integer(Int64(q.gap_days.count))]
        ]
        rows += q.unpriced_models.map { [.text("Unpriced: " + $0.provider + "/" + $0.model), .integer(Int64($0.calls))] }
        var paragraphs = notes()
        if !q.gap_days.isEmpty { paragraphs.append("Days without calls: " + q.gap_days.joined(separator: ", ") + ".") }
        if paragraphs.isEmpty { paragraphs = ["No quarantined lines and every model is priced."] }
        return Content(
            paragraphs: paragraphs,
            tables: [ReportTable(title: "Data quality", columns: [ReportColumn("Check"), ReportColumn("Count", alignment: .right)], rows: rows)])
    }

    func queryBlock(_ block: QueryBlock) throws -> Content? {
        guard let result = queryResults[block.key] else { return nil }
        let rows: [[String?]] = result.rows.map { row in
            row.map { value in
                switch value {
                case .null: return nil
                case let .int(v): return String(v)
                case let .double(v): return String(v)
                case let .text(v): return v
                case let .blob(v): return v.map { String($0, radix: 16) }.joined()
                }
            }
        }
        let table = try block.table(columns: result.columns, rows: rows)
        if let chart = try block.chart(for: table) { return Content(charts: [chart]) }
        return Content(tables: [table])
    }

    /// The recommendation texts' math symbols in forms the PDF's standard fonts can show.
    static func plainSymbols(_ text: String) -> String {
        [("≥", ">="), ("≤", "<="), ("Σ", "sum of"), ("−", "-"), ("→", "->"), ("…", "...")].reduce(text) {
            $0.replacingOccurrences(of: $1.0, with: $1.1)
        }
    }

    /// Most series a stacked chart shows by name.
    static let maxSeries = 6
    /// Most anomalies a report lists.
    static let maxAnomalies = 10

    /// Days of a `YYYY-MM` month (30 when the text is not a month).
    static func daysInMonth(_ month: String) -> Int {
        let parts = month.split(separator: "-").compactMap { Int64($0) }
        guard parts.count == 2 else { return 30 }
        let first = UTCDate.days(year: parts[0], month: parts[1], day: 1)
        let next = parts[1] == 12 ? UTCDate.days(year: parts[0] + 1, month: 1, day: 1) : UTCDate.days(year: parts[0], month: parts[1] + 1, day: 1)
        return Int(next - first)
    }
}

extension Array {
    /// The element at `index`, or nil outside the array.
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
