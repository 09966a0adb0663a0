import Foundation
import HomeBaseCore
import SQLiteStore
import ObjectStore
import Config
import Backup
import Pipeline

/// `homebase backup create|list|verify|restore|prune`: compressed, verified, incremental backups
/// of the lake and catalog, restorable to a point in time.
struct BackupCommand: Command {
    let name = "backup"
    let summary = "create, list, verify, restore and prune backups of the lake"
    let help = """
        usage: homebase backup create  [--data DIR] [--to DIR|s3://bucket/prefix] [--full] [--level N]
               homebase backup list    [--from DIR|s3://…] [--data DIR]
               homebase backup verify  [FILE | --all] [--from DIR|s3://…] [--data DIR]
               homebase backup restore FILE | --at TIME  --to DIR [--replace] [--data DIR] [--from DIR|s3://…]
               homebase backup prune   [--keep-daily N] [--keep-weekly N] [--keep-monthly N]
                                       [--from DIR|s3://…] [--data DIR] [--dry-run]

        Defaults come from the config (--config FILE, $HOMEBASE_CONFIG or ./homebase.json), as
        for nightly: --data is its data_dir, --to/--from its backup.dir, the --keep-* of prune its
        backup.keep_*; without a config, ./homebase-data and ./homebase-backups.
        --from is also spelled --backups. A location is a directory or s3://bucket/prefix
        (credentials and endpoint: config backup.s3, else AWS_* variables; see docs/s3.md). For
        S3, archives are made, verified and restored in the cache <data>/.backup-cache/<bucket>/…
        and only complete uploads (their .sha256 marker written last) are listed or restored.

        create   one homebase-backup-<UTC time>.tar.gz in --to (default: see above) with
                 a consistent copy of the catalog (SQLite online backup; ingest may keep running)
                 and the parts live in its newest snapshot, plus a .sha256 beside it. Parts already
                 stored in an earlier backup there (same path and SHA-256) are referenced, not
                 copied again; --full copies everything. --level: gzip level 1-9 (default 1).
        list     every backup: time, snapshot, files stored/referenced, size, verification.
        verify   re-reads FILE (default: the newest) or --all, re-hashes every entry and the
                 whole archive against its .sha256, follows references, restores into a scratch
                 directory and checks the catalog (integrity_check) and every live part it names.
        restore  into a new directory --to DIR, following references, then verifies it. --at TIME
                 (YYYY-MM-DD = end of that UTC day, or an ISO-8601 time) restores the newest
                 snapshot committed at or before TIME. --replace then swaps it in for --data
                 (default ./homebase-data); the previous data is kept as <data>.old-<UTC time>.
        prune    keeps the newest backup of each of the N latest days/weeks/months with backups,
                 the newest verified backup, and every backup a kept one references.

        exit codes: 0 ok, 1 failure (a verify problem, a refused archive, S3 errors), 2 usage
        (including an unsupported location such as gs:// or http://), 4 locked
        """

    var now: @Sendable () -> Int64 = { SystemClock.nowMicros() }
    var environment: [String: String] = ProcessEnvironment.current
    /// `backup.s3` from the config, when the caller has one (the config file is not read here).
    var s3Settings: S3Settings?

    /// The config `--config`, `$HOMEBASE_CONFIG` or `./homebase.json` names, if any: its
    /// `data_dir`, `backup.dir`, `backup.s3` and `backup.keep_*` are the defaults, as for nightly.
    static func config(_ parsed: ParsedArguments, _ environment: [String: String]) throws -> HomeBaseConfig? {
        do { return try ConfigFlags.find(parsed, environment: environment) } catch { throw UsageError("\(error)") }
    }

    /// `--data`, else the config's `data_dir`, else ./homebase-data.
    private func dataDir(_ parsed: ParsedArguments) throws -> String {
        try parsed.value("data") ?? Self.config(parsed, environment)?.dataDir ?? Self.defaultData
    }

    /// The backup location from `--from`/`--backups` (or `--to` for create), else the config's
    /// `backup.dir`, else ./homebase-backups; and its cache's data dir.
    private func target(_ text: String?, _ parsed: ParsedArguments) throws -> BackupTarget {
        let config = try Self.config(parsed, environment)
        return try BackupTarget.resolve(
            text ?? config?.backup.dir ?? Self.defaultBackups, settings: s3Settings ?? config?.backup.s3, environment: environment,
            dataDir: try dataDir(parsed))
    }

