import Foundation
import Testing
@testable import SQLiteStore
@testable import Render
@testable import Pipeline
@testable import HomeBaseCLI
@testable import TestSupport

/// `MailDelivery.sendmail` and `homebase report --send` against fake sendmail scripts that store their stdin.
@Suite struct ReportMailDeliveryTests {

    @Test func pipesTheMessageAndReportsFailures() throws {
        let dir = TemporaryDirectory("report-sendmail")
        defer { dir.remove() }
        let fake = try MailScript.script(dir, "printf '%s\\n' \"$@\" > \"$(dirname \"$0\")/args\"; cat > \"$(dirname \"$0\")/stdin\"")
        let message = Array("From: a@b\r\nTo: c@d\r\nSubject: x\r\n\r\n".utf8) + (0..<200_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
        try MailDelivery.sendmail(command: fake + " -t -oi", message: message)
        #expect(FileManager.default.contents(atPath: dir.file("stdin")).map(Array.init) == message)
        #expect(try String(contentsOfFile: dir.file("args"), encoding: .utf8) == "-t\n-oi\n")

        let failing = try MailScript.script(dir, "cat > /dev/null; echo 'relay refused' >&2; exit 75")
        #expect { try MailDelivery.sendmail(command: failing + " -t", message: message) } throws: { error in
            let text = (error as? RenderError)?.message ?? ""
            return text.contains(failing + " -t") && text.contains("exit status 75") && text.contains("relay refused")
        }
        #expect { try MailDelivery.sendmail(command: dir.file("missing") + " -t", message: message) } throws: { error in
            ((error as? RenderError)?.message ?? "").contains("cannot start '\(dir.file("missing")) -t'")
        }
    }

    /// The command line: `--send` with a config naming the fake sendmail; it receives exactly report.eml.
    @Test func reportCommandSendsTheWrittenEmail() throws {
        let dir = TemporaryDirectory("report-send-cli")
        defer { dir.remove() }
        let fixture = try ReconcileFixture.lake()
        defer { fixture.remove() }
        let fake = try MailScript.script(dir, "cat > \"$(dirname \"$0\")/stdin\"")
        let config = dir.file("config.json")
        try """
        {"data_dir": "\(fixture.dataDir)", "output_dir": "\(dir.file("out"))",
         "email": {"from": "hb@example.org", "to": ["ops@example.org"], "sendmail": "\(fake) -t"}}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let console = Console.capturing()
        let code = try ReportCommand(clock: { 1_800_000_000_000_000 }).run(
            [
                "--config", config, "--from", "2026-03-01", "--to", "2026-03-09", "--formats", "csv", "--send",
                "--definition", PythonOracle.repositoryRoot.path + "/reports/weekly.json"
            ], console: console)
        #expect(code == .success, "\(console.capturedErr)")
        // An on-demand range of the weekly definition is a custom report, not a "weekly" one.
        let eml = dir.file("out") + "/custom-2026-03-01_2026-03-09/report.eml"
        #expect(console.capturedOut.contains("2026-03-01 to 2026-03-09 (custom; days in UTC)"), "\(console.capturedOut)")
        #expect(FileManager.default.contents(atPath: dir.file("stdin")) == FileManager.default.contents(atPath: eml))
        #expect(console.capturedOut.contains("sent " + eml))
        // Usage errors: --send without a sendmail command, a bad period.
        #expect(throws: UsageError.self) { try ReportCommand().run(["--send", "--data", fixture.dataDir], console: console) }
        #expect(throws: UsageError.self) { try ReportCommand().run(["--period", "hourly"], console: console) }
    }
}
