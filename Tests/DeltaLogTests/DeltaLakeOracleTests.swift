import Foundation
import HomeBaseCore
import Parquet
import Testing
import TestSupport
@testable import DeltaLog

/// Reads our Delta logs with independent implementations: the `deltalake` package (delta-rs)
/// at every version, and pyarrow and DuckDB over the file list deltalake resolves, and checks
/// them against numbers computed from the rows we wrote.
@Suite struct DeltaLakeOracleTests {
    static let readVersions = """
        import json, sys, datetime, os, traceback
        import pyarrow as pa, pyarrow.compute as pc, pyarrow.dataset as ds, duckdb
        from deltalake import DeltaTable
        def main():
            root, last, instants = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
            out = {'versions': [], 'travel': [], 'history': []}
            def micros(v):
                return None if v is None else int(pa.scalar(v, pa.timestamp('us', 'UTC')).cast(pa.int64()).as_py())
            for k in range(last + 1):
                dt = DeltaTable(root, version=k)
                t = dt.to_pyarrow_table()
                uris = dt.file_uris()
                local = [u[len('file://'):] if u.startswith('file://') else u for u in uris]
                v = {'version': dt.version(), 'files': sorted(os.path.relpath(u, root) for u in local), 'rows': t.num_rows,
                     'tokens': pc.sum(t['tokens']).as_py() or 0, 'cost': pc.sum(t['cost']).as_py() or 0.0,
                     'dates': sorted(str(d) for d in t['date'].to_pylist()),
                     'types': {f.name: str(f.type) for f in t.schema},
                     'partition_columns': dt.metadata().partition_columns, 'table_id': dt.metadata().id,
                     'protocol': [dt.protocol().min_reader_version, dt.protocol().min_writer_version]}
                adds = pa.table(dt.get_add_actions(flatten=True))
                v['adds'] = []
                for r in adds.to_pylist():
                    v['adds'].append({'path': r['path'], 'date': str(r['partition.date']), 'num_records': r['num_records'],
                        'min_tokens': r.get('min.tokens'), 'max_tokens': r.get('max.tokens'), 'null_cost': r.get('null_count.cost'),
                        'min_ts': micros(r.get('min.ts')), 'max_ts': micros(r.get('max.ts')),
                        'min_agent': r.get('min.agent'), 'max_agent': r.get('max.agent'), 'size': r['size_bytes']})
                if uris:
                    part = ds.partitioning(pa.schema([('date', pa.string())]), flavor='hive')
                    d = ds.dataset(local, format='parquet', partitioning=part, partition_base_dir=root)
                    pt = d.to_table()
                    v['pyarrow'] = [pt.num_rows, pc.sum(pt['tokens']).as_py(), sorted(pt['date'].to_pylist())]
                    con = duckdb.connect()
                    row = con.execute('SELECT count(*), sum(tokens), sum(cost) FROM read_parquet(?, hive_partitioning=true)', [local]).fetchone()
                    v['duckdb'] = [row[0], row[1], row[2]]
                out['versions'].append(v)
            for instant in instants:
                dt = DeltaTable(root)
                dt.load_as_version(datetime.datetime.fromisoformat(instant))
                out['travel'].append(dt.version())
            for h in DeltaTable(root).history():
                out['history'].append({'version': h.get('version'), 'operation': h.get('operation'), 'snapshot': h.get('homebaseSnapshot')})
            out['latest'] = DeltaTable(root).version()
            print(json.dumps(out))
        try:
            main()
        except BaseException:
            traceback.print_exc()
            sys.stderr.flush()
            os._exit(1)
        sys.stdout.flush()
        os._exit(0)  # skip interpreter teardown: pyarrow's thread pool has aborted there now and then ("terminate called"), and hung
        """

    /// Catalog commit time of snapshot `s`: 2026-11-05T00:00Z plus `s` hours, in ms.
    static func commitMillis(_ snapshot: Int64) -> Int64 { (UTCDate.days(year: 2026, month: 11, day: 5) * 86_400 + snapshot * 3600) * 1000 }

