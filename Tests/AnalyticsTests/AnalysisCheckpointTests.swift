import Foundation
import Testing
@testable import HomeBaseCore
@testable import Analytics
@testable import Generate
@testable import Ingest
@testable import TestSupport

/// An analysis that starts from the previous run's saved state writes the same analysis.json,
/// byte for byte, as one that reads every part; and a state that no longer matches the lake, the
/// zone or the file's own checksum is not used.
@Suite(.serialized) struct AnalysisCheckpointTests {
    /// A lake of 100 days (the first ~40 settle) in a Berlin zone, ingested from its own fleet.
    struct Fixture {
        let dir = TemporaryDirectory("homebase-checkpoint")
        var fleets: [String] = []
        var data: String { dir.path + "/data" }
        var statePath: String { data + "/cache/analysis-state.bin" }

        /// With the generator's planted savings, so every recommendation's sums are carried too.
        init() throws { try add(days: 100, endDay: GenerateFixture.endDay, seed: 11, planted: true) }

        /// Generates another fleet (its own sessions) and ingests everything.
        mutating func add(days: Int, endDay: Int64, seed: UInt64, planted: Bool = false) throws {
            var options = GenerateFixture.options(days: days, agents: 3, callsPerDay: 20, seed: seed)
            options.endDay = endDay
            options.plantSavings = planted
            let fleet = dir.path + "/fleet-\(fleets.count)"
            _ = try OpenClawGenerator.generate(options, outDir: fleet)
            fleets.append(fleet)
            _ = try Ingestor(
                options: IngestOptions(dataDir: data, openclawDirs: fleets.map { $0 + "/openclaw" }, gatewayDirs: [], now: { 1_800_000_000_000_000 })
            )
            .run()
        }

        /// A nightly's analysis acting on `today` (the range ends the day before).
        func analyze(today: Int64, zone: String = "Europe/Berlin", resume: Bool = true) throws -> (json: Data, resumed: Int, parts: Int) {
            var options = AnalysisOptions(dataDir: data, generatedAt: 1_800_000_000_000_000)
            options.timeZone = zone
            options.to = UTCDate.dateString(days: today - 1)
            options.now = today * 86_400_000_000 - 2 * 3_600_000_000  // local midnight in summer
            options.resumeFromSavedState = resume
            let (analysis, resumed, parts) = try Analyzer(options: options).runCounting()
            return (try AnalysisJSON.encode(analysis), resumed, parts)
        }
    }

    @Test func aResumedRunWritesWhatAFullReadWrites() throws {
        var lake = try Fixture()
        defer { lake.dir.remove() }
        let today = GenerateFixture.endDay + 1
        let first = try lake.analyze(today: today)
        #expect(first.resumed == 0)
        let saved = try #require(FileManager.default.contents(atPath: lake.statePath))
        // The same day again: every settled part comes from the state, nothing is saved anew.
        let again = try lake.analyze(today: today)
        #expect(again.resumed > 30 && again.resumed < again.parts)
        #expect(again.json == first.json)
        #expect(FileManager.default.contents(atPath: lake.statePath) == saved)

        // A new day arrives: one more day settles, read from the lake (the state is saved again
        // once it is a week behind).
        try lake.add(days: 1, endDay: today, seed: 12)
        let next = try lake.analyze(today: today + 1)
        #expect(next.resumed == again.resumed)
        #expect(next.json == (try lake.analyze(today: today + 1, resume: false)).json)
        #expect(FileManager.default.contents(atPath: lake.statePath) == saved)
        // A week later: the run starts from the old state and saves a newer one, which the next
        // run starts from.
        try lake.add(days: 7, endDay: today + 7, seed: 14)
        let week = try lake.analyze(today: today + 8)
        let full = try lake.analyze(today: today + 8, resume: false)
        #expect(week.resumed == again.resumed)
        #expect(week.json == full.json)
        #expect(FileManager.default.contents(atPath: lake.statePath) != saved)
        let later = try lake.analyze(today: today + 8)
        #expect(later.resumed >= again.resumed + 7)
        #expect(later.json == full.json)
    }

    @Test func aLateCallInASettledDayOrAnotherZoneReadsTheLake() throws {
        var lake = try Fixture()
        defer { lake.dir.remove() }
        let today = GenerateFixture.endDay + 1
        _ = try lake.analyze(today: today)
        // Calls of a day long settled arrive late: its partition gets a part, the saved prefix no
        // longer leads the lake.
        try lake.add(days: 1, endDay: GenerateFixture.endDay - 80, seed: 13)
        let late = try lake.analyze(today: today)
        #expect(late.resumed == 0)
        #expect(late.json == (try lake.analyze(today: today, resume: false)).json)
        // Another zone buckets the same calls into other days.
        let utc = try lake.analyze(today: today, zone: "UTC")
        #expect(utc.resumed == 0)
        #expect(utc.json == (try lake.analyze(today: today, zone: "UTC", resume: false)).json)
    }

    @Test func aDamagedStateIsReadAgainFromTheLake() throws {
        let lake = try Fixture()
        defer { lake.dir.remove() }
        let today = GenerateFixture.endDay + 1
        let first = try lake.analyze(today: today)
        var bytes = try #require(FileManager.default.contents(atPath: lake.statePath))
        for cut in [bytes.count / 2, 12] {  // one flipped byte in the sums, one in the key
            bytes[cut] ^= 0x5A
            try bytes.write(to: URL(fileURLWithPath: lake.statePath))
            let damaged = try lake.analyze(today: today)
            #expect(damaged.resumed == 0)
            #expect(damaged.json == first.json)
            bytes[cut] ^= 0x5A
        }
        try Data(bytes.prefix(bytes.count - 100)).write(to: URL(fileURLWithPath: lake.statePath))
        let cut = try lake.analyze(today: today)
        #expect(cut.resumed == 0 && cut.json == first.json)
        // The run that read the lake saved a good state again.
        #expect(try lake.analyze(today: today).resumed > 0)
    }
}
