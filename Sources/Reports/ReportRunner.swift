import Foundation
import HomeBaseCore
import SQLiteStore
import Lake
import Config
import Analytics
import Ingest
import Query
import Render

/// What `homebase report` (and `nightly`) asks for: which data, which days, which definition, where to.
package struct ReportRunOptions: Sendable {
    package var dataDir: String
    package var definition: ReportDefinition
    /// Where the definition's relative query files (`queries/NAME.sql`) are looked up: a user's
    /// file in one of the roots, else the built-in copy.
    package var queryFiles = ShippedFiles(roots: ["."])
    /// A precomputed analysis of exactly this report's days, zone and agent; nil: reuse `<data>/analysis.json` when it matches, else compute.
    package var analysis: Analysis?
    /// What `<data>/analysis.json` holds, when the caller has it in memory (nightly has just
    /// written it): matched like the file, without decoding its megabytes again.
    package var savedAnalysis: Analysis?
    /// Forecasts the caller's own analysis fitted (the nightly's): the report's analysis takes
    /// those with the same history from here.
    package var forecastMemo: ForecastMemo?
    /// The last days' parts the caller's analysis decoded (the nightly's): the report's analysis
    /// takes those instead of decoding them again.
    package var decodedParts: DecodedParts?
    /// nil: the definition's period.
    package var period: ReportDefinition.Period?
    /// Local days `YYYY-MM-DD`; `to` alone ends the period there, both give an explicit range.
    package var from: String?
    package var to: String?
    package var agent: String?
    /// nil: the config's zone, else UTC.
    package var timeZone: String?
    /// nil: the definition's formats.
    package var formats: [ReportFormat]?
    package var outputDir: String
    package var config: HomeBaseConfig?
    /// Epoch microseconds now (what "yesterday" means, the generated-at stamp, the e-mail Date).
    package var clock: @Sendable () -> Int64 = { SystemClock.nowMicros() }
    /// Seeds the e-mail's Message-ID and MIME boundaries.
    package var seed: UInt64 = 0

    package init(dataDir: String, definition: ReportDefinition, outputDir: String) {
        self.dataDir = dataDir
        self.definition = definition
        self.outputDir = outputDir
    }
}

package struct ReportRunResult: Sendable {
    /// `<out>/<definition>-<period slug>`.
    package var directory: String
    package var files: [String]
    package var warnings: [String]
    /// The `.eml` written, if the eml format was asked for.
    package var emailPath: String?
    package var analysis: Analysis
    package var document: ReportDocument
    /// Whether the analysis was read from `<data>/analysis.json` rather than computed.
    package var reusedAnalysisFile: Bool
}

