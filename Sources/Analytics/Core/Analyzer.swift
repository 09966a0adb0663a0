import Foundation
import HomeBaseCore
import SQLiteStore
import Parquet
import Lake

/// `homebase analyze` as a library call: reads the `requests` columns and partitions it needs from
/// one lake snapshot and computes every section of `Analysis`. Deterministic: the same lake and
/// options give the same tree (and the same JSON bytes).
package struct Analyzer: Sendable {
    package let options: AnalysisOptions

    package init(options: AnalysisOptions) {
        self.options = options
    }

    /// First and last day a lake can hold (0001-01-01, 9999-12-31).
    static let firstDay = UTCDate.dayNumber(micros: CallRange.minMicros)
    static let lastDay = UTCDate.dayNumber(micros: CallRange.maxMicros)
    /// The most days one analysis takes: ten years. Theil–Sen keeps all pairwise slopes (n²/2):
    /// 3,660 days are 6.7 M slopes; a stray call in 9999 made the default range 2.9 M days and the
    /// run died allocating 34 TB.
    static let maxDays = 3_660
    /// Days read before the range (and before `now`): the daily anomaly series' history, the
    /// forecast's history and the hourly anomaly series' 4 weeks before the last 7 days all fit.
    static let historyDays = max(anomalyHistoryDays, forecastHistoryDays, anomalyHistoryHours / 24 + 8)

    package func run() throws -> Analysis { try runCounting().analysis }

    /// The analysis, with how many of the parts it covers came from the state the previous run
    /// saved (`AnalysisCheckpoint`) instead of the lake.
    package func runCounting() throws -> (analysis: Analysis, resumedParts: Int, parts: Int) {
        let plan = try Trace.span("analyze.plan") { try AnalysisPlan(options: options) }
        guard plan.dayCount <= Self.maxDays else {
            throw AnalysisError.rangeTooLong(
                from: UTCDate.dateString(days: plan.fromDay), to: UTCDate.dateString(days: plan.toDay), days: plan.dayCount, limit: Self.maxDays)
        }
        // The recommendations cover the range's dates and share the read (not with an agent filter,
        // where they still cover the whole fleet and read on their own).
        let period =
            plan.dayCount > 0
            ? try RecommendationPeriod(from: UTCDate.dateString(days: plan.fromDay), to: UTCDate.dateString(days: plan.toDay)) : nil
        // Parts another analysis of this lake already decoded (the nightly's, for its reports);
        // their ids are its names, so the recommendations then read on their own.
        let reusing = sharedParts?.names(timeZone: options.timeZone)
        let shared =
            period != nil && options.agent == nil && reusing == nil
            ? RecommendationCalls(
                options: options.recommendations,
                book: try PriceBook.load(dataDir: options.dataDir, extraFile: options.priceFile, overrides: options.priceOverrides)) : nil
        var (context, recommendationCalls) = try Trace.span("analyze.stream") {
            try stream(plan, shared: shared, period: period, reusing: reusing)
        }
        // The rules run beside the latency distributions (both only read what the pass left).
        // What the rules and the correlation keep is dropped as soon as each is done, so the two
        // are never in memory together.
        let rules = options.recommendations
        let (recommendations, latency) = try Trace.span("analyze.latency+rules") { [recommendationCalls, context] in
            try Parallel.both(
                { recommendationCalls.flatMap { calls in period.map { Recommender(options: rules).recommend(calls, period: $0) } } },
                { self.latency(context) })
        }
        recommendationCalls = nil
        var analysis = Analysis()
        analysis.correlation = try Trace.span("analyze.correlation") { try correlation(context) }
        context.dropCorrelationInputs()
        analysis.generated_at = UTCDate.isoString(micros: options.generatedAt)
        analysis.time_zone = options.timeZone
        analysis.now = UTCDate.isoString(micros: context.now)
        analysis.now_source = context.nowSource
        analysis.snapshot = context.snapshot
        analysis.range = Analysis.DateRange(
            from: context.dayCount > 0 ? context.label(day: context.fromDay) : "",
            to: context.dayCount > 0 ? context.label(day: context.toDay) : "",
            days: context.dayLabels)
        analysis.windows = windows(context)
        analysis.cost = costSection(context, range: analysis.windows["range"])
        analysis.throughput = throughput(context)
        analysis.errors = errors(context)
        analysis.retries = retries(context)
        analysis.latency = latency.section
        analysis.daily = dailySection(context, p95: latency.dailyP95)
        // The forecasts (their backtests are the largest section) and half the trends take one
        // core, the anomaly scorer and the other half the other (none reads what another writes).
        let (daily, settled) = (analysis.daily, context)
        let ((forecasts, someTrends), (anomalies, otherTrends)) = try Trace.span("analyze.forecasts+trends|anomalies+trends") {
            try Parallel.both(
                { (self.forecastSection(settled, daily: daily), self.trends(daily, half: 0)) },
                { (self.anomalies(settled, daily: daily), self.trends(daily, half: 1)) })
        }
        let trends = Self.merged(someTrends, otherTrends)
        analysis.trends = trends
        analysis.forecasts = forecasts
        analysis.budgets = budgets(context, forecasts: forecasts)
        analysis.keys = try keyUsage(context, month: analysis.budgets.month, nearPercent: options.keyNearPercent)
        analysis.credential_audit = try CredentialAudit.load(dataDir: options.dataDir, now: context.now, keys: options.keys)
        analysis.anomalies = anomalies
        analysis.data_quality = try dataQuality(context)
        try Trace.span("analyze.reconciliation") {
            try addReconciliationAndRecommendations(&analysis, snapshot: context.snapshot, recommendations: recommendations)
        }
        analysis.health = try Trace.span("analyze.health") { try healthSection(rangeFrom: analysis.range.from, snapshot: context.snapshot) }
        return (analysis, context.resumedParts, context.partsRead)
    }

    /// The sections other stages compute: reconciliation (only once invoices were ingested) and
    /// the recommendations over the analysed days.
    private func addReconciliationAndRecommendations(
        _ analysis: inout Analysis, snapshot: Int64?, recommendations: [Recommendation]?
    ) throws {
        let range = analysis.range
        let from = range.from.isEmpty ? nil : range.from
        let to = range.to.isEmpty ? nil : range.to
        if try !LakeScan(dataDir: options.dataDir, table: .invoiceLines, asOf: snapshot).parts.isEmpty {
            analysis.reconciliation = try Reconciler.reconcile(
                dataDir: options.dataDir, from: from, to: to, tolerance: options.reconcileTolerance,
                minimumGapUSD: options.reconcileMinimumGapUSD, asOf: snapshot)
        }
        guard let from, let to else { return }
        if let recommendations {  // from the analysis' own read
            analysis.recommendations = recommendations
            return
        }
        analysis.recommendations = try Recommender(options: options.recommendations).run(
            dataDir: options.dataDir, from: from, to: to, priceFile: options.priceFile, priceOverrides: options.priceOverrides)
    }

    /// The second pass: one thread reads and interns part after part (in lake order, a few parts
    /// ahead), another sums them into an `AnalysisPass`; memory holds a few parts, the open days'
    /// latencies and the per-group sums, not the rows. Without an agent filter the same read
    /// also feeds the recommendations (`shared`: the parts of the range's dates) on a third
    /// thread, so the lake is read once and neither core waits for the other's share. The lake's
    /// settled leading parts come from the state the previous run saved when it matches
    /// (`AnalysisCheckpoint`), and this run saves them for the next.
    func stream(
        _ plan: AnalysisPlan, shared: RecommendationCalls? = nil, period: RecommendationPeriod? = nil, reusing: CallTable.Names? = nil
    ) throws -> (AnalysisContext, RecommendationCalls?) {
        let priceBook =
            shared?.book ?? (try? PriceBook.load(dataDir: options.dataDir, extraFile: options.priceFile, overrides: options.priceOverrides))
        var state = AnalysisCheckpoint.State(
            names: reusing ?? CallTable.Names(), pass: AnalysisPass(plan: plan, priceBook: priceBook),
            recommendations: options.agent == nil ? shared : nil)
        var next = 0, resumed = 0
        let checkpoint =
            reusing == nil
            ? AnalysisCheckpoint(options: options, plan: plan, priceBook: priceBook, recommendations: state.recommendations) : nil
        if let checkpoint {
            if let (saved, parts) = Trace.span("analyze.state-load", { checkpoint.load(plan: plan, fresh: state) }) {
                (state, next, resumed) = (saved, parts, parts)
            }
            let settled = AnalysisCheckpoint.settledParts(plan)
            if AnalysisCheckpoint.worthSaving(plan, saved: next, settled: settled) {
                state = try read(plan, parts: next..<settled, from: consume state, period: period)
                next = settled
                checkpoint.save(state, parts: settled, plan: plan)
            }
        }
        // Kept tables are taken only with the names they were decoded with; an analysis that
        // does not take them may keep its own for later ones.
        let (keep, reuse) = reusing != nil ? (nil, sharedParts) : (sharedParts.flatMap { $0.isSealed ? nil : $0 }, nil)
        state = try read(plan, parts: next..<plan.scan.parts.count, from: consume state, period: period, keep: keep, reuse: reuse)
        state.pass.finish()
        keep?.seal(names: state.names, timeZone: options.timeZone)
        return (AnalysisContext(plan: plan, options: options, names: state.names, pass: state.pass, resumedParts: resumed), state.recommendations)
    }

    /// The decoded parts this analysis may keep or take (`DecodedParts`): only an analysis of
    /// the newest snapshot without an agent filter shares them.
    private var sharedParts: DecodedParts? { options.agent == nil && options.asOf == nil ? options.decodedParts : nil }

    /// Reads `parts` of the plan into `state`, in order (see `stream`).
    private func read(
        _ plan: AnalysisPlan, parts: Range<Int>, from state: consuming AnalysisCheckpoint.State, period: RecommendationPeriod?,
        keep: DecodedParts? = nil, reuse: DecodedParts? = nil
    ) throws -> AnalysisCheckpoint.State {
        guard !parts.isEmpty else { return state }
        let scan = plan.scan, calendar = plan.calendar, agent = options.agent
        let paths = scan.parts.map { scan.path(of: $0) }
        // Each worker takes its share of the state as the only reference (nothing copies it).
        let start = Handover(state.names), startPass = Handover(state.pass), startRules = Handover(state.recommendations)
        _ = consume state
        /// Reads the parts; row groups of the recommendation period go to `rowGroups` as well.
        let read = {
            @Sendable (queue: ChunkQueue<(chunk: CallTable, part: Int)>, rowGroups: ChunkQueue<RowGroupColumns>?) throws -> CallTable.Names in
            var names = start.take()
            for k in parts {
                let part = scan.parts[k], path = paths[k]
                if let kept = reuse?.table(path) {  // decoded by an earlier analysis (see `stream`)
                    guard queue.put((kept, k)) else { break }
                    continue
                }
                var chunk = CallTable()
                chunk.names = names
                names = CallTable.Names()  // the chunk holds the only reference while it interns
                let reader = try ParquetReader(path: path)
                if agent == nil {  // dictionary codes as stored: a name is interned once per row group
                    let wanted = rowGroups != nil && period.map { part.date >= $0.from && part.date <= $0.to } == true
                    let columnNames = CallTable.columns + (wanted && reader.schema.index(of: "tool_calls") != nil ? ["tool_calls"] : [])
                    for group in reader.rowGroups.indices {
                        let columns = try reader.readEncoded(rowGroup: group, columns: columnNames)
                        try chunk.append(encoded: Array(columns.prefix(CallTable.columns.count)), calendar: calendar, file: path)
                        guard wanted, let rowGroups else { continue }
                        let byName = Dictionary(uniqueKeysWithValues: zip(columnNames, columns))
                        let item = RowGroupColumns(
                            part: k, group: group, groups: reader.rowGroups.count, rows: reader.rowGroups[group].numRows,
                            columns: RecommendationCalls.columns.map { byName[$0] })
                        guard rowGroups.put(item) else { return names }  // the recommendations failed: their error is thrown
                    }
                } else {
                    try chunk.append(Self.onlyAgent(agent, try reader.readAll(columns: CallTable.columns)), calendar: calendar, file: path)
                }
                names = chunk.names
                chunk.sessions = Interner()  // the summing side needs no session names
                keep?.offer(path: path, date: part.date, table: chunk)
                guard queue.put((chunk, k)) else { break }
            }
            return names
        }
        let ((names, recommendations), summed) = try Trace.span("analyze.read \(parts.count) parts") {
            try ChunkQueue<(chunk: CallTable, part: Int)>.run(
                capacity: 2,
                produce: { (queue) throws -> (CallTable.Names, RecommendationCalls?) in
                    guard var recommendations = startRules.take() else { return (try read(queue, nil), nil) }
                    let (names, added) = try ChunkQueue<RowGroupColumns>.run(
                        capacity: 1, produce: { rowGroups in try read(queue, rowGroups) },
                        consume: { (rowGroups) throws -> RecommendationCalls in
                            var firstRow = 0
                            while let item = rowGroups.take() {
                                if item.group == 0 { firstRow = 0 }
                                try recommendations.append(item, firstRow: firstRow, part: paths[item.part])
                                firstRow += item.rows
                            }
                            return recommendations
                        })
                    return (names, added)
                },
                consume: { queue in
                    var pass = startPass.take()
                    while let item = queue.take() { pass.add(item.chunk, laterMinimum: plan.laterMinimum[item.part]) }
                    return pass
                })
        }
        return AnalysisCheckpoint.State(names: names, pass: summed, recommendations: recommendations)
    }

    /// Every row of the UTC partitions that can hold calls of the local days `from`...`to` (one
    /// day wider each side: a local day spans two UTC dates), in one table. Without both bounds,
    /// the parts an analysis would read. For tests and small ranges: a report streams them
    /// (`forEachPart`).
    package func loadTable() throws -> CallTable {
        var table = CallTable()
        let (scan, calendar) = try tableScope()
        for part in scan.parts {
            let path = scan.path(of: part)
            try table.append(
                Self.onlyAgent(options.agent, try ParquetReader(path: path).readAll(columns: CallTable.columns)), calendar: calendar, file: path)
        }
        return table
    }

    /// The rows `loadTable` would hold, one part at a time and in the same order, each part's
    /// table with the names of the parts before it (an id names the same agent or model in every
    /// part; ids may be given in another order than `loadTable`'s), with the UTC date of the
    /// earliest part still to come (nil after the last). Parts are decoded on a second thread
    /// (dictionary codes as stored, as the analysis reads them) while `body` takes the previous
    /// one: memory follows two parts, not the range.
    package func forEachPart(_ body: (CallTable, _ nextDate: Int64?) throws -> Void) throws {
        let (scan, calendar) = try tableScope()
        let dates = scan.parts.map { UTCDate.parseDate($0.date) ?? Self.firstDay }
        var later = [Int64?](repeating: nil, count: dates.count)
        for k in dates.indices.reversed().dropFirst() { later[k] = min(later[k + 1] ?? .max, dates[k + 1]) }
        let paths = scan.parts.map { scan.path(of: $0) }, agent = options.agent
        _ = try ChunkQueue<(table: CallTable, part: Int)>.run(
            capacity: 2,
            produce: { queue in
                var names = CallTable.Names()
                for (k, path) in paths.enumerated() {
                    var table = CallTable()
                    table.names = names
                    names = CallTable.Names()  // the table holds the only reference while it interns
                    let reader = try ParquetReader(path: path)
                    if agent == nil {
                        for group in reader.rowGroups.indices {
                            try table.append(
                                encoded: try reader.readEncoded(rowGroup: group, columns: CallTable.columns), calendar: calendar, file: path)
                        }
                    } else {
                        try table.append(Self.onlyAgent(agent, try reader.readAll(columns: CallTable.columns)), calendar: calendar, file: path)
                    }
                    names = table.names
                    guard queue.put((table, k)) else { return }
                }
            },
            consume: { queue in
                while let item = queue.take() { try body(item.table, later[item.part]) }
            })
    }

    /// The parts `loadTable` reads and the calendar it buckets them with.
    private func tableScope() throws -> (LakeScan, LocalCalendar) {
        guard let from = try options.from.map(Self.parseDay), let to = try options.to.map(Self.parseDay), from <= to else {
            let scope = try AnalysisPlan.Scope(options: options)
            return (scope.scan, scope.calendar)
        }
        let scan = try LakeScan(
            dataDir: options.dataDir, table: .requests, asOf: options.asOf,
            from: UTCDate.dateString(days: max(from - 1, Self.firstDay)), to: UTCDate.dateString(days: min(to + 1, Self.lastDay)))
        guard let calendar = LocalCalendar(identifier: options.timeZone, fromDay: from - 40, toDay: to + 40) else {
            throw AnalysisError.unknownTimeZone(options.timeZone)
        }
        return (scan, calendar)
    }

    /// The rows of one part's columns (in `CallTable.columns` order) whose agent_id is `agent`; all when nil.
    static func onlyAgent(_ agent: String?, _ columns: [ColumnData]) -> [ColumnData] {
        guard let agent, case .byteArray(let ids) = columns[1].values else { return columns }
        let wanted = Array(agent.utf8)
        let keep = (0..<ids.count).map { ids.value(at: $0).elementsEqual(wanted) }
        return columns.map { $0.filtered(keep) }
    }

    static func parseDay(_ text: String) throws -> Int64 {
        guard let day = UTCDate.parseDate(text) else { throw AnalysisError.badDate(text) }
        return day
    }
}
