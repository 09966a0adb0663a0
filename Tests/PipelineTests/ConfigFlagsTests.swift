import Foundation
import Testing
@testable import HomeBaseCore
@testable import Config
@testable import Ingest
@testable import Analytics
@testable import Pipeline
@testable import HomeBaseCLI
@testable import TestSupport

/// One options layer: every command finds the same config (--config, else $HOMEBASE_CONFIG, else
/// ./homebase.json) and maps it to the same analysis and ingest settings as the nightly.
@Suite struct ConfigFlagsTests {
    static let spec = OptionSpec(valued: ["config", "data"])

    /// A config whose every analysis-relevant key differs from the defaults.
    func writeConfig(_ dir: TemporaryDirectory) throws -> String {
        let path = dir.path + "/hb.json"
        try """
        {"data_dir": "lake", "timezone": "Asia/Kathmandu",
         "budgets": {"monthly_usd": 120, "agents": {"a1": 30}},
         "alerts": {"reconciliation_gap_percent": 5, "anomaly_score": 4.5},
         "model_aliases": {"house-model": "gpt-4o"}}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func environmentConfigIsFoundWithoutTheFlag() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = try writeConfig(dir)
        let none = try ArgumentScanner.scan([], spec: Self.spec)
        let found = try #require(try ConfigFlags.find(none, environment: ["HOMEBASE_CONFIG": path]))
        // data_dir is resolved against the config file's directory.
        #expect(found.dataDir == dir.path + "/lake")
        #expect(try ConfigFlags.dataDir(none, environment: ["HOMEBASE_CONFIG": path]) == dir.path + "/lake")
        // --data wins over the config; --config wins over the environment.
        let flagged = try ArgumentScanner.scan(["--data", "/x"], spec: Self.spec)
        #expect(try ConfigFlags.dataDir(flagged, environment: ["HOMEBASE_CONFIG": path]) == "/x")
        let other = try ArgumentScanner.scan(["--config", dir.path + "/missing.json"], spec: Self.spec)
        #expect(throws: (any Error).self) { try ConfigFlags.find(other, environment: ["HOMEBASE_CONFIG": path]) }
    }

    @Test func analysisAndIngestTakeEveryConfigKeyTheNightlyTakes() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let config = try HomeBaseConfig.load(file: try writeConfig(dir))
        let analysis = AnalysisOptions(config: config, generatedAt: 7)
        #expect(analysis.dataDir == dir.path + "/lake")
        #expect(analysis.timeZone == "Asia/Kathmandu")
        #expect(analysis.budgetUSD == 120 && analysis.agentBudgetsUSD == ["a1": 30])
        #expect(analysis.anomalyThreshold == 4.5)
        // The key `analyze --config` used to ignore: 5 % → 0.05.
        #expect(analysis.reconcileTolerance == 0.05)
        let ingest = IngestOptions(config: config, openclawDirs: ["/s"], parallelism: 1, now: { 0 })
        #expect(ingest.modelAliases == ["house-model": "gpt-4o"])
        #expect(ingest.gatewayDirs == ["/tmp/openclaw"])
    }

    @Test func analyzeReadsTheConfigTheEnvironmentNames() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = try writeConfig(dir)
        let parsed = try ArgumentScanner.scan(["--config", path, "--tz", "UTC"], spec: AnalyzeCommand.spec)
        let options = try AnalyzeCommand.options(parsed, generatedAt: 0)
        #expect(options.reconcileTolerance == 0.05)
        #expect(options.timeZone == "UTC")  // the flag wins
        #expect(options.dataDir == dir.path + "/lake")
    }
}
