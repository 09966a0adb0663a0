import Foundation
import HomeBaseCore
import SQLiteStore
import ObjectStore
import Lake
import Config
import Ingest
import Analytics
import OnCall
import Render
import Reports
import Backup

/// `homebase nightly`: ingest → analyze → reports → alerts → backup → prune, under the run lock.
/// Every stage is idempotent and writes atomically, so a run killed anywhere is finished by the
/// next one; a failed stage only skips the stages that need its output.
package struct NightlyRunner {
    package let options: NightlyOptions
    var config: HomeBaseConfig { options.config }

    package init(options: NightlyOptions) { self.options = options }

    /// What the run did, stage by stage, and the day it acted as.
    package struct Result: Sendable {
        package var today: String
        package var outcomes: [StageOutcome]
        package var exitCode: ExitCode {
            if outcomes.contains(where: { $0.status == .failed }) { return .failure }
            return outcomes.contains(where: { $0.status == .warnings }) ? .warnings : .success
        }
    }

    /// Runs every stage in order, calling `progress` as each starts (for a terminal). Throws only
    /// `RunLock.Held` (exit 4) and a problem with the data directory itself.
    package func run(progress: (String) -> Void = { _ in }) throws -> Result {
        try FileManager.default.createDirectory(atPath: config.dataDir, withIntermediateDirectories: true)
        let lock = try RunLock(dataDir: config.dataDir, command: "nightly", nowMicros: options.now())
        defer { withExtendedLifetime(lock) {} }
        let around = UTCDate.dayNumber(micros: options.now())
        let asked = try options.today.map { text -> Int64 in
            guard let day = UTCDate.parseDate(text) else { throw UsageError("--today expects YYYY-MM-DD, got '\(text)'") }
            return day
        }
        guard
            let calendar = LocalCalendar(
                identifier: config.timeZone, fromDay: min(around, asked ?? around) - 400,
                toDay: max(around, asked ?? around) + 400)
        else {
            throw ConfigError(file: config.file ?? "config", key: "timezone", "unknown time zone \(config.timeZone)")
        }
        let todayDay = asked ?? calendar.day(ofMicros: options.now())
        let today = UTCDate.dateString(days: todayDay)
        let log = NightlyLog(dataDir: config.dataDir)
        let runID = UTCDate.isoString(micros: options.now())
        let ended = StageOutcomes()
        var state = StageState(today: today, todayDay: todayDay, startOfToday: calendar.startMicros(ofDay: todayDay))
        @Sendable func record(_ outcome: StageOutcome) {
            ended.record(outcome) { log.append(run: runID, today: today, $0, atMicros: options.now()) }
        }
        let runner = self

        record(Self.stage("ingest", &state) { try runner.ingest(&$0) })
        // The backup (then prune and mirror) needs only the lake: with a second core it runs
        // beside the analysis, the reports and the alerts. Outcomes are listed in stage order.
        let copies = ["backup", "prune"] + (config.lakeMirror != nil ? ["mirror"] : [])
        let copyState = state
        let copyStages: @Sendable () -> Void = {
            var unused = copyState
            record(Self.stage("backup", &unused) { try runner.backup(&$0) })
            record(Self.stage("prune", &unused) { try runner.prune(&$0) })
            if runner.config.lakeMirror != nil { record(Self.stage("mirror", &unused) { try runner.mirror(&$0) }) }
        }
        let beside = options.jobs > 1 ? BackgroundWork { copyStages() } : nil
        if beside != nil { progress(copies.joined(separator: ", ") + " (beside the next stages)") }
        // Analysis reads whatever the lake holds, so it runs even when ingest failed. Its
        // analysis.json is written while the reports and the alerts work from the same value in
        // memory; the stage ends when the file is in place.
        progress("analyze")
        var analyzed = Self.stage("analyze", &state) { try runner.analyze(&$0) }
        progress("reports")
        record(Self.stage("reports", needs: state.analysis != nil, &state) { try runner.reports(&$0) })
        progress("alerts")
        record(Self.stage("alerts", needs: state.analysis != nil, &state) { try runner.alerts(&$0) })
        if let writing = state.analysisFile {
            do { analyzed.seconds += try writing.wait() } catch {
                analyzed.status = .failed
                analyzed.summary += "; analysis.json not written"
                analyzed.notes.append("\(error)")
            }
        }
        record(analyzed)
        if let beside {
            try? beside.wait()
        } else {
            for name in copies { progress(name) }
            copyStages()
        }
        let order = ["ingest", "analyze", "reports", "alerts"] + copies
        let outcomes = ended.all.sorted { (order.firstIndex(of: $0.stage) ?? order.count) < (order.firstIndex(of: $1.stage) ?? order.count) }
        return Result(today: today, outcomes: outcomes)
    }

    /// Runs one stage: its outcome, with how long it took (a failure is an outcome, not an error).
    static func stage(_ name: String, needs ready: Bool = true, _ state: inout StageState, _ body: (inout StageState) throws -> StageOutcome)
        -> StageOutcome
    {
        let started = ContinuousClock.now
        FailPoint.reached("nightly-" + name)
        var outcome: StageOutcome
        if !ready {
            outcome = StageOutcome(stage: name, status: .skipped, summary: "skipped: an earlier stage it needs failed")
        } else {
            do { outcome = try body(&state) } catch {
                outcome = StageOutcome(stage: name, status: .failed, summary: "failed", notes: ["\(error)"])
            }
        }
        outcome.seconds = started.secondsElapsed
        return outcome
    }

    /// The outcomes of a run's stages as they end, from the stages run beside the others too.
    final class StageOutcomes: @unchecked Sendable {
        private let lock = NSLock()
        private var outcomes: [StageOutcome] = []

        /// Adds `outcome` and, under the same lock, lets `log` append it (one line at a time).
        func record(_ outcome: StageOutcome, log: (StageOutcome) -> Void) {
            lock.lock()
            defer { lock.unlock() }
            outcomes.append(outcome)
            log(outcome)
        }

        var all: [StageOutcome] {
            lock.lock()
            defer { lock.unlock() }
            return outcomes
        }
    }

    /// What stages hand to later stages in one run (stages never share anything across runs
    /// except through the lake, the catalog and the files they write).
    struct StageState {
        var today: String
        var todayDay: Int64
        var startOfToday: Int64
        var ingest: IngestSummary?
        var analysis: Analysis?
        /// The forecasts the analysis fitted, for the reports' analyses.
        let forecasts = ForecastMemo()
        /// The last days' parts as the analysis decoded them, for the reports' analyses.
        var decodedParts: DecodedParts?
        /// `analysis.json` being written (its seconds once in place).
        var analysisFile: BackgroundWork<Double>?
        var reportFiles: [String] = []
    }

    // MARK: Stages

    func ingest(_ state: inout StageState) throws -> StageOutcome {
        let openclaw = config.openclawDirs.isEmpty ? [OpenClawStateDir.defaultStateDir(options.environment)] : config.openclawDirs
        var notes: [String] = []
        let present = openclaw.filter { FileManager.default.fileExists(atPath: $0) }
        for dir in openclaw where !present.contains(dir) {
            notes.append("OpenClaw state directory \(dir) does not exist (sources.openclaw in the config, or --openclaw)")
        }
        let io = IngestOptions(config: config, openclawDirs: present, parallelism: max(1, options.jobs), now: options.now)
        let summary = try Ingestor(options: io).run()
        state.ingest = summary
        notes += summary.warnings(dataDir: config.dataDir)
        let status: StageOutcome.Status = summary.hasWarnings || !notes.isEmpty ? .warnings : .ok
        let headline =
            (summary.snapshot.map { "snapshot \($0)" } ?? "nothing new") + ": \(summary.calls) calls, \(summary.filesRead) files read"
            + (summary.hostSamples > 0 ? ", \(summary.hostSamples) host samples" : "")
        return StageOutcome(stage: "ingest", status: status, summary: headline, notes: notes)
    }

    func analyze(_ state: inout StageState) throws -> StageOutcome {
        var ao = AnalysisOptions(config: config, generatedAt: options.now())
        ao.to = UTCDate.dateString(days: state.todayDay - 1)  // the last full local day
        ao.now = state.startOfToday
        // Health is judged now, or at the start of the day a run with --today acts as on.
        ao.healthNow = options.today == nil ? options.now() : state.startOfToday
        ao.forecastMemo = state.forecasts
        // The parts of the daily report's day and its 56 days of history, kept as decoded.
        ao.decodedParts = DecodedParts.forDailyReport(lastDay: state.todayDay - 1)
        state.decodedParts = ao.decodedParts
        let (analysis, resumed, parts) = try Trace.span("analyze.run") { try Analyzer(options: ao).runCounting() }
        let file = config.dataDir + "/analysis.json"
        state.analysisFile = BackgroundWork(onThread: options.jobs > 1) {
            let started = ContinuousClock.now
            let json = try Trace.span("analyze.encode") { try AnalysisJSON.encode(analysis) }
            try Trace.span("analyze.write") { try AtomicFile.write(json, to: file) }
            return started.secondsElapsed
        }
        state.analysis = analysis
        let day = analysis.range.to
        let calls = analysis.cost.by_day[day]?.calls ?? 0
        let spend = analysis.cost.by_day[day]?.cost_usd ?? 0
        var notes: [String] = []
        if analysis.data_quality.unpriced_calls > 0 {
            notes.append(
                "\(analysis.data_quality.unpriced_calls) calls have no price: "
                    + analysis.data_quality.unpriced_models.map { "\($0.provider)/\($0.model)" }.joined(separator: ", "))
        }
        return StageOutcome(
            stage: "analyze", status: notes.isEmpty ? .ok : .warnings,
            summary: "\(day.isEmpty ? "no data" : day): \(calls) calls, $\(AlertEvaluator.fixed(spend, 2)); analysis.json written"
                + (resumed > 0 ? " (\(resumed) of \(parts) parts from the saved state)" : "") + Self.projection(analysis.forecasts.overall),
            notes: notes)
    }

    /// "; next 30 days $41.20 (damped_holt_winters; backtest MASE 0.78 vs seasonal naive, 80 % interval held 79 %)":
    /// the projection with how far to trust it.
    static func projection(_ forecast: Analysis.Forecast?) -> String {
        guard let f = forecast, !f.days.isEmpty else { return "" }
        var trust: [String] = [f.method]
        if let mase = f.mase { trust.append("backtest MASE \(AlertEvaluator.fixed(mase, 2)) vs seasonal naive") }
        if let c = f.coverage_80 { trust.append("80 % interval held \(AlertEvaluator.fixed(c * 100, 0)) %") }
        if f.backtest == nil { trust.append("no backtest yet (\(f.history_days) days of history)") }
        return "; next 30 days $\(AlertEvaluator.fixed(f.next_30_days_usd, 2)) (" + trust.joined(separator: "; ") + ")"
    }

    /// The daily report every night, the weekly one on the configured weekday, the monthly one on the 1st;
    /// those `email.reports` names (the weekly one by default) are e-mailed too. An e-mail already handed to sendmail is not sent again.
    func reports(_ state: inout StageState) throws -> StageOutcome {
        let weekday = Int((state.todayDay % 7 + 7 + 3) % 7) + 1  // 1970-01-01 was a Thursday (ISO 4)
        var due: [ReportDefinition.Period] = []
        if config.reports.daily { due.append(.daily) }
        if config.reports.weeklyOn == weekday { due.append(.weekly) }
        if config.reports.monthly && state.today.hasSuffix("-01") { due.append(.monthly) }
        var written: [String] = []
        var notes: [String] = []
        var failed = false
        for period in due {
            do {
                let files = ShippedFiles(configFile: config.file, dataDir: config.dataDir)
                let (definition, _) = try ReportDefinition.named(nil, period: period, files: files)
                var ro = ReportRunOptions(dataDir: config.dataDir, definition: definition, outputDir: config.outputDir)
                ro.queryFiles = files
                ro.savedAnalysis = state.analysis  // what analysis.json now holds
                ro.forecastMemo = state.forecasts  // the report's days end where the analysis' do: the same forecasts
                ro.decodedParts = state.decodedParts
                ro.period = period
                ro.to = UTCDate.dateString(days: state.todayDay - 1)
                ro.timeZone = config.timeZone
                var formats = config.reports.formats.compactMap(ReportFormat.init(rawValue:))
                // E-mailed: the reports `email.reports` names (the weekly one by default), and no other.
                let emailed = config.email?.reports.contains(period.rawValue) ?? false
                if emailed && !formats.contains(.eml) { formats.append(.eml) }
                if !emailed { formats.removeAll { $0 == .eml } }
                ro.formats = formats
                ro.config = config
                ro.clock = options.now
                ro.seed = UInt64(bitPattern: options.now())
                let result = try Trace.span("reports.\(period.rawValue)") { try ReportRunner.render(ro) }
                written.append(result.directory)
                notes += result.warnings.map { "\(definition.name): \($0)" }
                if let mail = result.emailPath, let command = config.email?.sendmail {
                    let marker = result.directory + "/.sent"
                    if !FileManager.default.fileExists(atPath: marker), let bytes = FileManager.default.contents(atPath: mail) {
                        try MailDelivery.sendmail(command: command, message: Array(bytes))
                        try AtomicFile.write(Data(UTCDate.isoString(micros: options.now()).utf8), to: marker)
                    }
                }
            } catch {
                failed = true
                notes.append("\(period.rawValue) report: \(error)")
            }
        }
        state.reportFiles = written
        state.decodedParts?.release()
        let summary: String
        if failed {
            summary =
                "\(due.count - written.count) of \(due.count) due reports failed"
                + (written.isEmpty ? "" : "; written: " + written.joined(separator: ", "))
        } else if due.isEmpty {
            summary =
                "no report due on \(state.today) (" + (config.reports.daily ? "" : "daily off; ")
                + "weekly on ISO weekday \(config.reports.weeklyOn.map(String.init) ?? "-")"
                + (config.reports.monthly ? ", monthly on the 1st)" : ", monthly off)")
        } else {
            summary = written.joined(separator: ", ")
        }
        return StageOutcome(stage: "reports", status: failed ? .failed : notes.isEmpty ? .ok : .warnings, summary: summary, notes: notes)
    }

    func alerts(_ state: inout StageState) throws -> StageOutcome {
        guard let analysis = state.analysis else { return StageOutcome(stage: "alerts", status: .skipped, summary: "no analysis") }
        let current = AlertEvaluator(rules: config.alerts).evaluate(
            analysis, quarantinedNow: state.ingest?.quarantinedLines ?? 0,
            credentials: credentialAlerts(todayDay: state.todayDay))
        let ledger = AlertLedger(catalog: try Catalog(dataDir: config.dataDir))
        var notes: [String] = []
        var sent = 0
        var resolvedCount = 0
        var failed = false
        var channels = AlertChannels(config: config, today: state.today, now: options.now, environment: options.environment)
        let pause = options.alertPause
        channels.pause = pause
        channels.sender.pause = { attempt in pause(min(8, 0.5 * Double(1 << attempt))) }
        let redact = Redactor(channels.secrets)
        let resolving = try ledger.resolving(allBut: current, channels: channels.names)
        for channel in channels.names {
            let due = try ledger.due(current, channel: channel)
            if !due.isEmpty {
                do {
                    try channels.deliver(due, on: channel)
                    sent += due.count
                    try ledger.record(due, channel: channel, delivered: true, nowMicros: options.now())
                } catch {
                    failed = true
                    notes.append(redact("\(channel): \(error) (retried next run)"))
                    try ledger.record(due, channel: channel, delivered: false, nowMicros: options.now())
                }
            }
            let ended = resolving[channel] ?? []
            guard !ended.isEmpty else { continue }
            do {
                try channels.resolve(ended.map(\.onCallAlert), on: channel)
                resolvedCount += ended.count
                try ledger.recordResolve(ended, delivered: true, nowMicros: options.now())
            } catch {
                failed = true
                notes.append(redact("\(channel): resolve failed: \(error) (retried next run)"))
                try ledger.recordResolve(ended, delivered: false, nowMicros: options.now())
            }
        }
        notes += current.map { "[\($0.severity)] \($0.title): \($0.detail)" }
        var summary =
            current.isEmpty
            ? "no alerts"
            : "\(current.count) alert\(current.count == 1 ? "" : "s") hold, \(sent) new deliver\(sent == 1 ? "y" : "ies")"
                + (channels.names.isEmpty ? " (no e-mail, webhook, PagerDuty or Telegram configured)" : "")
        summary += resolvedCount > 0 ? "; \(resolvedCount) resolve\(resolvedCount == 1 ? "" : "s") sent" : ""
        return StageOutcome(stage: "alerts", status: failed ? .failed : current.isEmpty ? .ok : .warnings, summary: summary, notes: notes)
    }

    /// Keys of the inventory that expired, expire or are due for rotation within `alerts.credential_days`.
    func credentialAlerts(todayDay: Int64) -> [Alert] {
        guard let days = config.alerts.credentialDays else { return [] }
        return CredentialStatus.check(config.credentials, today: todayDay, warnDays: days).compactMap(\.alert)
    }

    func backup(_ state: inout StageState) throws -> StageOutcome {
        guard let dir = config.backup.dir else {
            return StageOutcome(stage: "backup", status: .skipped, summary: "no backup.dir configured (the lake has no other copy)")
        }
        let target = try BackupTarget.resolve(dir, settings: config.backup.s3, environment: options.environment, dataDir: config.dataDir)
        if case .local = target { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        let snapshot = try LakeScan(dataDir: config.dataDir, table: .requests).snapshot
        if let newest = try Trace.span("backup.list", { try target.list() }).filter({ $0.complete && $0.manifest != nil }).max(by: {
            $0.createdMicros < $1.createdMicros
        }),
            newest.manifest?.snapshot == snapshot, newest.verifiedMicros != nil || isRemote(target)
        {
            return StageOutcome(stage: "backup", status: .ok, summary: "\(newest.name) already holds snapshot \(snapshot.map(String.init) ?? "-")")
        }
        let created = try Trace.span("backup.create") {
            try target.create(BackupOptions(dataDir: config.dataDir, backupDir: dir, now: options.now), trustVerified: true)
        }
        let result = created.result
        let report = Trace.span("backup.verify") {
            created.verify ?? BackupVerifier.verify(archivePath: result.archivePath, nowMicros: options.now(), trustVerified: true)
        }
        guard report.ok else {
            return StageOutcome(stage: "backup", status: .failed, summary: "\(result.archivePath) did not verify", notes: report.problems)
        }
        return StageOutcome(
            stage: "backup", status: .ok,
            summary: "\(created.location): \(result.copiedFiles) files copied, \(result.referencedFiles) referenced, verified"
                + (isRemote(target) ? ", uploaded" : "") + (created.pushed.isEmpty ? "" : "; also uploaded \(created.pushed.joined(separator: ", "))")
        )
    }

    private func isRemote(_ target: BackupTarget) -> Bool {
        if case .remote = target { return true }
        return false
    }

    func prune(_ state: inout StageState) throws -> StageOutcome {
        guard let dir = config.backup.dir else { return StageOutcome(stage: "prune", status: .skipped, summary: "no backup.dir") }
        let policy = PrunePolicy(daily: config.backup.keepDaily, weekly: config.backup.keepWeekly, monthly: config.backup.keepMonthly)
        let target = try BackupTarget.resolve(dir, settings: config.backup.s3, environment: options.environment, dataDir: config.dataDir)
        let plan = try target.prune(policy, nowMicros: options.now())
        return StageOutcome(stage: "prune", status: .ok, summary: "\(plan.keep.count) backups kept, \(plan.delete.count) deleted")
    }

    /// `lake_mirror`: pushes the lake (parts first, metadata last); skipped when not configured.
    func mirror(_ state: inout StageState) throws -> StageOutcome {
        guard let mirror = config.lakeMirror else { return StageOutcome(stage: "mirror", status: .skipped, summary: "no lake_mirror") }
        guard case .s3(let location) = try StoragePaths.location(mirror, what: "lake_mirror") else {
            throw UsageError("lake_mirror: '\(mirror)': expected s3://bucket/prefix")
        }
        let store = try S3Store(location: location, settings: config.backup.s3, environment: options.environment)
        let report = try LakeMirror.push(dataDir: config.dataDir, store: store)
        return StageOutcome(
            stage: "mirror", status: .ok,
            summary: "\(location): \(report.uploaded.count) objects uploaded (\(report.bytesUploaded) bytes), \(report.unchanged.count) unchanged")
    }
}
