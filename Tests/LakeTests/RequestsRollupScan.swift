import Foundation
@testable import Parquet
@testable import Lake

/// Test reader: the rollups of the `requests` parts live in one snapshot (optionally only dates
/// in `from...to`), part by part: a part's companions when both are live in that snapshot, else
/// the part itself summarised in memory (a lake written before the rollups existed). The tests
/// check that both give the same rows, which is what lets ingest rewrite such parts with their
/// companions (`Ingestor.compact`) without changing any rollup row.
struct RequestsRollupScan: Sendable {
    let requests: LakeScan
    /// Per `requests` part path: its two companion parts, when both are live in the snapshot.
    private let companions: [String: (rollup: PartRecord, latency: PartRecord)]

    init(dataDir: String, asOf: Int64? = nil, from: String? = nil, to: String? = nil) throws {
        requests = try LakeScan(dataDir: dataDir, table: .requests, asOf: asOf, from: from, to: to)
        let snapshot = requests.snapshot
        let rollups = try RequestsRollup.tables.map {
            try LakeScan(dataDir: dataDir, table: $0, asOf: snapshot, from: from, to: to).parts
        }
        let byPath = rollups.map { Dictionary($0.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first }) }
        var companions: [String: (rollup: PartRecord, latency: PartRecord)] = [:]
        for part in requests.parts {
            let paths = RequestsRollup.companions(of: part.path)
            guard paths.count == 2, let rollup = byPath[0][paths[0]], let latency = byPath[1][paths[1]] else { continue }
            companions[part.path] = (rollup, latency)
        }
        self.companions = companions
    }

    /// The `requests` parts without live companions: those `forEachPart` summarises from the raw rows.
    var partsWithoutRollup: [PartRecord] { requests.parts.filter { companions[$0.path] == nil } }

    /// Calls `body` once per live `requests` part, in `LakeScan` order, with its rollup columns
    /// (`requests_rollup` schema order) and latency histogram columns (`requests_latency_rollup`
    /// order), and whether they were summarised from the raw part.
    func forEachPart(
        _ body: (_ part: PartRecord, _ rollup: [ColumnData], _ latency: [ColumnData], _ fromRawRows: Bool) throws -> Void
    ) throws {
        for part in requests.parts {
            if let pair = companions[part.path] {
                let rollup = try ParquetReader(path: pair.rollup.location(dataDir: requests.dataDir)).readAll(
                    columns: LakeTable.requestsRollup.schema.columns.map(\.name))
                let latency = try ParquetReader(path: pair.latency.location(dataDir: requests.dataDir)).readAll(
                    columns: LakeTable.requestsLatencyRollup.schema.columns.map(\.name))
                try body(part, rollup, latency, false)
            } else {
                let raw = try ParquetReader(path: requests.path(of: part)).readAll(columns: LakeTable.requests.schema.columns.map(\.name))
                let (rollup, latency) = try RequestsRollup.summarise(raw)
                try body(part, rollup, latency, true)
            }
        }
    }
}
