import Foundation
import Testing
@testable import Lake
@testable import TestSupport

/// Recovery at the start of a run: staged parts are rolled forward only when the catalog lists
/// them as live, orphans under `tables/` go, and nothing in `_delta_log/` is ever touched.
@Suite struct LakeRecoveryTests {
    @Test func stagingRollsForwardOnlyCommittedPartsAndDeltaLogsAreLeftAlone() throws {
        let dir = TemporaryDirectory("homebase-lake-recovery")
        defer { dir.remove() }
        let data = dir.path
        let catalog = try Catalog(dataDir: data)
        let run = try catalog.beginRun(command: "test", startedMicros: 1)
        let snapshot = try catalog.newSnapshot(runID: run, committedMicros: 1, note: "test")
        let committed = "tables/requests/date=2026-01-01/part-\(snapshot)-1.parquet"
        try catalog.addPart(PartRecord(table: "requests", date: "2026-01-01", path: committed, rowCount: 1, byteSize: 4), snapshot: snapshot)
        func make(_ relative: String) throws {
            let path = data + "/" + relative
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: path, contents: Data("PAR1".utf8)))
        }
        let staging = "staging/\(snapshot)/"
        try make(staging + committed)  // committed, never moved: rolled forward
        try make(staging + "tables/requests/date=2026-01-01/part-\(snapshot)-2.parquet")  // not in the catalog: deleted
        try make("tables/requests/date=2026-01-02/part-7-1.parquet")  // an orphan under tables/: deleted
        let kept = ["tables/requests/_delta_log/00000000000000000000.json", "tables/requests/_delta_log/odd.parquet.tmp"]
        for file in kept { try make(file) }
        var report = LakeRecovery.Report()
        try LakeRecovery.rollStaging(dataDir: data, catalog: catalog, report: &report)
        let orphans = try LakeRecovery.sweepOrphans(dataDir: data, catalog: catalog)
        #expect(report.rolledForward == 1 && report.stagedDeleted == 1 && orphans == 1)
        #expect(FileManager.default.fileExists(atPath: data + "/" + committed))
        #expect(!FileManager.default.fileExists(atPath: data + "/staging/\(snapshot)"))
        #expect(!FileManager.default.fileExists(atPath: data + "/tables/requests/date=2026-01-02/part-7-1.parquet"))
        for file in kept { #expect(FileManager.default.fileExists(atPath: data + "/" + file), "\(file)") }
    }
}
