import Foundation
import HomeBaseCore
import SQLiteStore
import HostHealth
import Config
import Ingest
import Pipeline

/// `homebase sample`: one reading of the host and the OpenClaw gateway from /proc, appended to
/// the spool under the data dir (folded into `host_samples` by the next ingest). Never takes the
/// data dir lock: the spool append is one `write` under a short `flock` of the spool file.
struct SampleCommand: Command {
    let name = "sample"
    let summary = "one host and gateway health sample from /proc into the spool (cron, every minute)"
    /// Built when asked for: its interpolations are not paid by every run of the command.
    var help: String {
        """
        usage: homebase sample [--config FILE] [--data DIR] [--every 60s --for 15m] [--verbose]

        Reads CPU, load, memory, swap, uptime, the disks of the data dir and the OpenClaw state
        dir (plus health.disk_dirs) and the gateway process (health.gateway_pid_file, else
        health.gateway_process) from /proc and appends one line to <data_dir>/spool/host_samples.jsonl.
        The next `homebase ingest` (or nightly) folds the spool into the lake table host_samples.
        Meant for cron: `* * * * * homebase sample --config /etc/homebase.json`. Linux only.

          --every DURATION    take a sample every DURATION (60s, 5m) ...
          --for DURATION      ... for this long, in one process (e.g. a 15-minute cron slot)
          --verbose           print each sample (silent otherwise, so cron mails only problems)
          --demo-days N       instead of reading /proc, append N days of made-up samples of
          --demo-end TIME     "demo-host" ending at TIME (ISO 8601; `make run` uses this)

        \(ConfigFlags.help)

        exit codes: 0 sampled, 1 no sample could be taken, 2 usage or config error,
        3 sampled with warnings (a measured directory is missing)
        """
    }

    /// Injected by tests: the /proc tree, the clock (µs), the sleeper and the host name.
    var proc = ProcFS()
    var clock: @Sendable () -> Int64 = { SystemClock.nowMicros() }
    var sleep: @Sendable (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }
    var host: String?
    var environment = ProcessEnvironment.current

    func run(_ arguments: [String], console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(
            arguments,
            spec: OptionSpec(
                valued: ConfigFlags.valued + ["every", "for", "demo-days", "demo-end"], switches: ["verbose"], repeatable: ConfigFlags.repeatable))
        let config: HomeBaseConfig
        do { config = try ConfigFlags.load(parsed, environment: environment) } catch let error as ConfigError { throw UsageError("\(error)") }
        let every = try parsed.value("every").map { text -> Double in
            guard let seconds = SampleRun.seconds(text) else { throw UsageError("--every expects a duration such as 60s or 5m, got '\(text)'") }
            return seconds
        }
        let duration = try parsed.value("for").map { text -> Double in
            guard let seconds = SampleRun.seconds(text) else { throw UsageError("--for expects a duration such as 15m or 1h, got '\(text)'") }
            return seconds
        }
        if let text = parsed.value("demo-days") {
            guard let days = Int(text), (1...92).contains(days) else { throw UsageError("--demo-days expects 1 to 92, got '\(text)'") }
            guard let endText = parsed.value("demo-end"), let end = ISO8601Time.micros(endText) else {
                throw UsageError("--demo-days needs --demo-end TIME, e.g. 2026-06-30T22:00:00Z")
            }
            let spool = SampleSpool(dataDir: config.dataDir)
            let samples = DemoSamples.generate(startMicros: end - Int64(days) * 86_400_000_000, days: days, seed: 24)
            for sample in samples { try spool.append(sample) }
            if parsed.has("verbose") { console.out("sample: \(samples.count) demo samples appended to \(spool.spoolPath)") }
            return .success
        }
        if (every == nil) != (duration == nil) { throw UsageError("--every and --for go together: --every 60s --for 15m") }
        // The data dir is measured too, so it must exist before the first sample.
        try? FileManager.default.createDirectory(atPath: config.dataDir, withIntermediateDirectories: true)
        var sampler = HostSampler(
            proc: proc, disks: Self.diskTargets(config, environment: environment),
            gateway: GatewayLocator(pidFile: config.health.gatewayPidFile, processName: config.health.gatewayProcess))
        if let host { sampler.host = host }
        let run = SampleRun(sampler: sampler, spool: SampleSpool(dataDir: config.dataDir), everySeconds: every, durationSeconds: duration)
        let result: SampleRun.Summary
        do { result = try run.run(clock: clock, sleep: sleep) } catch {
            console.err("sample: \(error)")
            return .failure
        }
        if parsed.has("verbose") {
            for sample in result.samples {
                let cpu = sample.cpuBusyPercent.map { HealthRules.format($0) + "%" } ?? "–"
                let memory = sample.memUsedPercent.map { HealthRules.format($0) + "%" } ?? "–"
                let gateway = sample.gateway.map { "gateway pid \($0.pid)" + ($0.restarted ? " (restarted)" : "") } ?? "gateway not running"
                console.out("sample \(UTCDate.isoString(micros: sample.tsMicros)) \(sample.host): CPU \(cpu), memory \(memory), \(gateway)")
            }
        }
        for warning in Array(Set(result.warnings)).sorted() { console.err("warning: \(warning)") }
        return result.warnings.isEmpty ? .success : .warnings
    }

    /// `data` = the data dir, `state` = the first OpenClaw state dir, then `health.disk_dirs`
    /// (which may relabel either).
    static func diskTargets(_ config: HomeBaseConfig, environment: [String: String]) -> [HostSampler.DiskTarget] {
        var dirs: [String: String] = [
            "data": config.dataDir,
            "state": config.openclawDirs.first ?? OpenClawStateDir.defaultStateDir(environment)
        ]
        for (label, dir) in config.health.diskDirs { dirs[label] = dir }
        return dirs.keys.sorted().map { HostSampler.DiskTarget(label: $0, path: dirs[$0] ?? "") }
    }
}