    private func source(_ parsed: ParsedArguments) throws -> String? {
        if parsed.value("from") != nil && parsed.value("backups") != nil { throw UsageError("give --from or --backups, not both") }
        return parsed.value("from") ?? parsed.value("backups")
    }

    func run(_ arguments: [String], console: Console) throws -> ExitCode {
        guard let sub = arguments.first else { throw UsageError("backup needs a subcommand: create, list, verify, restore or prune") }
        let rest = Array(arguments.dropFirst())
        switch sub {
        case "create": return try create(rest, console)
        case "list": return try list(rest, console)
        case "verify": return try verify(rest, console)
        case "restore": return try restore(rest, console)
        case "prune": return try prune(rest, console)
        default: throw UsageError("unknown backup subcommand '\(sub)' (create, list, verify, restore, prune)")
        }
    }

    static let defaultBackups = "./homebase-backups"
    static let defaultData = "./homebase-data"

    private func create(_ arguments: [String], _ console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(
            arguments, spec: OptionSpec(valued: ["data", "to", "level", "config"], switches: ["full"], locations: ["to"]))
        let level = try parsed.int("level") ?? Int(BackupOptions.defaultLevel)
        guard (1...9).contains(level) else { throw UsageError("--level must be 1 to 9") }
        let data = try dataDir(parsed)
        let target = try target(parsed.value("to"), parsed)
        let options = BackupOptions(
            dataDir: data, backupDir: target.workDirectory, incremental: !parsed.has("full"), level: Int32(level), now: now)
        let created = try target.create(options)
        let result = created.result
        let snapshot = result.manifest.snapshot.map { "snapshot \($0)" } ?? "empty lake"
        if let report = created.verify, !report.ok {
            console.err("FAILED \(result.archivePath): did not verify, so it was not uploaded")
            for problem in report.problems { console.err("  \(problem)") }
            return .failure
        }
        console.out(
            "backup \(created.location): \(snapshot), \(result.manifest.files.count) files "
                + "(\(result.copiedFiles) stored, \(result.referencedFiles) referenced from earlier backups), "
                + "\(result.archiveBytes) bytes compressed from \(result.copiedBytes)"
                + (created.verify != nil ? "; verified, uploaded" : ""))
        for name in created.pushed { console.out("uploaded earlier backup \(name) (its upload had not finished)") }
        console.out("sha256 \(result.archiveSHA256)")
        return .success
    }

    private func list(_ arguments: [String], _ console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(
            arguments, spec: OptionSpec(valued: ["backups", "from", "data", "config"], locations: ["backups", "from"]))
        let backups = try target(try source(parsed), parsed).list()
        if backups.isEmpty { console.out("no backups") }
        for info in backups {
            guard let manifest = info.manifest else {
                console.out("\(info.name)  unreadable: \(info.problem ?? "?")")
                continue
            }
            let status = !info.complete ? "incomplete" : info.verifiedMicros.map { "verified \(UTCDate.isoString(micros: $0))" } ?? "not verified"
            console.out(
                "\(info.name)  created \(UTCDate.isoString(micros: manifest.createdMicros))  snapshot \(manifest.snapshot.map(String.init) ?? "-")"
                    + "  files \(manifest.ownFiles.count) stored + \(manifest.files.count - manifest.ownFiles.count) referenced"
                    + "  \(info.size) bytes  \(status)")
        }
        return .success
    }

    private func verify(_ arguments: [String], _ console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(
            arguments,
            spec: OptionSpec(valued: ["backups", "from", "data", "config"], switches: ["all"], maxPositionals: 1, locations: ["backups", "from"]))
        let target = try target(try source(parsed), parsed)
        var reports: [VerifyReport] = []
        if let file = parsed.positionals.first {
            if parsed.has("all") { throw UsageError("give FILE or --all, not both") }
            switch target {
            case .local(let store):
                let path = try StoragePaths.local(file, what: "FILE")
                reports = [BackupVerifier.verify(archivePath: path.contains("/") ? path : store.path(path), nowMicros: now())]
            case .remote:
                reports = [target.verify(name: (file as NSString).lastPathComponent, nowMicros: now())]
            }
        } else {
            let all = try target.list()
            let names = parsed.has("all") ? all.map(\.name) : all.last.map { [$0.name] } ?? []
            guard !names.isEmpty else {
                console.err("homebase backup verify: no backups in \(try source(parsed) ?? Self.defaultBackups)")
                return .failure
            }
            reports = names.map { target.verify(name: $0, nowMicros: now()) }
        }
        var failed = 0
        for report in reports {
            if report.ok {
                console.out("ok \(report.archive) (\(report.files) files, \(report.bytes) bytes read)")
            } else {
                failed += 1
                console.err("FAILED \(report.archive)")
                for problem in report.problems { console.err("  \(problem)") }
            }
        }
        return failed == 0 ? .success : .failure
    }