/// `homebase report` as a library call: resolves the period, gets the analysis, builds the document
/// and writes every format with `ReportBundle`. Layout: `<out>/<definition>-<slug>/report.html`,
/// `report.pdf`, `report.xlsx`, `report.eml`, `report-csv/NN-<table>.csv`.
package enum ReportRunner {
    package static func render(_ options: ReportRunOptions) throws -> ReportRunResult {
        let config = options.config
        let zoneName = options.timeZone ?? config?.timeZone ?? "UTC"
        let zone = try ReportZone(zoneName)
        let now = options.clock()
        let today = UTCDate.dayNumber(micros: zone.localMicros(now))
        func day(_ text: String?, _ flag: String) throws -> Int64? {
            guard let text else { return nil }
            guard let day = UTCDate.parseDate(text) else { throw RenderError("--\(flag) expects YYYY-MM-DD, got '\(text)'") }
            return day
        }
        let frame = try ReportTimeFrame.resolve(
            period: options.period ?? options.definition.period,
            from: try day(options.from, "from"), to: try day(options.to, "to"), today: today)
        // The config's rules as analyze and nightly take them (one mapping), then the report's own period and scope.
        var analysisOptions =
            config.map { AnalysisOptions(config: $0, dataDir: options.dataDir, generatedAt: now) }
            ?? AnalysisOptions(dataDir: options.dataDir, generatedAt: now)
        analysisOptions.from = UTCDate.dateString(days: frame.current.firstDay)
        analysisOptions.to = UTCDate.dateString(days: frame.current.lastDay)
        analysisOptions.timeZone = zoneName
        analysisOptions.agent = options.agent
        analysisOptions.forecastMemo = options.forecastMemo
        analysisOptions.decodedParts = options.decodedParts
        // Windows, budgets and the forecast are as of the period's last instant.
        guard let calendar = LocalCalendar(identifier: zoneName, fromDay: frame.current.lastDay - 2, toDay: frame.current.lastDay + 2) else {
            throw RenderError("unknown time zone '\(zoneName)'")
        }
        analysisOptions.now = calendar.startMicros(ofDay: frame.current.lastDay + 1) - 1
        // System health over the period's days, judged at its end (or now while it runs).
        analysisOptions.healthNow = min(now, calendar.startMicros(ofDay: frame.current.lastDay + 1))
        analysisOptions.healthDays = Int(frame.current.lastDay - frame.current.firstDay + 1)
        // Each budget is shown only against the spend it covers: the fleet budget not in an agent's report.
        if let budgets = config?.budgets {
            analysisOptions.budgetUSD = options.agent == nil ? budgets.monthlyUSD : nil
            analysisOptions.agentBudgetsUSD = options.agent.map { agent in budgets.agents.filter { $0.key == agent } } ?? budgets.agents
        }
        let analyzer = Analyzer(options: analysisOptions)
        var reused = false
        let analysis: Analysis
        if let given = options.analysis {
            analysis = given
        } else if let saved = try matchingAnalysisFile(analysisOptions, inMemory: options.savedAnalysis) {
            analysis = saved
            reused = true
        } else {
            analysis = try Trace.span("report.analysis") { try analyzer.run() }
        }
        let extras = try Trace.span("report.extras") { try analyzer.reportExtras(frame) }
        // Days left are counted from the report's last day, like everything else in it (not the wall clock).
        var credentials: [CredentialStatus]?
        if let config, !config.credentials.isEmpty {
            credentials = CredentialStatus.check(config.credentials, today: frame.current.lastDay, warnDays: config.alerts.credentialDays ?? 14)
        }
        var builder = ReportBuilder(
            analysis: analysis, definition: options.definition, frame: frame, extras: extras, zone: zone,
            generatedAtMicros: now, agent: options.agent, credentials: credentials)
        builder.queryResults = try Trace.span("report.queries") { try runQueries(options, frame: frame, zone: zoneName) }
        builder.custom = options.from != nil
        if let config { builder.alertRules = config.alerts }
        var warnings: [String] = []
        let idle = try Trace.span("report.budget-agents") { try budgetAgentsWithoutCalls(analysisOptions) }
        if !idle.isEmpty {
            let text =
                "budgets.agents names \(idle.joined(separator: ", ")), which never made a call (check the agent id in \(config?.file ?? "the config"))"
            warnings.append(text)
            builder.extraNotes.append("Budget for " + idle.joined(separator: ", ") + ": no calls ever logged by that agent id.")
            builder.budgetAgentsWithoutCalls = Set(idle)
        }
        // Money in the config's currency, each day at its rate; without the rates the report stays in USD and says why.
        if let code = config?.currency, code != "USD" {
            let days = builder.days
            let daily = days.map { d in d.index.flatMap { analysis.daily.overall.cost_usd[safe: $0] } ?? 0 }
            do {
                builder.currency = try ReportCurrency.make(
                    code: code, rates: FXRateTable.load(dataDir: options.dataDir), days: days.map(\.day), dailyUSD: daily)
            } catch let missing as ReportCurrency.MissingRates {
                warnings.append(missing.description)
                builder.extraNotes.append(missing.description)
            }
        }
        let document = try Trace.span("report.build") { try builder.build() }

        let formats = options.formats ?? options.definition.formats
        var bundle = ReportBundle(pageSize: options.definition.pageSize, seed: options.seed)
        bundle.font = config?.reports.font
        bundle.csvByteOrderMark = config?.reports.csvByteOrderMark ?? false
        if formats.contains(.eml) {
            bundle.mail = try mail(
                options, document: document, label: builder.custom ? "custom" : frame.current.label,
                spendUSD: analysis.cost.total.cost_usd, calls: analysis.cost.total.calls, currency: builder.currency)
        }
        // An on-demand --from/--to report is named as custom, not after the definition's period.
        let base = builder.custom && isPeriodName(options.definition.name) ? "custom" : options.definition.name
        let directory = (options.outputDir as NSString).appendingPathComponent(
            base + "-" + frame.slug
                + (options.agent.map { "-" + safeName($0) } ?? ""))
        let written = try Trace.span("report.write") { try bundle.write(document, formats: formats, directory: directory, name: "report") }
        warnings += written.warnings
        if analysis.cost.total.calls == 0 {
            warnings.append("no calls in this period (\(frame.current.text)); " + whereTheCallsAre(dataDir: options.dataDir))
        }
        if analysis.data_quality.unpriced_calls > 0 {
            let prices = ((options.dataDir as NSString).appendingPathComponent("prices.json") as NSString).standardizingPath
            warnings.append(
                "\(analysis.data_quality.unpriced_calls) calls have no price; add their models to \(prices)"
                    + (config?.file.map { " or to prices.overrides in \($0)" } ?? "") + ", then re-run ingest")
        }
        return ReportRunResult(
            directory: directory, files: written.files, warnings: warnings,
            emailPath: written.files.first { $0.hasSuffix(".eml") }, analysis: analysis, document: document,
            reusedAnalysisFile: reused)
    }

    /// For a report without calls: the UTC dates the lake's calls span and how to report them, or
    /// that the lake has none (the wrong data directory, or no ingest yet).
    static func whereTheCallsAre(dataDir: String) -> String {
        let dates = ((try? LakeScan(dataDir: dataDir, table: .requests))?.parts ?? []).map(\.date)
        guard let first = dates.min(), let last = dates.max() else {
            return "the lake at \(dataDir) holds no calls: is it the right one, and was ingest run?"
        }
        return "the lake's calls are dated \(first) to \(last) (UTC); report those days with --from \(first) --to \(last)"
    }

    /// Definitions named after a period (`daily`, `weekly`): over an on-demand range their name would mislead.
    static func isPeriodName(_ name: String) -> Bool { ReportDefinition.Period(rawValue: name) != nil }

    /// Agents with a budget in `options` that never made a call in the lake (a typo, or a retired agent).
    package static func budgetAgentsWithoutCalls(_ options: AnalysisOptions) throws -> [String] {
        guard !options.agentBudgetsUSD.isEmpty else { return [] }
        let engine = try QueryEngine(dataDir: options.dataDir, asOf: options.asOf.map(String.init))
        let known = Set(
            try engine.run("SELECT DISTINCT agent_id FROM requests").rows.compactMap { row -> String? in
                if case let .text(name)? = row.first { return name }
                return nil
            })
        return options.agentBudgetsUSD.keys.filter { !known.contains($0) }.sorted()
    }

    /// `<data>/analysis.json` (or `inMemory`, its contents) when it was made for the same days,
    /// zone, `now` and budgets from the newest snapshot without an agent filter; nil otherwise
    /// (then the analysis is computed).
    static func matchingAnalysisFile(_ options: AnalysisOptions, inMemory: Analysis? = nil) throws -> Analysis? {
        guard options.agent == nil else { return nil }
        let path = (options.dataDir as NSString).appendingPathComponent("analysis.json")
        guard
            let saved = inMemory
                ?? FileManager.default.contents(atPath: path).flatMap({ try? JSONDecoder().decode(Analysis.self, from: $0) })
        else { return nil }
        let snapshot = try LakeScan(dataDir: options.dataDir, table: .requests).snapshot
        guard saved.range.from == options.from, saved.range.to == options.to, saved.time_zone == options.timeZone,
            saved.now == options.now.map({ UTCDate.isoString(micros: $0) }), saved.snapshot == snapshot,
            saved.budgets.overall?.budget_usd == options.budgetUSD,
            Set(saved.budgets.by_agent.keys) == Set(options.agentBudgetsUSD.keys)
        else { return nil }
        return saved
    }

    /// Runs the definition's SQL files through the query engine with `:from`, `:to`, `:tz` and `:agent` bound.
    static func runQueries(_ options: ReportRunOptions, frame: ReportTimeFrame, zone: String) throws -> [String: QueryResult] {
        var blocks: [QueryBlock] = []
        for section in options.definition.sections {
            for case let .query(block) in section.blocks { blocks.append(block) }
        }
        guard !blocks.isEmpty else { return [:] }
        let engine = try QueryEngine(dataDir: options.dataDir)
        var results: [String: QueryResult] = [:]
        for block in blocks {
            let path: String, sql: String
            if block.file.hasPrefix("/") {
                path = block.file
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw RenderError("report '\(options.definition.name)': cannot read the query file \(path)")
                }
                sql = text
            } else {
                guard let file = options.queryFiles.file(block.file) else {
                    throw RenderError(
                        "report '\(options.definition.name)': no query file \(block.file) in \(options.queryFiles.roots.joined(separator: ", ")) or built in"
                    )
                }
                (path, sql) = (file.origin, file.text)
            }
            // The header's defaults, then the report's days, zone and agent, then the block's own `params`.
            var parameters: [String: SQLiteValue] = NamedQuery.parse(sql: sql, path: path).parameters(given: [:])
            parameters.merge([
                "from": .text(UTCDate.dateString(days: frame.current.firstDay)),
                "to": .text(UTCDate.dateString(days: frame.current.lastDay)),
                "tz": .text(zone), "agent": options.agent.map { .text($0) } ?? .null
            ]) { $1 }
            parameters.merge(block.parameters.mapValues(QueryEngine.parameterValue)) { $1 }
            // Bind only what the statement names, so queries without parameters run as they are.
            parameters = parameters.filter { sql.contains(":" + $0.key) }
            do { results[block.key] = try engine.run(sql, parameters: parameters) } catch {
                throw RenderError("\(path): \(error)")
            }
        }
        return results
    }

    /// Sender and recipients: the config's e-mail settings first, else the definition's `email`.
    /// Subject placeholders: `{title}`, `{period}` ("2026-06-24 to 2026-06-30 (weekly; …)"), `{label}` ("Weekly"),
    /// `{range}` ("2026-06-24 – 06-30"), `{spend}` ("$0.83") and `{calls}` ("138").
    static func mail(
        _ options: ReportRunOptions, document: ReportDocument, label: String, spendUSD: Double, calls: Int, currency: ReportCurrency = .usd
    ) throws -> ReportBundle.Mail {
        let settings = options.config?.email
        guard let from = settings?.from ?? options.definition.mail?.from, let to = settings?.to ?? options.definition.mail?.to, !to.isEmpty else {
            throw RenderError(
                "the eml format needs a sender and recipients: set \"email\" in the config or in reports/\(options.definition.name).json")
        }
        var subject = (options.definition.mail?.subject ?? "{label} {range}: {spend}, {calls} calls")
            .replacingOccurrences(of: "{title}", with: document.title).replacingOccurrences(of: "{period}", with: document.period.text)
            .replacingOccurrences(of: "{label}", with: label.prefix(1).uppercased() + label.dropFirst())
            .replacingOccurrences(of: "{range}", with: subjectRange(document.period.firstDay, document.period.lastDay))
            .replacingOccurrences(of: "{spend}", with: currency.text(spendUSD))
            .replacingOccurrences(of: "{calls}", with: ReportCell.integer(Int64(calls)).displayText)
        if let prefix = settings?.subjectPrefix, !prefix.isEmpty { subject = prefix + " " + subject }
        return ReportBundle.Mail(from: try address(from), to: try to.map(address), subject: subject)
    }

    /// "2026-06-24 – 06-30" (the year once), "2025-12-29 – 2026-01-04" across a year, one date for one day.
    static func subjectRange(_ first: Int64, _ last: Int64) -> String {
        let a = UTCDate.dateString(days: first), b = UTCDate.dateString(days: last)
        if first == last { return a }
        return a + " – " + (a.prefix(5) == b.prefix(5) ? String(b.dropFirst(5)) : b)
    }

    /// `Name <a@b>` or `a@b`.
    static func address(_ text: String) throws -> MailAddress {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            let name = trimmed[..<open].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
            return MailAddress(String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]), name: name.isEmpty ? nil : name)
        }
        guard trimmed.contains("@"), !trimmed.contains(" ") else { throw RenderError("'\(text)' is not an e-mail address") }
        return MailAddress(trimmed)
    }

    /// An agent id made safe for a directory name.
    static func safeName(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" }.prefix(64))
    }
}
