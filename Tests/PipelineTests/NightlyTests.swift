import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Config
@testable import Analytics
@testable import Backup
@testable import Pipeline
@testable import Generate
@testable import HomeBaseCLI
@testable import TestSupport

/// A generated fleet, a config pointing at it, and helpers to run `nightly` in-process or as the binary.
struct NightlyFixture {
    let dir = TemporaryDirectory("homebase-nightly")
    let fleet: String
    var dataDir: String { dir.path + "/data" }
    var outDir: String { dir.path + "/out" }
    var backupDir: String { dir.path + "/backups" }
    var configPath: String { dir.path + "/homebase.json" }

    /// 21 days of 4 agents ending 2026-06-30; `extra` is spliced into the config object.
    init(extra: String = "") throws {
        fleet = dir.path + "/fleet"
        _ = try OpenClawGenerator.generate(GenerateFixture.options(days: 21, agents: 4, callsPerDay: 20), outDir: fleet)
        let config = """
            {"sources": {"openclaw": ["fleet/openclaw"], "gateway_logs": ["fleet/gateway"]},
             "data_dir": "data", "output_dir": "out", "timezone": "Europe/Berlin",
             "budgets": {"monthly_usd": 5},
             "backup": {"dir": "backups", "keep_daily": 3, "keep_weekly": 0, "keep_monthly": 0}\(extra)}
            """
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    func run(_ extra: [String] = [], now: Int64 = 1_782_900_000_000_000) -> (ExitCode, String) {
        let console = Console.capturing()
        var command = NightlyCommand()
        command.now = { now }
        do {
            let code = try command.run(["--config", configPath, "--today", "2026-07-01"] + extra, console: console)
            return (code, console.capturedOut + console.capturedErr)
        } catch {
            return (error is UsageError ? .usage : .failure, "\(error)")
        }
    }

    func logLines() -> [[String: Any]] {
        let text = (try? String(contentsOfFile: dataDir + "/logs/nightly.jsonl", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    func remove() { dir.remove() }
}

@Suite(.serialized) struct NightlyTests {
    /// One run does every stage; the second finds nothing new: no new delivery, no new backup.
    @Test func fullRunThenAQuietRerun() throws {
        let dir = TemporaryDirectory("homebase-nightly-hook")
        defer { dir.remove() }
        let server = try ScriptedServer(statuses: [200], log: dir.file("hook.jsonl"))
        defer { server.stop() }
        let fixture = try NightlyFixture(
            extra:
                #", "email": {"from": "hb@example.com", "to": ["ops@example.com"]}, "alerts": {"webhooks": [{"url": "\#(server.url)", "format": "slack"}], "budget_percent": 1}"#
        )
        defer { fixture.remove() }
        let (code, text) = fixture.run()
        #expect(code == .warnings || code == .success, "\(text)")
        #expect(text.contains("homebase nightly for 2026-07-01"))
        // 2026-07-01 is a Wednesday and the 1st: the daily and the monthly report, no weekly (Mondays by default).
        let reports = try FileManager.default.contentsOfDirectory(atPath: fixture.outDir).sorted()
        #expect(reports == ["alerts", "daily-2026-06-30", "monthly-finance-2026-06"], "\(reports)")
        #expect(FileManager.default.fileExists(atPath: fixture.outDir + "/daily-2026-06-30/report.pdf"))
        for stage in ["ingest", "analyze", "reports", "alerts", "backup", "prune"] {
            #expect(
                text.contains("  \(stage.padding(toLength: 8, withPad: " ", startingAt: 0)) ok")
                    || text.contains("  \(stage.padding(toLength: 8, withPad: " ", startingAt: 0)) warnings"), "\(stage): \(text)")
        }
        // Listed in stage order though the backup and prune ran beside the analysis, reports and alerts.
        let listed = text.split(separator: "\n").compactMap { line in
            ["ingest", "analyze", "reports", "alerts", "backup", "prune"].first { line.hasPrefix("  " + $0 + " ") }
        }
        #expect(listed == ["ingest", "analyze", "reports", "alerts", "backup", "prune"], "\(text)")
        // The analysis the nightly wrote is the one `analyze` computes for the same day and zone.
        let written = try AnalysisJSON.decode(Data(contentsOf: URL(fileURLWithPath: fixture.dataDir + "/analysis.json")))
        #expect(written.range.to == "2026-06-30" && written.time_zone == "Europe/Berlin")
        // A $5 budget with 1% as the alert threshold fires; the webhook got it in Slack's shape, the .eml holds it.
        let posts = server.requests()
        #expect(posts.count == 1)
        let body = try #require(try JSONSerialization.jsonObject(with: Data((posts.first?.body ?? "").utf8)) as? [String: String])
        #expect(body["text"]?.contains("Budget") == true)
        let eml = fixture.outDir + "/alerts/alerts-2026-07-01.eml"
        let parsed = try PythonOracle.run(
            """
            import sys, email, email.policy
            m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)
            print(m['To'], '|', m['Subject'], '|', 'Budget' in m.get_body(('plain',)).get_content(), '|', len(m.defects))
            """, [eml])
        #expect(parsed.hasPrefix("ops@example.com | [Home Base] ") && parsed.contains("| True | 0"), "\(parsed)")
        let backups = try FileManager.default.contentsOfDirectory(atPath: fixture.backupDir).filter { $0.hasSuffix(".tar.gz") }
        #expect(backups.count == 1)

        let (again, text2) = fixture.run(now: 1_782_900_060_000_000)
        #expect(again == code, "\(text2)")
        #expect(server.requests().count == 1, "an alert already delivered is not sent again")
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.backupDir).filter { $0.hasSuffix(".tar.gz") }.count == 1)
        #expect(text2.contains("already holds snapshot"))
        #expect(fixture.logLines().count == 12 && fixture.logLines().allSatisfy { $0["today"] as? String == "2026-07-01" })
        for run in Set(fixture.logLines().compactMap { $0["run"] as? String }) {
            let stages = fixture.logLines().filter { $0["run"] as? String == run }.compactMap { $0["stage"] as? String }
            #expect(stages.sorted() == ["alerts", "analyze", "backup", "ingest", "prune", "reports"], "\(stages)")
        }
    }

    /// analysis.json is written while the reports render: when it cannot be written the analyze
    /// stage fails and says so, and the reports and the backup still happen (one job or two).
    @Test func anAnalysisFileThatCannotBeWrittenFailsTheStageNotTheReports() throws {
        for jobs in ["1", "2"] {
            let fixture = try NightlyFixture()
            defer { fixture.remove() }
            try FileManager.default.createDirectory(atPath: fixture.dataDir + "/analysis.json/in-the-way", withIntermediateDirectories: true)
            let (code, text) = fixture.run(["--jobs", jobs])
            #expect(code == .failure, "\(text)")
            #expect(text.contains("analyze  failed") && text.contains("analysis.json not written"), "\(text)")
            #expect(text.contains("  reports  ok") || text.contains("  reports  warnings"), "\(text)")
            #expect(text.contains("  backup   ok"), "\(text)")
            #expect(FileManager.default.fileExists(atPath: fixture.outDir + "/daily-2026-06-30/report.pdf"))
        }
    }

    /// A failing stage (the lake cannot be written) does not stop the others, and the exit code says so.
    @Test func emailReportsChoosesWhichReportsAreEmailed() throws {
        let fixture = try NightlyFixture(extra: #", "email": {"from": "hb@example.com", "to": ["ops@example.com"], "reports": ["daily", "monthly"]}"#)
        defer { fixture.remove() }
        let (code, text) = fixture.run()
        #expect(code == .warnings || code == .success, "\(text)")
        // 2026-07-01: the daily (for 06-30) and the monthly (June) report, both e-mailed as asked.
        let out = try PythonOracle.run(
            """
            import sys, json, email
            from email import policy
            res = {}
            for name in ["daily-2026-06-30", "monthly-finance-2026-06"]:
                m = email.message_from_bytes(open(sys.argv[1] + "/" + name + "/report.eml", "rb").read(), policy=policy.default)
                res[name] = [m["Subject"], [a.get_filename() for a in m.iter_attachments()]]
            print(json.dumps(res))
            """, [fixture.outDir])
        let r = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: [Any]])
        #expect((r["daily-2026-06-30"]?[0] as? String)?.hasPrefix("[Home Base] Daily 2026-06-30: $") == true, "\(r)")
        #expect((r["monthly-finance-2026-06"]?[0] as? String)?.hasPrefix("[Home Base] Monthly 2026-06-01 – 06-30: $") == true, "\(r)")
        #expect(r["daily-2026-06-30"]?[1] as? [String] == ["report.pdf", "report.xlsx"])
    }

