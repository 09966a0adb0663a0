import Foundation
import HomeBaseCore
import SQLiteStore
import Config
import Analytics
import Pipeline

/// `homebase analyze`: computes every metric, trend, forecast and anomaly from the lake into `analysis.json`.
struct AnalyzeCommand: Command {
    let name = "analyze"
    let summary = "compute costs, latency, errors, trends, forecasts and anomalies into analysis.json"
    let help = """
        usage: homebase analyze [--data DIR] [--from DATE] [--to DATE] [--tz ZONE] [--now TIME]
                                [--budget USD] [--agent-budget ID=USD]... [--out FILE] [--as-of SNAPSHOT]
                                [--config FILE]

        Reads the requests table of the newest snapshot (only the columns and date partitions it
        needs) and writes analysis.json, documented field by field in docs/analysis-json.md.

          --data DIR             lake directory (default ./homebase-data)
          --from, --to DATE      first / last local day analysed, YYYY-MM-DD (default: all days with data)
          --config FILE          take data_dir, timezone, budgets, alerts.anomaly_score, anomalies.*,
                                 the reconciliation rule and prices from the config (default
                                 $HOMEBASE_CONFIG, then ./homebase.json; the flags below win)
          --tz ZONE              IANA time zone the days are bucketed in (default: config, else UTC)
          --now TIME             end of the 24 h / 7 d / 30 d / month-to-date windows, ISO 8601
                                 (e.g. 2026-06-30T12:00:00Z); default: the latest call analysed
          --budget USD           monthly budget of the fleet
          --agent-budget ID=USD  monthly budget of one agent (repeatable)
          --out FILE             where to write (default <data>/analysis.json; - for stdout)
          --as-of SNAPSHOT       analyse an older snapshot
          --anomaly-threshold Z  robust z from which the causal scorer flags a point (default 3.5;
                                 its score is 0.5 there); see docs/detectors.md

        Exit codes: 0 success, 1 failure, 2 usage error, 3 success with warnings (unpriced calls in the range).
        """

    /// Epoch microseconds "now" for `generated_at`; injected so output can be pinned in tests.
    let clock: @Sendable () -> Int64

    init(clock: @escaping @Sendable () -> Int64 = { SystemClock.nowMicros() }) {
        self.clock = clock
    }

    static let spec = OptionSpec(
        valued: ["data", "from", "to", "tz", "now", "budget", "out", "as-of", "anomaly-threshold", "config"],
        repeatable: ["agent-budget"])

    func run(_ arguments: [String], console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(arguments, spec: Self.spec)
        let options = try Self.options(parsed, generatedAt: clock())
        let analysis = try Analyzer(options: options).run()
        let data = try Trace.span("analyze.encode") { try AnalysisJSON.encode(analysis) }
        let out = parsed.value("out") ?? options.dataDir + "/analysis.json"
        if out == "-" {
            console.out(String(decoding: data.dropLast(), as: UTF8.self))
        } else {
            try AtomicFile.write(data, to: out)
            let total = analysis.cost.total
            console.out(
                "analysed \(total.calls) calls, \(analysis.range.days.count) days (\(analysis.range.from) to \(analysis.range.to), \(analysis.time_zone)): "
                    + "$\(String(format: "%.2f", total.cost_usd)), \(analysis.errors.overall.errors) errors, "
                    + "\(analysis.anomalies.flagged.count) anomalies → \(out)")
        }
        for host in analysis.health?.hosts ?? [] {
            console.out(
                "system health of \(host.host): \(host.samples) samples, \(host.gateway_restarts.count) gateway restarts, "
                    + "\(host.gaps.count) sampling gaps, \(host.alerts.count) health alerts")
        }
        if analysis.data_quality.unpriced_calls > 0 {
            let names = analysis.data_quality.unpriced_models.map { "\($0.provider)/\($0.model)" }.joined(separator: ", ")
            console.err(
                "warning: \(analysis.data_quality.unpriced_calls) calls have no price (\(names)); add them to \(options.dataDir)/prices.json or to prices.overrides in the config"
            )
            return .warnings
        }
        return .success
    }

    /// Turns the flags into `AnalysisOptions` (usage errors name the flag and what it expects).
    static func options(_ parsed: ParsedArguments, generatedAt: Int64) throws(UsageError) -> AnalysisOptions {
        // The config (--config, else $HOMEBASE_CONFIG, else ./homebase.json) as every command reads it; the flags below win.
        let config: HomeBaseConfig
        do { config = try ConfigFlags.find(parsed) ?? HomeBaseConfig() } catch { throw UsageError("\(error)") }
        var options = AnalysisOptions(config: config, dataDir: parsed.value("data"), generatedAt: generatedAt)
        for flag in ["from", "to"] {
            guard let text = parsed.value(flag) else { continue }
            guard UTCDate.parseDate(text) != nil else { throw UsageError("--\(flag) expects YYYY-MM-DD, got '\(text)'") }
            if flag == "from" { options.from = text } else { options.to = text }
        }
        if let from = options.from, let to = options.to, from > to { throw UsageError("--from \(from) is after --to \(to)") }
        if let zone = parsed.value("tz") {
            guard zone == "UTC" || TimeZone(identifier: zone) != nil else {
                throw UsageError("--tz expects an IANA time zone such as Europe/Berlin, got '\(zone)'")
            }
            options.timeZone = zone
        }
        if let now = parsed.value("now") {
            guard let micros = ISO8601Time.micros(now) else {
                throw UsageError("--now expects an ISO 8601 time such as 2026-06-30T12:00:00Z, got '\(now)'")
            }
            options.now = micros
            options.healthNow = micros
        }
        if let budget = parsed.value("budget") { options.budgetUSD = try money(budget, "--budget") }
        for spec in parsed.all("agent-budget") {
            guard let equals = spec.firstIndex(of: "="), equals != spec.startIndex else {
                throw UsageError("--agent-budget expects ID=USD, got '\(spec)'")
            }
            options.agentBudgetsUSD[String(spec[..<equals])] = try money(String(spec[spec.index(after: equals)...]), "--agent-budget")
        }
        if let text = parsed.value("as-of") {
            guard let snapshot = Int64(text) else { throw UsageError("--as-of expects a snapshot number, got '\(text)'") }
            options.asOf = snapshot
        }
        if let text = parsed.value("anomaly-threshold") {
            guard let z = Double(text), z > 0 else { throw UsageError("--anomaly-threshold expects a positive number, got '\(text)'") }
            options.anomalyThreshold = z
        }
        return options
    }

    private static func money(_ text: String, _ flag: String) throws(UsageError) -> Double {
        guard let value = Double(text), value >= 0, value.isFinite else {
            throw UsageError("\(flag) expects a non-negative amount in USD, got '\(text)'")
        }
        return value
    }
}