    private func restore(_ arguments: [String], _ console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(
            arguments,
            spec: OptionSpec(
                valued: ["at", "to", "data", "backups", "from", "config"], switches: ["replace"], maxPositionals: 1, locations: ["backups", "from"]))
        guard let target = parsed.value("to") else { throw UsageError("restore needs --to DIR (a new directory)") }
        let file = try parsed.positionals.first.map { try StoragePaths.local($0, what: "FILE") }
        var at: Int64?
        if let text = parsed.value("at") {
            guard let micros = Self.parseTime(text) else { throw UsageError("--at expects YYYY-MM-DD or an ISO-8601 time, got '\(text)'") }
            at = micros
        }
        guard (file == nil) != (at == nil) else { throw UsageError("restore needs exactly one of FILE or --at TIME") }
        let backupTarget = try self.target(try source(parsed), parsed)
        if case .local = backupTarget, parsed.value("data") != nil && !parsed.has("replace") {
            throw UsageError("--data is only used with --replace (or to place the cache of an s3:// --from)")
        }
        let result = try backupTarget.restore(archive: file, atMicros: at, target: target)
        let snapshot = result.snapshot.map { "snapshot \($0)" } ?? "empty lake"
        console.out(
            "restored \(snapshot) into \(target): \(result.files) files, \(result.bytes) bytes, from "
                + result.archivesRead.joined(separator: ", ") + (result.trimmed ? " (catalog cut back to the snapshot)" : "") + "; verified")
        if parsed.has("replace") {
            let data = try dataDir(parsed)
            do {
                let old = try BackupRestorer.replace(dataDir: data, with: target, nowMicros: now())
                console.out("\(data) now holds the restored data" + (old.map { "; the previous data is in \($0)" } ?? ""))
            } catch let held as RunLock.Held {
                console.err("homebase backup: \(held)")
                return .locked
            }
        }
        return .success
    }

    private func prune(_ arguments: [String], _ console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(
            arguments,
            spec: OptionSpec(
                valued: ["backups", "from", "data", "keep-daily", "keep-weekly", "keep-monthly", "config"], switches: ["dry-run"],
                locations: ["backups", "from"]))
        // Without any --keep-*, the config's backup.keep_* (when there is a config).
        let given = ["keep-daily", "keep-weekly", "keep-monthly"].contains { parsed.value($0) != nil }
        let kept = given ? nil : try Self.config(parsed, environment)?.backup
        let policy = PrunePolicy(
            daily: try parsed.int("keep-daily") ?? kept?.keepDaily ?? 0, weekly: try parsed.int("keep-weekly") ?? kept?.keepWeekly ?? 0,
            monthly: try parsed.int("keep-monthly") ?? kept?.keepMonthly ?? 0)
        guard policy.daily >= 0, policy.weekly >= 0, policy.monthly >= 0 else { throw UsageError("--keep-* must not be negative") }
        guard policy.daily + policy.weekly + policy.monthly > 0 else {
            throw UsageError("prune needs at least one of --keep-daily, --keep-weekly, --keep-monthly above 0")
        }
        let dryRun = parsed.has("dry-run")
        let plan = try target(try source(parsed), parsed).prune(policy, nowMicros: now(), dryRun: dryRun)
        for (name, reasons) in plan.keep.sorted(by: { $0.key < $1.key }) { console.out("keep   \(name)  (\(reasons.joined(separator: ", ")))") }
        for name in plan.delete { console.out((dryRun ? "would delete " : "delete ") + name) }
        return .success
    }

    /// `YYYY-MM-DD` (the last microsecond of that UTC day) or an ISO-8601 time, as epoch µs.
    static func parseTime(_ text: String) -> Int64? {
        if let days = UTCDate.parseDate(text) { return (days + 1) * 86_400_000_000 - 1 }
        return ISO8601Time.micros(text)
    }
}
