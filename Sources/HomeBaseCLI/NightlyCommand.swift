import Foundation
import HomeBaseCore
import SQLiteStore
import Config
import Pipeline

/// `homebase nightly`: the whole pipeline for cron, with a summary that reads well in a cron mail.
struct NightlyCommand: Command {
    let name = "nightly"
    let summary = "ingest, analyze, report, alert, back up and prune: the cron job"
    var now: @Sendable () -> Int64 = { SystemClock.nowMicros() }
    /// Built when asked for: its interpolations are not paid by every run of the command.
    var help: String {
        """
        usage: homebase nightly [--config FILE] [--today YYYY-MM-DD] [--quiet] [--jobs N]
                                [--openclaw DIR]... [--gateway-logs DIR]... [--invoices DIR]...
                                [--data DIR] [--out DIR] [--backup-dir DIR] [--tz ZONE]

        Runs ingest → analyze → reports → alerts → backup → prune under one lock. A stage that
        fails does not stop the stages that do not need it; a run killed anywhere leaves the lake
        consistent and the next run finishes the work. One JSON line per stage goes to
        <data>/logs/nightly.jsonl. Cron line:  15 2 * * *  homebase nightly --config /etc/homebase.json

        \(ConfigFlags.help)
          --today DATE        run as if on that local day (back-fills, tests); reports cover the day before
          --quiet             print only warnings and failures
          --jobs N            parallel file readers (default: the CPUs this process may use)

        exit codes: 0 ok, 1 a stage failed, 2 usage or config error, 3 ok with warnings,
        4 another run holds the lock
        """
    }

    func run(_ arguments: [String], console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(
            arguments,
            spec: OptionSpec(
                valued: ConfigFlags.valued + ["today", "jobs"], switches: ["quiet"], repeatable: ConfigFlags.repeatable,
                locations: ["backup-dir"]))
        let config: HomeBaseConfig
        do { config = try ConfigFlags.load(parsed) } catch let error as ConfigError { throw UsageError("\(error)") }
        var options = NightlyOptions(config: config, today: parsed.value("today"), now: now)
        if let jobs = try parsed.int("jobs") {
            guard jobs >= 1 else { throw UsageError("--jobs must be at least 1") }
            options.jobs = jobs
        }
        let quiet = parsed.has("quiet")
        let result: NightlyRunner.Result
        do {
            result = try NightlyRunner(options: options).run { stage in
                if console.isTerminal && !quiet { console.err("… \(stage)") }
            }
        } catch let held as RunLock.Held {
            console.err("homebase nightly: \(held)")
            return .locked
        }
        console.out(NightlyCommand.report(result, quiet: quiet))
        return result.exitCode
    }

    /// A short summary (one line per stage), then everything to look at.
    static func report(_ result: NightlyRunner.Result, quiet: Bool) -> String {
        var lines: [String] = []
        if !quiet {
            lines.append(
                "homebase nightly for \(result.today): "
                    + (result.exitCode == .success ? "ok" : result.exitCode == .warnings ? "ok with warnings" : "FAILED"))
            for outcome in result.outcomes {
                let stage = outcome.stage.padding(toLength: 8, withPad: " ", startingAt: 0)
                let status = outcome.status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
                lines.append("  \(stage) \(status)" + String(format: "%6.1fs  ", outcome.seconds) + outcome.summary)
            }
        }
        let notes = result.outcomes.filter { $0.status != .ok || quiet }.flatMap { o in o.notes.map { "  \(o.stage): \($0)" } }
        if !notes.isEmpty {
            lines.append(quiet ? "homebase nightly for \(result.today):" : "")
            lines.append("to look at:")
            lines += notes
        }
        return lines.joined(separator: "\n")
    }
}
