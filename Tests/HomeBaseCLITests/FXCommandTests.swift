import Foundation
import Testing
@testable import HomeBaseCore
@testable import Pipeline
@testable import HomeBaseCLI
@testable import TestSupport

/// `homebase fx import` and `fx list` on files written by hand: exit codes, messages naming file
/// and line, what the catalog holds afterwards.
@Suite struct FXCommandTests {
    static func run(_ arguments: [String]) -> (ExitCode, String, String) {
        let console = Console.capturing()
        let code = CommandLineTool.run(arguments, console: console)
        return (code, console.capturedOut, console.capturedErr)
    }

    @Test func importCountsBadLinesAndListShowsTheRange() throws {
        let dir = TemporaryDirectory("fx-command")
        defer { dir.remove() }
        let data = dir.path + "/data"
        let file = dir.file("rates.csv")
        try "date,currency,rate_to_usd\n2026-06-01,EUR,1.08\n2026-06-02,EUR,x\n2026-06-03,EUR,1.09\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        let (code, out, err) = Self.run(["fx", "import", file, "--data", data])
        #expect(code == .warnings, "\(out)\(err)")
        #expect(err.contains("\(file):3: rate_to_usd 'x' is not a positive decimal"))
        #expect(out.contains("imported 2 rates (2 new, 0 replaced) for 1 currencies") && out.hasSuffix("1 bad lines\n"))

        // The ECB file of the same days: EUR replaced by its USD column, JPY added (1.1 / 160 = 0.006875).
        let ecb = dir.file("eurofxref.csv")
        try "Date,USD,JPY,\n2026-06-03,1.1000,160.00,\n".write(toFile: ecb, atomically: true, encoding: .utf8)
        let (code2, out2, _) = Self.run(["fx", "import", ecb, "--data", data])
        #expect(code2 == .success && out2.contains("imported 2 rates (1 new, 1 replaced) for 2 currencies"), "\(out2)")

        let (code3, list, _) = Self.run(["fx", "list", "--data", data])
        #expect(code3 == .success)
        #expect(list == "EUR\t2 days\t2026-06-01 … 2026-06-03\tlast 1.1 USD\nJPY\t1 days\t2026-06-03 … 2026-06-03\tlast 0.006875 USD\n")
    }

    @Test func aFileThatIsNoRateTableIsAUsageError() throws {
        let dir = TemporaryDirectory("fx-command-bad")
        defer { dir.remove() }
        let file = dir.file("x.csv")
        try "a,b\n1,2\n".write(toFile: file, atomically: true, encoding: .utf8)
        let (code, _, err) = Self.run(["fx", "import", file, "--data", dir.path + "/data"])
        #expect(code == .usage && err.contains("\(file):1: header 'a,b' is neither"), "\(err)")
        #expect(Self.run(["fx", "import", dir.path + "/missing.csv", "--data", dir.path + "/data"]).0 == .usage)
        #expect(Self.run(["fx", "frobnicate"]).0 == .usage)
    }
}
