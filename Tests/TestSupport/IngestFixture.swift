import Foundation
@testable import SQLiteStore
@testable import Lake
@testable import Ingest

/// A hand-written OpenClaw state directory and helpers to ingest it and look at the lake with DuckDB.
struct IngestFixture {
    let dir = TemporaryDirectory("homebase-ingest")
    var stateDir: String { dir.path + "/openclaw" }
    var dataDir: String { dir.path + "/data" }
    var gatewayDir: String { dir.path + "/gateway" }

    init() {
        try? FileManager.default.createDirectory(atPath: gatewayDir, withIntermediateDirectories: true)
    }

    func sessionPath(agent: String, file: String) -> String { stateDir + "/agents/\(agent)/sessions/\(file)" }

    func write(agent: String = "ops", file: String = "sess-1.jsonl", _ text: String) throws {
        let path = sessionPath(agent: agent, file: file)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    func append(agent: String = "ops", file: String = "sess-1.jsonl", _ text: String) throws {
        let handle = try FileHandle(forWritingAtPath: sessionPath(agent: agent, file: file)).unwrap()
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    func ingest(clock: Int64 = 1_800_000_000_000_000, compactAbove: Int? = nil) throws -> IngestSummary {
        var options = IngestOptions(dataDir: dataDir, openclawDirs: [stateDir], gatewayDirs: [gatewayDir], parallelism: 2, now: { clock })
        if let compactAbove { options.compactAbove = compactAbove }
        return try Ingestor(options: options).run()
    }

    /// Runs `sql` in DuckDB over the live parts (views named like the lake tables); rows as JSON arrays.
    func query(_ sql: String) throws -> [[String]] {
        let catalog = try Catalog(dataDir: dataDir, readOnly: true)
        var views: [String] = []
        for table in LakeTable.all {
            let parts = try catalog.liveParts(table: table.name).map { dataDir + "/" + $0.path }
            views.append(table.name + "=" + parts.joined(separator: ","))
        }
        let code = """
            import sys, json, duckdb
            con = duckdb.connect()
            for spec in sys.argv[2:]:
                name, _, files = spec.partition('=')
                if files:
                    con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({files.split(',')!r}, hive_partitioning=true)")
                else:
                    con.execute(f"CREATE VIEW {name} AS SELECT 1 AS empty WHERE false")
            for row in con.execute(sys.argv[1]).fetchall():
                print(json.dumps([None if v is None else str(v) for v in row]))
            """
        let out = try PythonOracle.run(code, [sql] + views)
        return out.split(separator: "\n").map { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any])?.map { ($0 as? String) ?? "NULL" } ?? []
        }
    }

    func remove() { dir.remove() }
}

extension Optional {
    struct Missing: Error {}
    func unwrap() throws -> Wrapped {
        guard let self else { throw Missing() }
        return self
    }
}
