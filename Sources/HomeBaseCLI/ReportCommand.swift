import Foundation
import HomeBaseCore
import SQLiteStore
import Render
import Reports
import Pipeline

/// `homebase report`: renders a report definition (HTML, PDF, CSV, XLSX, e-mail) from the analysis.
struct ReportCommand: Command {
    let name = "report"
    let summary = "render a report (HTML, PDF, CSV, XLSX, e-mail) from the analysis"
    let help = """
        usage: homebase report [--data DIR] [--period daily|weekly|monthly] [--from DATE --to DATE]
                               [--agent ID] [--tz ZONE] [--formats html,pdf,csv,xlsx,eml] [--out DIR]
                               [--definition NAME|FILE] [--config FILE] [--send]

        Builds the report described by a definition (reports/NAME.json: sections, period, formats,
        e-mail) from analysis.json: reused when it was made for the same days, zone and snapshot,
        computed otherwise. Files go to <out>/<definition>-<period>/ as report.html, report.pdf,
        report.xlsx, report.eml and report-csv/NN-<table>.csv.

          --data DIR          lake directory (default: the config's, else ./homebase-data)
          --period P          daily (yesterday), weekly (the 7 days ending yesterday), monthly (the last
                              full calendar month); default: the definition's period
          --from, --to DATE   explicit local days YYYY-MM-DD; --to alone moves the period's end
          --agent ID          only this agent's calls
          --tz ZONE           IANA time zone of the days (default: the config's; without --config the
                              zone of <data>/analysis.json, else the system's); every header states it
          --formats LIST      default: the definition's formats
          --out DIR           output directory (default: the config's output_dir, else ./homebase-reports)
          --definition D      a name or a .json file (default: daily, weekly or monthly-finance by period);
                              a name is looked up in reports/ beside the config, in the data directory
                              and in the working directory, else the built-in definitions are used
          --config FILE       budgets, credential inventory, e-mail settings
          --send              pipe the .eml to the config's email.sendmail command (implies the eml format)

        --from/--to reports are custom reports: titled "Custom report: …" and written to
        <out>/custom-<from>_<to>/ when the definition is named after a period (daily, weekly),
        else <out>/<definition>-<from>_<to>/.

        Exit codes: 0 success, 1 failure, 2 usage error, 3 written but with warnings (unpriced calls,
        or no calls at all in the period).
        """

    let clock: @Sendable () -> Int64

    init(clock: @escaping @Sendable () -> Int64 = { SystemClock.nowMicros() }) {
        self.clock = clock
    }

    func run(_ arguments: [String], console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(
            arguments,
            spec: OptionSpec(
                valued: ["data", "period", "from", "to", "agent", "tz", "formats", "out", "definition", "config"], switches: ["send"]))
        let config = try ConfigFlags.find(parsed)
        var period: ReportDefinition.Period?
        if let text = parsed.value("period") {
            guard let value = ReportDefinition.Period(rawValue: text) else {
                throw UsageError("--period expects daily, weekly or monthly, got '\(text)'")
            }
            period = value
        }
        for flag in ["from", "to"] {
            if let text = parsed.value(flag), UTCDate.parseDate(text) == nil { throw UsageError("--\(flag) expects YYYY-MM-DD, got '\(text)'") }
        }
        if parsed.value("from") != nil && parsed.value("to") == nil { throw UsageError("--from needs --to") }
        if let from = parsed.value("from"), let to = parsed.value("to"), from > to { throw UsageError("--from \(from) is after --to \(to)") }
        if let zone = parsed.value("tz"), zone != "UTC", TimeZone(identifier: zone) == nil {
            throw UsageError("--tz expects an IANA time zone such as Europe/Berlin, got '\(zone)'")
        }
        var formats: [ReportFormat]?
        if let text = parsed.value("formats") {
            do { formats = try ReportFormat.parseList(text) } catch { throw UsageError("--formats: \(error.message)") }
        }
        let dataDir = parsed.value("data") ?? config?.dataDir ?? "./homebase-data"
        var files = ShippedFiles(configFile: config?.file, dataDir: dataDir)
        let (definition, definitionPath): (ReportDefinition, String)
        do { (definition, definitionPath) = try ReportDefinition.named(parsed.value("definition"), period: period ?? .weekly, files: files) } catch {
            throw UsageError("--definition: \(error.message)")
        }
        let send = parsed.has("send")
        if send {
            guard config?.email?.sendmail != nil else { throw UsageError("--send needs email.sendmail in the config (--config FILE)") }
            var list = formats ?? definition.formats
            if !list.contains(.eml) { list.append(.eml) }
            formats = list
        }
        var options = ReportRunOptions(
            dataDir: dataDir, definition: definition,
            outputDir: parsed.value("out") ?? config?.outputDir ?? "./homebase-reports")
        // A definition given as a file names its query files relative to the folder holding its reports/.
        if !definitionPath.hasPrefix("built-in:") {
            files.roots.insert(
                ((ShippedFiles.absolute(definitionPath) as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent, at: 0)
        }
        options.queryFiles = files
        options.period = period
        options.from = parsed.value("from")
        options.to = parsed.value("to")
        options.agent = parsed.value("agent")
        // No --tz: the config's zone; without a config, the zone the nightly used for this lake (from its
        // analysis.json), else the system's. Every report header states it.
        options.timeZone = parsed.value("tz") ?? (config == nil ? Self.lakeZone(dataDir) ?? Self.systemZone() : nil)
        options.formats = formats
        options.config = config
        options.clock = clock
        options.seed = UInt64(bitPattern: clock())
        let result = try ReportRunner.render(options)
        console.out(
            "\(definition.name): \(result.document.period.text), \(result.files.count) files → \(result.directory)"
                + (result.reusedAnalysisFile ? " (from analysis.json)" : ""))
        for file in result.files { console.out("  " + file) }
        if send, let path = result.emailPath, let command = config?.email?.sendmail {
            guard let bytes = FileManager.default.contents(atPath: path) else { throw RenderError("cannot read \(path) to send it") }
            try MailDelivery.sendmail(command: command, message: Array(bytes))
            console.out("sent \(path) with \(command)")
        }
        for warning in result.warnings { console.err("warning: " + warning) }
        if result.analysis.cost.total.calls == 0 { console.err("homebase report: no calls in this period (\(result.document.period.text))") }
        return result.analysis.data_quality.unpriced_calls > 0 || result.analysis.cost.total.calls == 0 ? .warnings : .success
    }

    /// The time zone `<data>/analysis.json` was made in (the config's, when `nightly` or `analyze --config` wrote it).
    static func lakeZone(_ dataDir: String) -> String? {
        guard let data = FileManager.default.contents(atPath: (dataDir as NSString).appendingPathComponent("analysis.json")),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let zone = json["time_zone"] as? String, !zone.isEmpty
        else { return nil }
        return zone
    }

    /// The system's IANA zone (TZ, else /etc/localtime), or UTC when it has no usable name.
    static func systemZone() -> String {
        let name = TimeZone.current.identifier
        return name == "GMT" || name.isEmpty || LocalCalendar(identifier: name, fromDay: 0, toDay: 1) == nil ? "UTC" : name
    }
}
