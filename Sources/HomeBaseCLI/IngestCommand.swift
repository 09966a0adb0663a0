import Foundation
import HomeBaseCore
import SQLiteStore
import Config
import Ingest
import Pipeline

/// `homebase ingest`: raw OpenClaw transcripts and gateway logs into the lake, as one snapshot.
struct IngestCommand: Command {
    let name = "ingest"
    let summary = "read OpenClaw transcripts and gateway logs into the lake"
    let help = """
        usage: homebase ingest [--openclaw DIR]... [--gateway-logs DIR]... [--invoices DIR]...
                               [--data DIR] [--prices FILE] [--format text|json] [--jobs N]
                               [--config FILE]

        Reads every copy of every transcript of each OpenClaw state directory: agents/*/sessions/
        *.jsonl, checkpoint copies, reset/deleted archives in both spellings (plain or .zst), the
        import archive, and the SQLite stores (agents/*/agent/openclaw-agent.sqlite: live events
        and archive rows), plus the gateway logs (openclaw-*.log); commits the new rows as one
        snapshot of the lake. A call is counted once by its identity (agent, entry id, message
        timestamp), whichever copies exist. Incremental and idempotent: files already read are
        skipped, appended files and store sessions are read from where the last run stopped.

          --openclaw DIR      state directory (repeatable; default sources.openclaw, $OPENCLAW_STATE_DIR, then
                              ~/.openclaw, then ~/.clawdbot)
          --gateway-logs DIR  gateway log directory (repeatable; default sources.gateway_logs, else /tmp/openclaw)
          --invoices DIR      provider invoices and usage exports (repeatable; a directory,
                              searched for *.csv and *.json, or a file): OpenAI costs/usage,
                              Anthropic cost/usage, OpenRouter activity, FOCUS 1.x CSV; the
                              format is recognised from the content. A changed export is re-read
                              whole; the newest export of a provider and day replaces older ones
          --data DIR          the lake (default: the config's data_dir, else ./homebase-data)
          --config FILE       sources, data_dir, prices and model aliases from the config (default
                              $HOMEBASE_CONFIG, then ./homebase.json; the flags above win)
          --prices FILE       extra price file (USD per million tokens), over the shipped book
                              and <data>/prices.json
          --format FORMAT     text (default) or json summary
          --jobs N            parallel file readers (default: the CPUs this process may use)

        exit codes: 0 ok, 1 failure, 2 usage, 3 ok with warnings (bad lines quarantined,
        unpriced models, unreadable files), 4 another run holds the lock
        """

    func run(_ arguments: [String], console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(
            arguments,
            spec: OptionSpec(
                valued: ["data", "prices", "format", "jobs", "config"], repeatable: ["openclaw", "gateway-logs", "invoices"]))
        let format = parsed.value("format") ?? "text"
        guard ["text", "json"].contains(format) else { throw UsageError("--format must be text or json, got '\(format)'") }
        let environment = ProcessEnvironment.current
        // The config every command reads (--config, $HOMEBASE_CONFIG, ./homebase.json), the flags winning.
        var config: HomeBaseConfig
        do { config = try ConfigFlags.load(parsed, environment: environment) } catch let error as ConfigError { throw UsageError("\(error)") }
        if let prices = parsed.value("prices") { config.priceFile = prices }
        let data = config.dataDir
        var openclaw = config.openclawDirs
        let invoices = config.invoiceDirs
        for path in invoices where !FileManager.default.fileExists(atPath: path) {
            throw UsageError("invoice directory or file \(path) does not exist (--invoices or sources.invoices)")
        }
        if openclaw.isEmpty {
            let fallback = OpenClawStateDir.defaultStateDir(environment)
            // With only invoices to read, a missing default state directory is not an error.
            if invoices.isEmpty || FileManager.default.fileExists(atPath: fallback) { openclaw = [fallback] }
        }
        for dir in openclaw where !FileManager.default.fileExists(atPath: dir) {
            throw UsageError("OpenClaw state directory \(dir) does not exist (pass --openclaw DIR)")
        }
        let jobs = try parsed.int("jobs") ?? Processors.available
        guard jobs >= 1 else { throw UsageError("--jobs must be at least 1") }
        let options = IngestOptions(config: config, openclawDirs: openclaw, parallelism: jobs, now: { SystemClock.nowMicros() })
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let lock: RunLock
        do { lock = try RunLock(dataDir: data, command: "ingest", nowMicros: options.now()) } catch let held as RunLock.Held {
            console.err("homebase ingest: \(held)")
            return .locked
        }
        defer { withExtendedLifetime(lock) {} }
        let summary = try Ingestor(options: options).run()
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            console.out(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            console.out(summary.text(dataDir: data))
        }
        return summary.hasWarnings ? .warnings : .success
    }
}
