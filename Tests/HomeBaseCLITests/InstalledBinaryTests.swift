import Foundation
import Testing
@testable import SQLiteStore
@testable import Generate
@testable import TestSupport

/// The binary as cron runs it once installed: copied alone to another directory, started from `/`
/// with an absolute `--config`. It must find its report definitions and queries inside itself.
@Suite(.serialized) struct InstalledBinaryTests {
    static let built = PythonOracle.repositoryRoot.appendingPathComponent(".build/debug/homebase").path

    /// A generated fleet ending 2026-06-30 and a config with absolute paths only; 2026-07-01 is a
    /// Wednesday and the 1st, so with `weekly_on: wednesday` the daily, weekly and monthly reports are due.
    static func setUp(_ dir: TemporaryDirectory, extra: String = "") throws -> (binary: String, config: String) {
        let binary = dir.path + "/bin/homebase"
        try FileManager.default.createDirectory(atPath: dir.path + "/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: built, toPath: binary)
        _ = try OpenClawGenerator.generate(GenerateFixture.options(days: 21, agents: 3, callsPerDay: 12), outDir: dir.path + "/fleet")
        try FileManager.default.createDirectory(atPath: dir.path + "/etc", withIntermediateDirectories: true)
        let config = dir.path + "/etc/homebase.json"
        try """
        {"sources": {"openclaw": ["\(dir.path)/fleet/openclaw"], "gateway_logs": ["\(dir.path)/fleet/gateway"]},
         "data_dir": "\(dir.path)/data", "output_dir": "\(dir.path)/out", "timezone": "Europe/Berlin",
         "reports": {"weekly_on": "wednesday", "formats": ["html", "pdf", "csv", "xlsx", "eml"]},
         "email": {"from": "hb@example.com", "to": ["ops@example.com"]}\(extra)}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        return (binary, config)
    }

    static func run(_ binary: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// The title a shipped definition gives its report, read from the repository's file (not from the binary).
    static func shippedTitle(_ name: String) throws -> String {
        let data = try Data(contentsOf: PythonOracle.repositoryRoot.appendingPathComponent("reports/\(name).json"))
        return try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["title"] as? String)
    }

    @Test func nightlyFromRootWritesEveryReportInEveryFormat() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.built) else { Issue.record("build homebase first (swift build)"); return }
        let dir = TemporaryDirectory("homebase-installed")
        defer { dir.remove() }
        let (binary, config) = try Self.setUp(dir)
        let (status, output) = try Self.run(binary, ["nightly", "--config", config, "--today", "2026-07-01"])
        #expect(status == 0 || status == 3, "\(output)")
        #expect(!output.contains("reports  failed") && !output.contains("no report due"), "\(output)")
        let out = dir.path + "/out"
        let reports = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0 != "alerts" }.sorted()
        #expect(reports == ["daily-2026-06-30", "monthly-finance-2026-06", "weekly-2026-06-24_2026-06-30"], "\(reports)")
        for (report, name) in zip(reports, ["daily", "monthly-finance", "weekly"]) {
            let files = try FileManager.default.contentsOfDirectory(atPath: out + "/" + report).sorted()
            let expected = ["report-csv", "report.html", "report.pdf", "report.xlsx"] + (name == "weekly" ? ["report.eml"] : [])
            #expect(Set(files).isSuperset(of: expected), "\(report): \(files)")
            let csv = try FileManager.default.contentsOfDirectory(atPath: out + "/" + report + "/report-csv")
            #expect(!csv.isEmpty && csv.allSatisfy { $0.hasSuffix(".csv") })
            let html = try String(contentsOfFile: out + "/" + report + "/report.html", encoding: .utf8)
            #expect(html.contains(try Self.shippedTitle(name)), "\(report) is not titled by the shipped definition")
            // The PDF is valid for qpdf (an independent reader), when it is installed.
            if FileManager.default.isExecutableFile(atPath: "/usr/bin/qpdf") {
                let (qpdf, text) = try Self.run("/usr/bin/qpdf", ["--check", out + "/" + report + "/report.pdf"])
                #expect(qpdf == 0, "\(text)")
            }
        }
        // The built-in queries are reachable from `/` too.
        let (listStatus, list) = try Self.run(binary, ["query", "--list"])
        #expect(listStatus == 0 && list.contains("cost_by_day_model"), "\(list)")
    }

    /// A user's definition beside the config wins by name; a broken one fails the stage with the
    /// file and the reason, and the nightly exits 1.
    @Test func userDefinitionsOverrideAndBrokenOnesFailSayingWhy() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.built) else { Issue.record("build homebase first (swift build)"); return }
        let dir = TemporaryDirectory("homebase-installed-override")
        defer { dir.remove() }
        let (binary, config) = try Self.setUp(dir)
        try FileManager.default.createDirectory(atPath: dir.path + "/etc/reports", withIntermediateDirectories: true)
        try #"{"title": "Ops daily, our own", "period": "daily", "sections": [{"title": "Spend", "show": "headline"}]}"#
            .write(toFile: dir.path + "/etc/reports/daily.json", atomically: true, encoding: .utf8)
        try #"{"title": "Broken", "sections": [{"title": "X", "show": "no_such_block"}]}"#
            .write(toFile: dir.path + "/etc/reports/weekly.json", atomically: true, encoding: .utf8)
        let (status, output) = try Self.run(binary, ["nightly", "--config", config, "--today", "2026-07-01"])
        #expect(status == 1, "\(output)")
        #expect(output.contains("reports  failed") && output.contains("1 of 3 due reports failed"), "\(output)")
        #expect(output.contains(dir.path + "/etc/reports/weekly.json") && output.contains("unknown block 'no_such_block'"), "\(output)")
        let html = try String(contentsOfFile: dir.path + "/out/daily-2026-06-30/report.html", encoding: .utf8)
        #expect(html.contains("Ops daily, our own"))
        #expect(FileManager.default.fileExists(atPath: dir.path + "/out/monthly-finance-2026-06/report.pdf"))
    }

    /// Alert delivery through the network helper: found beside the installed binary (as `make
    /// install` puts it), and without it a failure that says what to install, not a silent loss.
    @Test func alertsGoThroughTheHelperBesideTheBinary() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.built) else { Issue.record("build homebase first (swift build)"); return }
        let helper = (Self.built as NSString).deletingLastPathComponent + "/homebase-net"
        let server = try RecordingServer([(200, "{}", [:])])
        for besides in [true, false] {
            let dir = TemporaryDirectory("homebase-installed-alerts")
            defer { dir.remove() }
            let hook = #", "budgets": {"monthly_usd": 0.01}, "alerts": {"webhooks": [{"url": "\#(server.url)/hook\#(besides)", "retries": 0}]}"#
            let (binary, config) = try Self.setUp(dir, extra: hook)
            if besides { try FileManager.default.copyItem(atPath: helper, toPath: dir.path + "/bin/homebase-net") }
            let (_, output) = try Self.run(binary, ["nightly", "--config", config, "--today", "2026-07-01"])
            let delivered = server.requests.filter { $0.path == "/hook\(besides)" }
            if besides {
                #expect(!delivered.isEmpty && delivered.allSatisfy { $0.json != nil }, "\(output)")
            } else {
                #expect(delivered.isEmpty)
                #expect(output.contains("homebase-net") && output.contains("make install"), "\(output)")
            }
        }
    }
}
