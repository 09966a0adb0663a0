import Foundation
import Testing
@testable import HomeBaseCore
@testable import Lake
@testable import Ingest
@testable import Generate
@testable import TestSupport

/// A first ingest of months of history: sessions are read oldest change first, so the rows of a
/// day arrive together and the writer, with room for a few days only, writes each day as one
/// part instead of holding every day at once or writing many parts to compact later.
@Suite struct OldestFirstIngestTests {
    /// Live `requests` parts per date after ingesting `out` with a small buffer.
    static func partsPerDay(_ out: String, data: String) throws -> (parts: [String: Int], summary: IngestSummary) {
        var options = IngestOptions(
            dataDir: data, openclawDirs: [out + "/openclaw"], gatewayDirs: [out + "/gateway"], parallelism: 2,
            now: { 1_800_000_000_000_000 })
        options.bufferBytes = 384 << 10
        let summary = try Ingestor(options: options).run()
        let parts = try Catalog(dataDir: data).liveParts(table: LakeTable.requests.name)
        return (Dictionary(grouping: parts, by: \.date).mapValues(\.count), summary)
    }

    @Test func sessionsOldestFirstWriteADayAsOnePart() throws {
        let options = GeneratorOptions(days: 45, agents: 4, callsPerDay: 40, seed: 11, endDay: 20_634, targetMB: nil)
        let dir = TemporaryDirectory("homebase-oldest-first")
        defer { dir.remove() }
        let out = dir.path + "/gen"
        let manifest = try OpenClawGenerator.generate(options, outDir: out)

        // The generator leaves each session file modified at its last event, as OpenClaw does
        // (a session rewritten later, up to 6 days after it began, was last modified then).
        let sessions = out + "/openclaw/agents/" + (manifest.calls_by_agent.keys.sorted().first ?? "") + "/sessions"
        let names = try FileManager.default.contentsOfDirectory(atPath: sessions).filter {
            $0.hasSuffix(".jsonl") && !$0.hasSuffix(".trajectory.jsonl")
        }
        let first = (UTCDate.days(year: 2026, month: 6, day: 30) - 44) * 86_400
        for name in names.prefix(20) {
            let modified = try #require(FileManager.default.attributesOfItem(atPath: sessions + "/" + name)[.modificationDate] as? Date)
            #expect(
                modified.timeIntervalSince1970 >= Double(first) && modified.timeIntervalSince1970 < Double(first + 52 * 86_400), "\(name) \(modified)"
            )
        }

        let oldestFirst = try Self.partsPerDay(out, data: dir.path + "/a")
        #expect(oldestFirst.summary.calls == manifest.calls)
        #expect(oldestFirst.summary.partsCompacted == 0)
        let split = oldestFirst.parts.values.filter { $0 > 2 }.count
        #expect(split == 0, "days written in more than two parts: \(oldestFirst.parts.filter { $0.value > 2 })")

        // The same files all modified at one instant are read in path order (random session ids):
        // every day is spread over the whole run, and the same buffer writes many parts a day.
        for agent in manifest.calls_by_agent.keys {
            let folder = out + "/openclaw/agents/" + agent + "/sessions"
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
                try FileOutput.setModified(folder + "/" + name, milliseconds: 1_780_000_000_000)
            }
        }
        let pathOrder = try Self.partsPerDay(out, data: dir.path + "/b")
        #expect(pathOrder.summary.calls == manifest.calls)
        let total = { (parts: [String: Int]) in parts.values.reduce(0, +) }
        #expect(total(pathOrder.parts) + pathOrder.summary.partsCompacted > 2 * total(oldestFirst.parts))
    }
}
