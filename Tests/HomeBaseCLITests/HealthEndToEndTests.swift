import Foundation
import Testing
import TestSupport
@testable import HomeBaseCore
@testable import Config
@testable import Lake
@testable import Analytics
@testable import Pipeline
@testable import HostHealth
@testable import HomeBaseCLI

/// Issue 24 end to end: `homebase sample` (on a fixture /proc) and hand-made samples → spool →
/// nightly ingest → `host_samples` (read back by DuckDB) → analysis.json `health` (numbers worked
/// out by hand below) → health alerts → PagerDuty and Telegram on local recording servers: a
/// trigger, then exactly one resolve per channel on the nightly where the alert stopped holding,
/// a failed resolve retried the next night, and the secrets nowhere in any output or file.
@Suite(.serialized) struct HealthEndToEndTests {
    static let minute: Int64 = 60_000_000
    static let dec1 = UTCDate.days(year: 2026, month: 12, day: 1) * 86_400_000_000
    static let dec2 = dec1 + 1440 * minute
    static let routingKey = "pdkey0123456789abcdef0123456789ab"
    static let botToken = "123456:SECRETtokenABCdef"
    static let fixtureProc = PythonOracle.repositoryRoot.path + "/Tests/HostHealthTests/Fixtures/proc-a"

    /// h1 on 2026-12-01: minutes 0, 1, 2, 3 and 10 (a 7-minute gap), CPU 10…50 %, memory used
    /// 50…90 % of 1000 bytes, the data disk losing 1,000,000 bytes a minute, the gateway pid 100
    /// then 200 (one restart, seen at minute 3).
    static func day1() -> [HostSample] {
        [0, 1, 2, 3, 10].enumerated().map { index, minuteOfDay in
            let m = Int64(minuteOfDay)
            let available = 100_000_000_000 - m * 1_000_000
            return HostSample(
                tsMicros: dec1 + m * minute, host: "h1", cpuBusyPercent: Double(10 * (index + 1)), cpuWindowSeconds: 60,
                load1: 1, load5: 1, load15: 1, cpuCount: 2, memTotalBytes: 1000, memAvailableBytes: Int64(500 - 100 * index),
                swapTotalBytes: 0, swapUsedBytes: 0, uptimeSeconds: 100,
                disks: [DiskUsage(label: "data", path: "/d", totalBytes: 200_000_000_000, availableBytes: available, usedBytes: 0)],
                gateway: index < 3
                    ? GatewaySample(
                        pid: 100, cpuPercent: 1, rssBytes: 10, threads: 2, openFiles: 3, startMicros: dec1 - 3600_000_000, restarted: false)
                    : GatewaySample(
                        pid: 200, cpuPercent: 1, rssBytes: 10, threads: 2, openFiles: 3, startMicros: dec1 + 150_000_000, restarted: index == 3))
        }
    }

    /// h1 on 2026-12-02, every minute from 00:15 to 00:29, gateway pid 200 throughout.
    static func day2() -> [HostSample] {
        (15...29).map { m in
            HostSample(
                tsMicros: dec2 + Int64(m) * minute, host: "h1", cpuBusyPercent: 5, cpuWindowSeconds: 60, load1: 1, load5: 1, load15: 1,
                cpuCount: 2, memTotalBytes: 1000, memAvailableBytes: 800, swapTotalBytes: 0, swapUsedBytes: 0, uptimeSeconds: 100,
                disks: [],
                gateway: GatewaySample(
                    pid: 200, cpuPercent: 1, rssBytes: 10, threads: 2, openFiles: 3, startMicros: dec1 + 150_000_000, restarted: false))
        }
    }