    struct Scenario {
        let a = TestPart(date: "2026-11-03", name: "part-1-1.parquet", rows: DeltaTestTable.rows(date: "2026-11-03", first: 0, count: 5))
        let b = TestPart(date: "2026-11-04", name: "part-1-2.parquet", rows: DeltaTestTable.rows(date: "2026-11-04", first: 100, count: 3))
        let c = TestPart(date: "2026-11-03", name: "part-2-1.parquet", rows: DeltaTestTable.rows(date: "2026-11-03", first: 200, count: 4))
        var merged: TestPart { TestPart(date: "2026-11-03", name: "part-4-1 (merged).parquet", rows: a.rows + c.rows) }
        var rewritten: TestPart { TestPart(date: "2026-11-04", name: "part-5-1.parquet", rows: Array(b.rows.dropFirst())) }
        /// The parts live at each version, as the commits below make them.
        var live: [[TestPart]] { [[], [a, b], [a, b, c], [b, merged], [merged, rewritten]] }

        /// Writes the parts and returns the catalog's history of this table: snapshot 1 adds
        /// A and B, 2 adds C, 3 touches another table only, 4 compacts A+C into one part, 5
        /// rewrites B without its first row.
        func changes(root: String) throws -> [DeltaSnapshotChange] {
            for part in [a, b, c, merged, rewritten] { try DeltaTestTable.write(part, root: root) }
            func micros(_ s: Int64) -> Int64 { DeltaLakeOracleTests.commitMillis(s) * 1000 }
            return [
                DeltaSnapshotChange(
                    snapshot: 1, committedMicros: micros(1),
                    added: [try DeltaTestTable.added(a, root: root), try DeltaTestTable.added(b, root: root)], removed: []),
                DeltaSnapshotChange(snapshot: 2, committedMicros: micros(2), added: [try DeltaTestTable.added(c, root: root)], removed: []),
                DeltaSnapshotChange(snapshot: 3, committedMicros: micros(3), added: [], removed: []),
                DeltaSnapshotChange(
                    snapshot: 4, committedMicros: micros(4),
                    added: [try DeltaTestTable.added(merged, root: root, dataChange: false)],
                    removed: [
                        try DeltaTestTable.removed(a, root: root, dataChange: false), try DeltaTestTable.removed(c, root: root, dataChange: false)
                    ]),
                DeltaSnapshotChange(
                    snapshot: 5, committedMicros: micros(5), added: [try DeltaTestTable.added(rewritten, root: root)],
                    removed: [try DeltaTestTable.removed(b, root: root)])
            ]
        }
    }

