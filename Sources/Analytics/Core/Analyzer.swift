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

    package func run() throws -> Analysis {
        let context = try load()
        guard context.dayCount <= Self.maxDays else {
            throw AnalysisError.rangeTooLong(
                from: context.label(day: context.fromDay), to: context.label(day: context.toDay),
                days: context.dayCount, limit: Self.maxDays)
        }
        var analysis = Analysis()
        analysis.generated_at = UTCDate.isoString(micros: options.generatedAt)
        analysis.time_zone = options.timeZone
        analysis.now = UTCDate.isoString(micros: context.now)
        analysis.now_source = context.nowSource
        analysis.snapshot = context.snapshot
        analysis.range = Analysis.DateRange(
            from: context.dayCount > 0 ? context.label(day: context.fromDay) : "",
            to: context.dayCount > 0 ? context.label(day: context.toDay) : "",
            days: context.dayLabels)
        // Two independent groups of sections, one per core.
        let (totals, latencyResult) = try Parallel.both(
            {
                let windows = windows(context)
                return (windows, costSection(context, range: windows["range"]), throughput(context), errors(context), retries(context))
            },
            {
                (latency(context), correlation(context))
            })
        (analysis.windows, analysis.cost, analysis.throughput, analysis.errors, analysis.retries) = totals
        analysis.latency = latencyResult.0.section
        analysis.correlation = latencyResult.1
        analysis.daily = dailySection(context, p95: latencyResult.0.dailyP95)
        analysis.trends = trends(analysis.daily)
        let forecasts = forecastSection(context, daily: analysis.daily)
        analysis.forecasts = forecasts
        analysis.budgets = budgets(context, forecasts: forecasts)
        analysis.keys = try keyUsage(context, month: analysis.budgets.month, nearPercent: options.keyNearPercent)
        analysis.credential_audit = try CredentialAudit.load(dataDir: options.dataDir, now: context.now, keys: options.keys)
        analysis.anomalies = anomalies(context, daily: analysis.daily)
        analysis.data_quality = try dataQuality(context)
        try addReconciliationAndRecommendations(&analysis, snapshot: context.snapshot)
        analysis.health = try healthSection(rangeFrom: analysis.range.from, snapshot: context.snapshot)
        return analysis
    }

    /// The sections other stages compute: reconciliation (only once invoices were ingested) and
    /// the recommendations over the analysed days.
    private func addReconciliationAndRecommendations(_ analysis: inout Analysis, snapshot: Int64?) throws {
        let range = analysis.range
        let from = range.from.isEmpty ? nil : range.from
        let to = range.to.isEmpty ? nil : range.to
        if try !LakeScan(dataDir: options.dataDir, table: .invoiceLines, asOf: snapshot).parts.isEmpty {
            analysis.reconciliation = try Reconciler.reconcile(
                dataDir: options.dataDir, from: from, to: to, tolerance: options.reconcileTolerance,
                minimumGapUSD: options.reconcileMinimumGapUSD, asOf: snapshot)
        }
        guard let from, let to else { return }
        analysis.recommendations = try Recommender(options: options.recommendations).run(
            dataDir: options.dataDir, from: from, to: to, priceFile: options.priceFile, priceOverrides: options.priceOverrides)
    }

    /// Works out the days to read, reads them, and fixes the range and `now`.
    package func load() throws -> AnalysisContext {
        let fromDay = try options.from.map(Self.parseDay)
        let toDay = try options.to.map(Self.parseDay)
        let listing = try LakeScan(dataDir: options.dataDir, table: .requests, asOf: options.asOf)
        // UTC partitions to read: the requested local days widened by one day each side (a local
        // day spans two UTC dates), plus the 32 days before `now` for the rolling windows, plus the
        // history the anomaly scorer and the forecast are fed before the range (see `historyDays`).
        let nowGuessDay: Int64? =
            options.now.map { UTCDate.dayNumber(micros: $0) }
            ?? listing.parts.compactMap { UTCDate.parseDate($0.date) }.filter { toDay == nil || $0 <= toDay! + 1 }.max()
        var readFrom = fromDay.map { $0 - 1 - Int64(Self.historyDays) }
        if let from = readFrom, let guess = nowGuessDay { readFrom = min(from, guess - 1 - Int64(Self.historyDays)) }
        var readTo = toDay.map { $0 + 1 }
        if let to = readTo, let guess = nowGuessDay { readTo = max(to, guess + 1) }
        // Partition names have four-digit years: a bound past 9999-12-31 would be "10000-01-01",
        // which sorts before "9999-12-31" as text and hid year-9999 calls (issue 26, J4).
        readFrom = readFrom.map { max($0, Self.firstDay) }
        readTo = readTo.map { min($0, Self.lastDay) }
        let scan = try LakeScan(
            dataDir: options.dataDir, table: .requests, asOf: listing.snapshot,
            from: readFrom.map { UTCDate.dateString(days: $0) }, to: readTo.map { UTCDate.dateString(days: $0) })
        let dayBounds = scan.parts.compactMap { UTCDate.parseDate($0.date) }
        guard
            let calendar = LocalCalendar(
                identifier: options.timeZone,
                fromDay: min(dayBounds.min() ?? 0, fromDay ?? .max, nowGuessDay ?? .max) - 40,
                toDay: max(dayBounds.max() ?? 0, toDay ?? .min, nowGuessDay ?? .min) + 40)
        else {
            throw AnalysisError.unknownTimeZone(options.timeZone)
        }
        // Both cores read half the parts each; the halves are joined in part order.
        let half = scan.parts.count / 2
        let totalRows = scan.parts.reduce(0) { $0 + Int($1.rowCount) }
        let agent = options.agent
        let read = { @Sendable (parts: ArraySlice<PartRecord>, capacity: Int) throws -> CallTable in
            var table = CallTable()
            table.reserve(capacity)
            for part in parts {
                let path = scan.path(of: part)
                try table.append(
                    Self.onlyAgent(agent, try ParquetReader(path: path).readAll(columns: CallTable.columns)), calendar: calendar, file: path)
            }
            return table
        }
        var (table, second) = try Parallel.both(
            { try read(scan.parts[..<half], totalRows) },
            {
                try read(scan.parts[half...], scan.parts[half...].reduce(0) { $0 + Int($1.rowCount) })
            })
        table.append(second)
        return AnalysisContext(
            table: table, calendar: calendar, options: options, fromDay: fromDay, toDay: toDay,
            snapshot: scan.snapshot, partsRead: scan.parts.count,
            priceBook: try? PriceBook.load(dataDir: options.dataDir, extraFile: options.priceFile, overrides: options.priceOverrides))
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