    @Test func sampleIngestAnalyzeAlertResolve() throws {
        let dir = TemporaryDirectory("homebase-health-e2e")
        defer { dir.remove() }
        let pagerduty = try RecordingServer([(202, #"{"status":"success"}"#, [:])])
        // Telegram: the alert message succeeds, the first resolve note fails (retried next night).
        let telegram = try RecordingServer([
            (200, #"{"ok":true}"#, [:]), (500, #"{"ok":false,"description":"Internal Server Error"}"#, [:]), (200, #"{"ok":true}"#, [:])
        ])
        try FileManager.default.createDirectory(atPath: dir.file("openclaw/agents"), withIntermediateDirectories: true)
        let config = """
            {"sources": {"openclaw": ["\(dir.file("openclaw"))"]}, "data_dir": "\(dir.file("data"))", "output_dir": "\(dir.file("out"))",
             "reports": {"daily": false, "monthly": false, "weekly_on": "never"},
             "health": {"interval_s": 60, "gateway_process": "no-such-gateway",
                        "alerts": {"restart_window_s": 600, "gap_window_s": 600}},
             "alerts": {"pagerduty": {"endpoint": "\(pagerduty.url)/v2/enqueue", "source": "gw-01", "retries": 0},
                        "telegram": {"chat_id": "-100123", "base_url": "\(telegram.url)", "retries": 0}}}
            """
        try config.write(toFile: dir.file("homebase.json"), atomically: true, encoding: .utf8)
        let environment = ["HOMEBASE_PAGERDUTY_KEY": Self.routingKey, "HOMEBASE_TELEGRAM_TOKEN": Self.botToken, "HOME": dir.path]
        var output = ""

        // Night 1 (2026-12-01 00:11): the day-1 samples, written by samplers into the spool.
        let spool = SampleSpool(dataDir: dir.file("data"))
        for sample in Self.day1() { try spool.append(sample) }
        let night1 = try nightly(dir, at: Self.dec1 + 11 * Self.minute, environment: environment, output: &output)
        #expect(night1.outcomes.allSatisfy { $0.status != .failed }, "\(output)")
        #expect(!FileManager.default.fileExists(atPath: spool.spoolPath))  // trimmed after the fold

        // analysis.json health, by hand: CPU 10,20,30,40,50 → p50 30, p95 = 40 + 0.8 × 10 = 48, max 50;
        // memory used 50…90 % → p50 70, p95 88, max 90; restart pid 100 → 200 at minute 3; the data
        // disk loses 1e6 bytes a minute = 1.44e9 a day, 99,990,000,000 left → 69.4375 days; one gap
        // 00:03 → 00:10 = 7 min (> 3 × 60 s).
        let analysis = try AnalysisJSON.decode(Data(contentsOf: URL(fileURLWithPath: dir.file("data/analysis.json"))))
        let health = try #require(analysis.health)
        #expect(health.hosts.map(\.host) == ["h1"])
        let h1 = health.hosts[0]
        #expect(h1.samples == 5)
        #expect(h1.days.count == 1)
        let day = h1.days[0]
        #expect(day.day == "2026-12-01" && day.samples == 5)
        #expect(day.cpu_p50 == 30 && day.cpu_max == 50 && abs((day.cpu_p95 ?? 0) - 48) < 1e-9)
        #expect(day.mem_p50 == 70 && day.mem_max == 90 && abs((day.mem_p95 ?? 0) - 88) < 1e-9)
        #expect(h1.gateway_restarts.map(\.pid) == [200] && h1.gateway_restarts.map(\.previous_pid) == [100])
        #expect(h1.gateway_restarts.first?.at == "2026-12-01T00:03:00.000000Z")
        let disk = try #require(h1.disks.first)
        #expect(disk.label == "data" && disk.available_bytes == 99_990_000_000)
        #expect(abs(disk.shrink_bytes_per_day - 1.44e9) < 1)
        #expect(abs((disk.days_until_full ?? 0) - 69.4375) < 1e-6)
        #expect(h1.gaps.count == 1 && h1.gaps.first?.minutes == 7 && h1.gaps.first?.ongoing == false)
        #expect(Set(h1.alerts.map(\.key)) == ["gateway_restart:h1", "sampling_gap:h1"])

        // PagerDuty: one trigger per alert with the stable dedup key; Telegram: one message.
        let triggers = pagerduty.requests
        #expect(triggers.count == 2)
        #expect(Set(triggers.compactMap { $0.json?["dedup_key"] as? String }) == ["homebase:gateway_restart:h1", "homebase:sampling_gap:h1"])
        for request in triggers {
            #expect(request.path == "/v2/enqueue")
            #expect(request.json?["routing_key"] as? String == Self.routingKey)
            #expect(request.json?["event_action"] as? String == "trigger")
            let payload = request.json?["payload"] as? [String: Any]
            #expect(payload?["source"] as? String == "gw-01")
            #expect(payload?["severity"] as? String == "warning")
            #expect((payload?["summary"] as? String)?.contains("h1") == true)
        }
        #expect(telegram.requests.count == 1)
        #expect(telegram.requests.first?.path == "/bot\(Self.botToken)/sendMessage")
        #expect(telegram.requests.first?.json?["chat_id"] as? Int == -100123)
        #expect(telegram.requests.first?.json?["parse_mode"] as? String == "MarkdownV2")
        #expect((telegram.requests.first?.json?["text"] as? String)?.contains("restart") == true)

        // Night 2 (2026-12-02 00:30): fresh samples, one of them by `homebase sample` on the fixture
        // /proc (another host name, so its real disks stay apart from h1's); neither alert holds any more (the restart and the gap are older than 600 s).
        for sample in Self.day2() { try spool.append(sample) }
        var command = SampleCommand()
        command.proc = ProcFS(root: Self.fixtureProc, ticksPerSecond: 100)
        command.host = "fixture-host"
        command.clock = { Self.dec2 + 30 * Self.minute }
        command.sleep = { _ in }
        command.environment = environment
        let console = Console.capturing()
        let code = try command.run(["--config", dir.file("homebase.json")], console: console)
        output += console.capturedOut + console.capturedErr
        #expect(code == .success)
        let night2 = try nightly(dir, at: Self.dec2 + 30 * Self.minute + 20_000_000, environment: environment, output: &output)
        let night2Alerts = night2.outcomes.first { $0.stage == "alerts" }
        #expect(night2Alerts?.status == .failed)  // the Telegram resolve failed; retried next night
        let resolves = Array(pagerduty.requests.dropFirst(2))
        #expect(resolves.count == 2)
        #expect(resolves.allSatisfy { $0.json?["event_action"] as? String == "resolve" && $0.json?["routing_key"] as? String == Self.routingKey })
        #expect(Set(resolves.compactMap { $0.json?["dedup_key"] as? String }) == ["homebase:gateway_restart:h1", "homebase:sampling_gap:h1"])
        #expect(telegram.requests.count == 2)  // the failed resolve note

        // The fixture sample in the lake, read by DuckDB from the part: MemTotal 16,384,000 kB,
        // MemAvailable 8,192,000 kB (50 % used), load 0.52 0.58 0.59, swap 2,048,000 kB of which half used.
        let parts = try Catalog(dataDir: dir.file("data")).liveParts(table: "host_samples").map { dir.file("data") + "/" + $0.path }
        let row = try PythonOracle.run(
            """
            import sys, json, duckdb
            files = json.loads(sys.argv[1])
            r = duckdb.connect().execute("SELECT count(*), count(DISTINCT (host, ts_us)) FROM read_parquet(?)", [files]).fetchone()
            s = duckdb.connect().execute("SELECT mem_total_bytes, mem_available_bytes, mem_used_pct, load1, load15, swap_total_bytes, swap_used_bytes, gateway_pid FROM read_parquet(?) WHERE ts_us = ?", [files, int(sys.argv[2])]).fetchone()
            print(json.dumps([list(r), list(s)]))
            """, [String(decoding: try JSONSerialization.data(withJSONObject: parts), as: UTF8.self), String(Self.dec2 + 30 * Self.minute)])
        let values = try #require(try JSONSerialization.jsonObject(with: Data(row.utf8)) as? [[Any]])
        #expect(values[0].compactMap { $0 as? Int } == [21, 21])  // 5 + 15 + 1 samples, no duplicate
        #expect(values[1][0] as? Int == 16_384_000 * 1024)
        #expect(values[1][1] as? Int == 8_192_000 * 1024)
        #expect(values[1][2] as? Double == 50)
        #expect(values[1][3] as? Double == 0.52 && values[1][4] as? Double == 0.59)
        #expect(values[1][5] as? Int == 2_048_000 * 1024 && values[1][6] as? Int == 1_024_000 * 1024)
        #expect(values[1][7] is NSNull)

        // Night 3: the failed Telegram resolves go out (one per alert); PagerDuty hears nothing more.
        _ = try nightly(dir, at: Self.dec2 + 31 * Self.minute, environment: environment, output: &output)
        #expect(pagerduty.requests.count == 4)
        #expect(telegram.requests.count == 4)
        let notes = telegram.requests.dropFirst(2).compactMap { $0.json?["text"] as? String }
        #expect(notes.count == 2 && notes.allSatisfy { $0.hasPrefix("✅ Resolved: ") })
        // Night 4: nothing holds, nothing pending: silence.
        _ = try nightly(dir, at: Self.dec2 + 32 * Self.minute, environment: environment, output: &output)
        #expect(pagerduty.requests.count == 4 && telegram.requests.count == 4)

        // Secrets: never in the console, the nightly log, analysis.json, the catalog or any report
        // (the config names only the environment variables).
        for secret in [Self.routingKey, Self.botToken, "SECRETtoken"] {
            #expect(!output.contains(secret))
            let grep = PythonOracle.launch("/usr/bin/grep", ["-rl", "--binary-files=text", secret, dir.path], stdin: nil)
            #expect(grep.0 == 1, "\(secret) found in \(grep.1) \(grep.2)")
        }
    }

    private func nightly(_ dir: TemporaryDirectory, at now: Int64, environment: [String: String], output: inout String) throws
        -> NightlyRunner.Result
    {
        var options = NightlyOptions(config: try HomeBaseConfig.load(file: dir.file("homebase.json")), today: nil, now: { now })
        options.environment = environment
        options.alertPause = { _ in }
        options.jobs = 1
        let result = try NightlyRunner(options: options).run()
        for outcome in result.outcomes {
            output += "\(outcome.stage) \(outcome.status) \(outcome.summary) \(outcome.notes.joined(separator: "\n"))\n"
        }
        return result
    }
}