    @Test func failedIngestStillAnalyzesAndBacksUp() throws {
        let fixture = try NightlyFixture()
        defer { fixture.remove() }
        #expect(fixture.run().0 != .failure)
        // Make the next ingest fail: new data arrives but tables/requests is now a file.
        _ = try OpenClawGenerator.generate(GenerateFixture.options(days: 2, agents: 1, callsPerDay: 5, seed: 99), outDir: fixture.fleet + "-more")
        let agent = try #require(try FileManager.default.contentsOfDirectory(atPath: fixture.fleet + "-more/openclaw/agents").first)
        try FileManager.default.moveItem(
            atPath: fixture.fleet + "-more/openclaw/agents/" + agent, toPath: fixture.fleet + "/openclaw/agents/late-agent")
        try FileManager.default.removeItem(atPath: fixture.dataDir + "/tables/requests")
        try "not a directory".write(toFile: fixture.dataDir + "/tables/requests", atomically: true, encoding: .utf8)
        let (code, text) = fixture.run(now: 1_782_900_060_000_000)
        #expect(code == .failure, "\(text)")
        #expect(text.contains("ingest   failed"), "\(text)")
        #expect(text.contains("analyze  ") && !text.contains("analyze  skipped"), "\(text)")
        #expect(text.contains("  backup   ok "), "a failed ingest still backs up: \(text)")
    }

