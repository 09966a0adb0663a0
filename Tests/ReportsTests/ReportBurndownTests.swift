import Foundation
import Testing
@testable import SQLiteStore
@testable import Lake
@testable import TestSupport

/// The monthly finance report's budget burn-down (nightly of `make run`'s samples on 2026-07-01): the
/// cumulative spend rises day by day to DuckDB's June total, and the projection starts where it ends.
@Suite struct ReportBurndownTests {
    @Test func burnDownEndsAtDuckDBsJuneSpend() throws {
        let dir = TemporaryDirectory("report-burndown")
        defer { dir.remove() }
        let run = try SampleNightly.run(dir)
        #expect(run.code == .warnings || run.code == .success, "\(run.text)")
        let scan = try LakeScan(dataDir: run.data, table: .requests)
        let files = String(decoding: try JSONSerialization.data(withJSONObject: scan.parts.map { scan.path(of: $0) }), as: UTF8.self)
        let out = try PythonOracle.run(SampleNightly.readBack, [run.out, run.data, files])
        let r = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let csv = try #require(r["csv"] as? [String: [[String]]])
        let rows = try #require(csv["monthly-finance-2026-06/budget-burn-down"], "\(csv.keys.sorted())")
        #expect(rows.first == ["Day", "Spent so far", "Projected"])
        let body = Array(rows.dropFirst())
        #expect(body.count == 30 && body.first?.first == "2026-06-01" && body.last?.first == "2026-06-30")
        let spent = body.compactMap { Double($0[1]) }
        #expect(spent.count == 30 && zip(spent, spent.dropFirst()).allSatisfy { $0 <= $1 + 1e-9 }, "cumulative spend never falls")
        let june = try #require((r["june"] as? NSNumber)?.doubleValue)
        #expect(abs((spent.last ?? -1) - june) < 1e-5, "burn-down ends at \(spent.last ?? -1), DuckDB says \(june)")
        #expect(Double(body.last?[2] ?? "") == spent.last, "the projection starts at the last day's spend")
        // This month beside next: June's actual is DuckDB's June spend; July is a projection.
        let months = try #require(csv["monthly-finance-2026-06/this-month-and-next"], "\(csv.keys.sorted())")
        #expect(
            months.count == 3 && months[1][0] == "2026-06" && months[1][2] == "actual" && months[2][0] == "2026-07" && months[2][2] == "projected")
        #expect(abs((Double(months[1][1]) ?? -1) - june) < 1e-5)
        #expect((Double(months[2][1]) ?? 0) > 0)
    }
}
