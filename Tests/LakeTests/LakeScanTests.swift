import Foundation
import Testing
@testable import Lake
@testable import TestSupport

/// LakeScan sees exactly one snapshot: the hand-written session has 5 calls on 2026-02-09, and
/// finishing the torn line adds a sixth on 2026-02-10 in a later snapshot.
@Suite(.serialized) struct LakeScanTests {
    @Test func readsOneSnapshotAndDateRange() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        try fixture.write(Lines.session + Lines.tornStart)
        let first = try #require(try fixture.ingest().snapshot)
        try fixture.append(Lines.tornEnd)
        _ = try fixture.ingest()

        let latest = try LakeScan(dataDir: fixture.dataDir, table: .requests)
        let all = try latest.readAll(columns: ["entry_id", "cost_usd"])
        #expect(all.dates.sorted() == Array(repeating: "2026-02-09", count: 5) + ["2026-02-10"])
        guard case .byteArray(let ids) = all.columns[0].values else { Issue.record("entry_id is not strings"); return }
        #expect(Set((0..<ids.count).map(ids.string)) == ["a1", "a2", "a3", "pe1", "a5", "a9"])

        let old = try LakeScan(dataDir: fixture.dataDir, table: .requests, asOf: first)
        #expect(try old.readAll(columns: ["entry_id"]).dates.count == 5)
        let dayTwo = try LakeScan(dataDir: fixture.dataDir, table: .requests, from: "2026-02-10", to: "2026-02-10")
        guard case .double(let cost) = try dayTwo.readAll(columns: ["cost_usd"]).columns[0].values else { Issue.record("cost"); return }
        #expect(cost == [0.00012])

        let empty = try LakeScan(dataDir: fixture.dir.path + "/nothing", table: .requests)
        #expect(empty.snapshot == nil && empty.parts.isEmpty)
        #expect(try empty.readAll(columns: ["cost_usd"]).columns[0].count == 0)
    }
}
