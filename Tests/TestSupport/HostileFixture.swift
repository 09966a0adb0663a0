import Foundation
@testable import SQLiteStore
@testable import Pipeline
@testable import HomeBaseCLI

/// One case of `Fixtures/hostile/` (copied from the fuzzing run's hostile-inputs, see its
/// README) copied into a scratch directory, with the real commands run over it in-process.
struct HostileFixture {
    static let root = PythonOracle.repositoryRoot.path + "/Tests/TestSupport/Fixtures/hostile"

    let dir = TemporaryDirectory("homebase-hostile")
    let name: String
    var caseDir: String { dir.path + "/" + name }
    var dataDir: String { dir.path + "/data" }

    init(_ name: String) throws {
        self.name = name
        try FileManager.default.copyItem(atPath: Self.root + "/" + name, toPath: caseDir)
        try FileManager.default.createDirectory(atPath: dir.path + "/gateway", withIntermediateDirectories: true)
    }

    /// `homebase ingest` over the case's `state/` (and `inv/` when present): exit code, stdout, stderr.
    func ingest() -> (code: ExitCode, out: String, err: String) {
        var arguments = ["--openclaw", caseDir + "/state", "--gateway-logs", dir.path + "/gateway", "--data", dataDir, "--jobs", "1"]
        if FileManager.default.fileExists(atPath: caseDir + "/inv") { arguments += ["--invoices", caseDir + "/inv"] }
        if !FileManager.default.fileExists(atPath: caseDir + "/state") { arguments[1] = dir.path + "/gateway" }
        return Self.run(IngestCommand(), arguments)
    }

    /// `homebase query --format csv` over the lake: the data rows (header dropped), each split on commas.
    func query(_ sql: String) -> (code: ExitCode, rows: [String], err: String) {
        let result = Self.run(QueryCommand(), ["--data", dataDir, "--format", "csv", sql])
        return (result.code, result.out.split(separator: "\n").dropFirst().map(String.init), result.err)
    }

    static func run(_ command: some Command, _ arguments: [String]) -> (code: ExitCode, out: String, err: String) {
        let console = Console.capturing()
        do {
            let code = try command.run(arguments, console: console)
            return (code, console.capturedOut, console.capturedErr)
        } catch {
            return (error is UsageError ? .usage : .failure, console.capturedOut, console.capturedErr + "\(error)")
        }
    }

    func remove() { dir.remove() }
}
