import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Ingest
@testable import Analytics
@testable import Generate
@testable import TestSupport

/// The generator's planted cases are found, each for its planted agent and nothing else; the normal
/// fleet's output is unchanged by planting and gives only the runaway it plants itself; and every
/// recommendation's money matches an independent DuckDB/Python implementation of the definitions.
@Suite(.serialized) struct RecommendationGeneratedTests {
    static let options = GenerateFixture.options(days: 30, agents: 3, callsPerDay: 20, seed: 11)
    static var period: (from: String, to: String) {
        (UTCDate.dateString(days: options.endDay - Int64(options.days) + 1), UTCDate.dateString(days: options.endDay))
    }

    /// Generates (optionally planted) and ingests; returns the directory, manifest and data dir.
    func lake(planted: Bool) throws -> (TemporaryDirectory, GenerationManifest, String) {
        var options = Self.options
        options.plantSavings = planted
        let (dir, manifest) = try GenerateFixture.generate(options)
        let data = dir.path + "/data"
        let ingest = IngestOptions(
            dataDir: data, openclawDirs: [dir.path + "/openclaw"], gatewayDirs: [dir.path + "/gateway"],
            parallelism: 2, now: { 1_800_000_000_000_000 })
        _ = try Ingestor(options: ingest).run()
        return (dir, manifest, data)
    }

    @Test func plantedCasesFoundAndNothingElse() throws {
        let (plainDir, manifest, plainData) = try lake(planted: false)
        defer { plainDir.remove() }
        let (plantedDir, _, plantedData) = try lake(planted: true)
        defer { plantedDir.remove() }

        // Planting only adds files: everything of the plain run is there, byte for byte.
        let plainFiles = GenerateFixture.files(under: plainDir.path + "/openclaw").merging(
            GenerateFixture.files(under: plainDir.path + "/gateway").map { ("gateway/" + $0.key, $0.value) }
        ) { a, _ in a }
        let plantedFiles = GenerateFixture.files(under: plantedDir.path + "/openclaw").merging(
            GenerateFixture.files(under: plantedDir.path + "/gateway").map { ("gateway/" + $0.key, $0.value) }
        ) { a, _ in a }
        for (path, bytes) in plainFiles where plantedFiles[path] != bytes { Issue.record("planting changed \(path)") }
        #expect(plantedFiles.keys.filter { plainFiles[$0] == nil }.allSatisfy { $0.hasPrefix("agents/plant-") })
        #expect(FileManager.default.fileExists(atPath: plantedDir.path + "/planted-savings.json"))

        let (from, to) = Self.period
        let plain = try Recommender().run(dataDir: plainData, from: from, to: to)
        let planted = try Recommender().run(dataDir: plantedData, from: from, to: to)

        // The normal fleet: only the runaway session the generator plants on its anomaly day.
        #expect(plain.count == 1)
        #expect(plain.allSatisfy { $0.kind == .runawaySession && $0.agent == manifest.anomaly_agent })
        // Each planted agent: exactly its one kind.
        for (index, agent) in SavingsPlanter.agents.enumerated() {
            let mine = planted.filter { $0.agent == agent }
            #expect(mine.map(\.kind) == [Recommendation.Kind.allCases[index]], "\(agent): \(mine.map(\.title))")
        }
        #expect(planted.filter { !($0.agent ?? "").hasPrefix("plant-") } == plain)
        let runaway = try #require(planted.first { $0.agent == "plant-runaway" })
        #expect(runaway.evidence.sessions?.count == 1 && runaway.evidence.sessions?.first?.calls == 150)
        let cron = try #require(planted.first { $0.agent == "plant-cron" })
        #expect(cron.evidence.schedule == "06:30 UTC" && cron.evidence.runs == Self.options.days)
        let sizing = try #require(planted.first { $0.agent == "plant-right-sizing" })
        #expect(sizing.evidence.suggestedModel == "claude-haiku-4-5" && sizing.evidence.calls == 30 * Self.options.days)

        // The money, recomputed from the lake by DuckDB and Python.
        let oracle = try RecommendationOracle.run(dataDir: plantedData, from: from, to: to, days: Self.options.days)
        var ours: [String: [String: Double]] = [:]
        for r in planted { ours[r.kind.rawValue, default: [:]][RecommendationOracle.key(r)] = r.monthlySavingUSD }
        #expect(Set(oracle.keys).union(ours.keys) == Set(ours.keys), "oracle kinds \(oracle.keys.sorted())")
        for kind in Recommendation.Kind.allCases.map(\.rawValue) {
            let theirs = oracle[kind] ?? [:], mine = ours[kind] ?? [:]
            #expect(Set(theirs.keys) == Set(mine.keys), "\(kind): oracle \(theirs.keys.sorted()) vs ours \(mine.keys.sorted())")
            for (key, value) in mine {
                guard let expected = theirs[key] else { continue }
                #expect(abs(value - expected) <= 1e-9 * max(1, expected), "\(kind) \(key): \(value) vs oracle \(expected)")
            }
        }

        // `analyze` feeds the recommendations from its own single read of the lake: the same list,
        // to the last digit, as the rules reading the lake by themselves (checked above).
        var analysis = AnalysisOptions(dataDir: plantedData, generatedAt: 0)
        analysis.from = from
        analysis.to = to
        #expect(try Analyzer(options: analysis).run().recommendations == planted)
    }
}