    @Test func secondRunWhileLockedExitsFourNamingTheHolder() throws {
        let fixture = try NightlyFixture()
        defer { fixture.remove() }
        try FileManager.default.createDirectory(atPath: fixture.dataDir, withIntermediateDirectories: true)
        let lock = try RunLock(dataDir: fixture.dataDir, command: "ingest", nowMicros: 0)
        let (code, text) = fixture.run()
        withExtendedLifetime(lock) {}
        #expect(code == .locked)
        #expect(text.contains("running 'ingest'"), "\(text)")
    }

    @Test func missingOrBadConfigIsAUsageErrorNamingIt() throws {
        let console = Console.capturing()
        #expect(CommandLineTool.run(["nightly", "--config", "/nonexistent/homebase.json"], console: console) == .usage)
        #expect(console.capturedErr.contains("/nonexistent/homebase.json"))
        let fixture = try NightlyFixture(extra: #", "alerts": {"error_rate": "high"}"#)
        defer { fixture.remove() }
        let (code, text) = fixture.run()
        #expect(code == .usage && text.contains("alerts.error_rate"), "\(text)")
    }

    @Test func doctorSaysWhatToFix() throws {
        let fixture = try NightlyFixture(extra: #", "sources": {"openclaw": ["nowhere"]}"#)
        defer { fixture.remove() }
        let console = Console.capturing()
        #expect(CommandLineTool.run(["doctor", "--config", fixture.configPath], console: console) == .failure)
        #expect(console.capturedOut.contains("fail OpenClaw state directory \(fixture.dir.path)/nowhere does not exist"), "\(console.capturedOut)")
    }

    /// A budget for an agent id that never made a call (a typo) is named by doctor once the lake has calls;
    /// the generated fleet's agents (main, research, …) are not.
    @Test func doctorNamesBudgetAgentsWithoutCalls() throws {
        let fixture = try NightlyFixture(extra: #", "budgets": {"agents": {"research": 5, "reserch": 5}}"#)
        defer { fixture.remove() }
        _ = fixture.run()
        let console = Console.capturing()
        _ = CommandLineTool.run(["doctor", "--config", fixture.configPath], console: console)
        #expect(console.capturedOut.contains("budgets.agents: reserch never made a call"), "\(console.capturedOut)")
        #expect(!console.capturedOut.contains("research never"), "\(console.capturedOut)")
    }
}

/// The real binary SIGKILLed at named points of every stage (fail points, so each kill lands
/// inside the run at a known place), then run to the end: the lake and analysis.json equal those
/// of one clean run.
@Suite(.serialized) struct NightlyKillTests {
    @Test func killedRunsFinishLikeOneCleanRun() throws {
        let binary = PythonOracle.repositoryRoot.appendingPathComponent(".build/debug/homebase").path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build homebase first (make test does)")
        let fixture = try NightlyFixture()
        defer { fixture.remove() }
        func nightly(_ data: String, stopAt point: String? = nil) throws -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = [
                "nightly", "--config", fixture.configPath, "--today", "2026-07-01", "--data", fixture.dir.path + "/" + data,
                "--backup-dir", fixture.dir.path + "/" + data + "-backups", "--out", fixture.dir.path + "/" + data + "-out", "--jobs", "1"
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let marker = fixture.dir.path + "/reached-" + (point ?? "none")
            if let point {
                process.environment = ProcessInfo.processInfo.environment.merging(
                    ["HOMEBASE_FAILPOINT": point, "HOMEBASE_FAILPOINT_FILE": marker]) { $1 }
            }
            try process.run()
            if let point {
                while !FileManager.default.fileExists(atPath: marker) && process.isRunning { usleep(10_000) }
                #expect(FileManager.default.fileExists(atPath: marker), "nightly never reached \(point)")
                kill(process.processIdentifier, SIGKILL)
            }
            process.waitUntilExit()
            return process.terminationStatus
        }
        #expect(try nightly("clean") != 1)
        // Inside ingest (before and after its commit), at the start of each later stage, and inside
        // the backup (after an entry, before the sidecar, before the rename).
        for point in [
            "ingest-files-half", "ingest-before-commit", "ingest-after-commit", "nightly-analyze", "nightly-reports",
            "nightly-alerts", "nightly-backup", "backup-entry-written", "backup-sidecar-written", "nightly-prune"
        ] {
            _ = try nightly("killed", stopAt: point)
        }
        #expect(try nightly("killed") != 1)

        func lake(_ data: String) throws -> String {
            try PythonOracle.run(
                """
                import sys, duckdb, sqlite3, hashlib
                data = sys.argv[1]
                live = sqlite3.connect(f'file:{data}/catalog.sqlite?mode=ro', uri=True).execute(
                    "SELECT table_name, path FROM parts WHERE removed_snapshot IS NULL ORDER BY 1, 2").fetchall()
                out = []
                for table in sorted({t for t, _ in live}):
                    files = [f'{data}/{p}' for t, p in live if t == table]
                    # A quarantine row's ts is when it was quarantined: the only value a re-run may change.
                    cols = '* EXCLUDE (ts)' if table == 'quarantine' else '*'
                    rows = duckdb.sql(f"SELECT {cols} FROM read_parquet({files!r}, hive_partitioning=true)").fetchall()
                    out.append(f'{table}: {len(rows)} rows, ' + hashlib.sha256('\\n'.join(sorted(map(repr, rows))).encode()).hexdigest())
                print('\\n'.join(out))
                """, [fixture.dir.path + "/" + data])
        }
        let clean = try lake("clean")
        #expect(clean.contains("requests: ") && !clean.contains("requests: 0 rows"))
        let killed = try lake("killed")
        #expect(killed == clean, "clean:\n\(clean)\nkilled:\n\(killed)")
        func analysis(_ data: String) throws -> Analysis {
            var value = try AnalysisJSON.decode(Data(contentsOf: URL(fileURLWithPath: fixture.dir.path + "/" + data + "/analysis.json")))
            value.generated_at = ""
            value.snapshot = nil
            return value
        }
        #expect(try analysis("killed") == analysis("clean"))
        let backups = try FileManager.default.contentsOfDirectory(atPath: fixture.dir.path + "/killed-backups").filter { $0.hasSuffix(".tar.gz") }
        for name in backups {
            #expect(BackupVerifier.verify(archivePath: fixture.dir.path + "/killed-backups/" + name, nowMicros: 0).ok, "\(name)")
        }
    }
}

@Suite struct NightlyCredentialAlertTests {
    /// On 2026-07-01 with a 14-day window: created 2026-01-01 + 90 days = due 2026-04-01 (overdue,
    /// critical); expires 2026-07-10 (9 days left: expiring); created 2026-06-01 + 365 days (fine).
    @Test func inventoryBecomesAlerts() throws {
        var config = try HomeBaseConfig.parse(
            """
            {"credentials": [
              {"key_id": "old", "provider": "openai", "created": "2026-01-01", "rotate_after_days": 90},
              {"key_id": "short", "provider": "anthropic", "created": "2026-05-01", "expires": "2026-07-10"},
              {"key_id": "fresh", "provider": "openai", "created": "2026-06-01", "rotate_after_days": 365}]}
            """)
        let runner = NightlyRunner(options: NightlyOptions(config: config, now: { 0 }))
        let today = try #require(UTCDate.parseDate("2026-07-01"))
        let alerts = runner.credentialAlerts(todayDay: today)
        #expect(alerts.map(\.key) == ["credential:old:rotation_overdue", "credential:short:expiring"])
        #expect(alerts.map(\.severity) == ["critical", "warning"])
        config.alerts.credentialDays = nil
        #expect(NightlyRunner(options: NightlyOptions(config: config, now: { 0 })).credentialAlerts(todayDay: today).isEmpty)
    }
}
