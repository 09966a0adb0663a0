import Testing
@testable import SQLiteStore
@testable import Pipeline
@testable import HomeBaseCLI

@Suite struct ArgumentScannerTests {
    let spec = OptionSpec(valued: ["data", "limit"], switches: ["quiet"], repeatable: ["openclaw"], maxPositionals: 1)

    @Test func bothValueSpellings() throws {
        let parsed = try ArgumentScanner.scan(["--data", "d1", "--limit=5", "--openclaw", "a", "--openclaw=b", "--quiet", "file"], spec: spec)
        #expect(parsed.value("data") == "d1")
        #expect(try parsed.int("limit") == 5)
        #expect(parsed.all("openclaw") == ["a", "b"])
        #expect(parsed.has("quiet"))
        #expect(parsed.positionals == ["file"])
    }

    @Test func valueMayContainEquals() throws {
        let parsed = try ArgumentScanner.scan(["--data=a=b"], spec: spec)
        #expect(parsed.value("data") == "a=b")
    }

    @Test(arguments: [
        (["--nope"], "unknown option --nope (see --help)"),
        (["--data"], "--data needs a value"),
        (["--data", "--quiet"], "--data needs a value"),
        (["--quiet=1"], "--quiet takes no value"),
        (["--data", "a", "--data", "b"], "--data given more than once"),
        (["x", "y"], "unexpected argument 'y' (see --help)"),
        (["--limit", "ten"], "--limit expects an integer, got 'ten'")
    ])
    func rejects(arguments: [String], message: String) {
        #expect(throws: UsageError(message)) {
            let parsed = try ArgumentScanner.scan(arguments, spec: spec)
            _ = try parsed.int("limit")
        }
    }

    @Test func doubleDashEndsOptions() throws {
        let parsed = try ArgumentScanner.scan(["--", "--data"], spec: spec)
        #expect(parsed.positionals == ["--data"])
    }

    @Test func toolExitCodes() {
        let console = Console.capturing()
        #expect(CommandLineTool.run(["--version"], console: console) == .success)
        #expect(console.capturedOut.hasPrefix("homebase "))
        #expect(CommandLineTool.run(["bogus"], console: console) == .usage)
        #expect(CommandLineTool.run([], console: console) == .usage)
        #expect(CommandLineTool.run(["parquet", "--bogus"], console: console) == .usage)
        #expect(console.capturedErr.contains("unknown option --bogus"))
    }
}
