import Foundation
import Testing
@testable import SQLiteStore
@testable import Analytics
@testable import Pipeline
@testable import HomeBaseCLI
@testable import TestSupport

/// `homebase recommend` on a hand-built lake: agent main's five sessions of 4 calls × $0.125 and one
/// of 100 calls × $0.0625 (median session $0.5, excess 6.25 − 0.5 = $5.75), dated 2026-03-01..06.
@Suite struct RecommendationCommandTests {
    func lake() throws -> RecommendationLake {
        let lake = RecommendationLake()
        var rows: [RecommendationLake.Row] = []
        for (day, calls, each) in [(1, 4, 0.125), (2, 4, 0.125), (3, 4, 0.125), (4, 4, 0.125), (5, 4, 0.125), (6, 100, 0.0625)] {
            for i in 0..<calls {
                rows.append(
                    .init(ts: RecommendationLake.micros("2026-03-0\(day)", Double(i * 30)), session: "s\(day)", input: 500, output: 200, cost: each))
            }
        }
        try lake.write(rows)
        return lake
    }

    func run(_ arguments: [String]) -> (ExitCode, String, String) {
        let console = Console.capturing()
        let code = CommandLineTool.run(["recommend"] + arguments, console: console)
        return (code, console.capturedOut, console.capturedErr)
    }

    @Test func textJSONAndDefaultPeriod() throws {
        let lake = try lake()
        defer { lake.remove() }
        // 10-day period: × 3 → $17.25.
        let (code, out, _) = run(["--data", lake.dataDir, "--from", "2026-03-01", "--to", "2026-03-10"])
        #expect(code == .success)
        #expect(out.contains("2026-03-01…2026-03-10 (10 days)"))
        #expect(out.contains(" 1. $17.25/month (upper bound)  Cap or compact agent main's runaway sessions"))
        #expect(out.contains("runaway_session: 100 calls, $6.25 → $0.50 in the period"))

        // No period given: the lake's dates, 2026-03-01..06 (6 days, × 5) → $28.75.
        let (jsonCode, json, _) = run(["--data", lake.dataDir, "--format", "json"])
        #expect(jsonCode == .success)
        let decoded = try JSONDecoder().decode([Recommendation].self, from: Data(json.utf8))
        #expect(decoded.count == 1 && abs((decoded.first?.monthlySavingUSD ?? 0) - 28.75) < 1e-9)
        #expect(decoded.first?.evidence.periodFrom == "2026-03-01" && decoded.first?.evidence.periodTo == "2026-03-06")

        let (floorCode, floorOut, _) = run(["--data", lake.dataDir, "--min-saving", "30"])
        #expect(floorCode == .success && floorOut.contains("none above the floor"))
    }

    @Test func usageErrorsAndEmptyLake() throws {
        let lake = try lake()
        defer { lake.remove() }
        for bad in [["--from", "2026-3-1"], ["--from", "2026-03-10", "--to", "2026-03-01"], ["--format", "xml"], ["--min-saving", "-1"], ["--bogus"]]
        {
            let (code, _, err) = run(["--data", lake.dataDir] + bad)
            #expect(code == .usage, "\(bad)")
            #expect(err.hasPrefix("homebase recommend: "), "\(bad): \(err)")
        }
        let (code, out, _) = run(["--data", lake.dir.path + "/nothing"])
        #expect(code == .success && out.contains("no calls"))
    }
}