    @Test func deltalakeReadsEveryVersionAsWritten() throws {
        let dir = TemporaryDirectory("delta-oracle")
        defer { dir.remove() }
        let root = dir.file("requests")
        let scenario = Scenario()
        let changes = try scenario.changes(root: root)
        let log = DeltaTableLog(tableRoot: root, engineInfo: "homebase-test")
        // Written live, one commit per snapshot that touched the table.
        try log.commit(
            DeltaCommit(snapshot: 0, timestampMillis: Self.commitMillis(0), metadata: DeltaTestTable.metadata(createdTime: Self.commitMillis(0))))
        for change in changes where !(change.added.isEmpty && change.removed.isEmpty) {
            try log.commit(
                DeltaCommit(snapshot: change.snapshot, timestampMillis: change.committedMicros / 1000, added: change.added, removed: change.removed))
        }
        #expect(try log.versions() == [0, 1, 2, 3, 4])
        #expect(try log.version(asOfSnapshot: 0) == 0)
        #expect(try log.version(asOfSnapshot: 3) == 2)
        #expect(try log.version(asOfSnapshot: 4) == 3)
        #expect(try log.version(asOfSnapshot: 99) == 4)
        #expect(try log.lastSnapshot() == 5)
        for (version, parts) in scenario.live.enumerated() {
            #expect(try log.liveFiles(atVersion: Int64(version)) == Set(parts.map(\.path)))
        }

        // Halfway between commits 1 and 2, and after commit 4's hour.
        let instants = ["2026-11-05T01:30:00+00:00", "2026-11-05T02:00:00.500+00:00", "2026-11-05T07:00:00+00:00"]
        let output = try PythonOracle.run(
            Self.readVersions, [root, "4", String(decoding: try JSONSerialization.data(withJSONObject: instants), as: UTF8.self)])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let versions = try #require(json["versions"] as? [[String: Any]])
        #expect(versions.count == 5)
        for (version, parts) in scenario.live.enumerated() {
            let v = versions[version]
            let rows = parts.flatMap(\.rows)
            let tokens = rows.reduce(Int64(0)) { $0 + $1.tokens }
            let cost = rows.reduce(0.0) { $0 + ($1.cost ?? 0) }
            let dates = parts.flatMap { part in part.rows.map { _ in part.date } }.sorted()
            #expect(v["version"] as? Int == version)
            #expect(v["files"] as? [String] == parts.map(\.path).sorted(), "version \(version)")
            #expect(v["rows"] as? Int == rows.count, "version \(version)")
            #expect((v["tokens"] as? NSNumber)?.int64Value == tokens, "version \(version)")
            #expect((v["cost"] as? NSNumber)?.doubleValue == cost, "version \(version)")
            #expect(v["dates"] as? [String] == dates, "version \(version)")
            #expect(v["partition_columns"] as? [String] == ["date"])
            #expect(v["table_id"] as? String == DeltaMetadata.tableID(seed: "test-lake/requests"))
            #expect(v["protocol"] as? [Int] == [1, 2])
            let types = v["types"] as? [String: String] ?? [:]
            #expect(
                types == [
                    "ts": "timestamp[us, tz=UTC]", "agent": "string", "tokens": "int64", "cost": "double",
                    "ok": "bool", "tools": "int32", "date": "date32[day]"
                ], "version \(version)")
            if !parts.isEmpty {
                let pyarrow = v["pyarrow"] as? [Any] ?? []
                #expect(
                    pyarrow.count == 3 && pyarrow[0] as? Int == rows.count && (pyarrow[1] as? NSNumber)?.int64Value == tokens
                        && pyarrow[2] as? [String] == dates, "version \(version): \(pyarrow)")
                let duck = v["duckdb"] as? [Any] ?? []
                #expect(
                    duck.count == 3 && duck[0] as? Int == rows.count && (duck[1] as? NSNumber)?.int64Value == tokens
                        && (duck[2] as? NSNumber)?.doubleValue == cost, "version \(version): \(duck)")
            }
            let adds = (v["adds"] as? [[String: Any]] ?? []).sorted { ($0["path"] as? String ?? "") < ($1["path"] as? String ?? "") }
            #expect(adds.count == parts.count)
            for (add, part) in zip(adds, parts.sorted { $0.path < $1.path }) {
                try expectStats(add, part, root: root)
            }
        }
        #expect(json["travel"] as? [Int] == [1, 2, 4])
        #expect(json["latest"] as? Int == 4)
        let history = (json["history"] as? [[String: Any]] ?? []).sorted { ($0["version"] as? Int ?? 0) < ($1["version"] as? Int ?? 0) }
        #expect(history.map { $0["operation"] as? String } == ["CREATE TABLE", "WRITE", "WRITE", "OPTIMIZE", "WRITE"])
        #expect(history.map { $0["snapshot"] as? Int } == [0, 1, 2, 4, 5])
    }

    /// The add action's statistics as deltalake decodes them, against the part's own rows.
    private func expectStats(_ add: [String: Any], _ part: TestPart, root: String) throws {
        let rows = part.rows
        #expect(add["path"] as? String == DeltaPath.encode(part.path))  // as stored; `files` above checks the decoding
        #expect(add["date"] as? String == part.date)
        #expect(add["num_records"] as? Int == rows.count, "\(part.path)")
        #expect((add["min_tokens"] as? NSNumber)?.int64Value == rows.map(\.tokens).min(), "\(part.path)")
        #expect((add["max_tokens"] as? NSNumber)?.int64Value == rows.map(\.tokens).max(), "\(part.path)")
        #expect(add["null_cost"] as? Int == rows.filter { $0.cost == nil }.count, "\(part.path)")
        // Millisecond bounds that contain every value: min rounded down, max rounded up.
        let lowTs = try #require(rows.map(\.ts).min()), highTs = try #require(rows.map(\.ts).max())
        #expect((add["min_ts"] as? NSNumber)?.int64Value == lowTs - lowTs % 1000, "\(part.path)")
        #expect((add["max_ts"] as? NSNumber)?.int64Value == highTs - highTs % 1000 + (highTs % 1000 == 0 ? 0 : 1000), "\(part.path)")
        let agents = rows.map(\.agent).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let lowAgent = try #require(agents.first), highAgent = try #require(agents.last)
        #expect(add["min_agent"] as? String == String(lowAgent.prefix(32)), "\(part.path)")
        if highAgent.count > 32 {
            #expect(add["max_agent"] is NSNull || add["max_agent"] == nil, "\(part.path)")
        } else {
            #expect(add["max_agent"] as? String == highAgent, "\(part.path)")
        }
        let size = try FileManager.default.attributesOfItem(atPath: root + "/" + part.path)[.size] as? Int
        #expect(add["size"] as? Int == size)
    }
}
