import Foundation
@testable import SQLiteStore
@testable import Lake
@testable import Ingest
@testable import Backup

/// A lake (the generated samples, or hand-written sessions) with a backup directory beside it,
/// and independent views of a data dir: DuckDB rows of the live parts, Python's sqlite3 dump of
/// the catalog, hashlib digests of the part files.
struct BackupFixture {
    let dir = TemporaryDirectory("homebase-backup")
    var dataDir: String { dir.path + "/data" }
    var backupDir: String { dir.path + "/backups" }

    func remove() { dir.remove() }

    /// Ingests `samples/` (1052 generated calls over 60 days) at `clock`.
    func ingestSamples(clock: Int64) throws {
        let root = PythonOracle.repositoryRoot.path
        let options = IngestOptions(
            dataDir: dataDir, openclawDirs: [root + "/samples/openclaw"], gatewayDirs: [root + "/samples/gateway"],
            parallelism: 2, now: { clock })
        _ = try Ingestor(options: options).run()
    }

    func create(clock: Int64, incremental: Bool = true) throws -> BackupResult {
        try BackupCreator.create(BackupOptions(dataDir: dataDir, backupDir: backupDir, incremental: incremental, now: { clock }))
    }

    /// Every row of every table, over the parts live in `snapshot` (default newest), as DuckDB
    /// prints them sorted: one string per table.
    static func duckRows(dataDir: String, snapshot: Int64? = nil) throws -> [String] {
        let catalog = try Catalog(dataDir: dataDir, readOnly: true)
        var specs: [String] = []
        for table in LakeTable.all {
            let parts = try catalog.liveParts(table: table.name, asOf: snapshot).map { dataDir + "/" + $0.path }
            specs.append(table.name + "=" + parts.joined(separator: ","))
        }
        let out = try PythonOracle.run(
            """
            import sys, duckdb
            con = duckdb.connect()
            for spec in sys.argv[1:]:
                name, _, files = spec.partition('=')
                if not files:
                    print(name, 'empty'); continue
                rows = con.execute(f"SELECT * FROM read_parquet({files.split(',')!r}, hive_partitioning=true) ORDER BY ALL").fetchall()
                print(name, len(rows), repr(rows))
            """, specs)
        return out.split(separator: "\n").map(String.init)
    }

    /// The catalog's parts, snapshots and sources as Python's sqlite3 reads them.
    static func catalogDump(dataDir: String) throws -> String {
        try PythonOracle.run(
            """
            import sys, sqlite3
            con = sqlite3.connect(f'file:{sys.argv[1]}/catalog.sqlite?mode=ro', uri=True)
            for q in ['SELECT * FROM parts ORDER BY path', 'SELECT * FROM snapshots ORDER BY 1',
                      'SELECT path, size, offset, fingerprint FROM sources ORDER BY path', 'SELECT count(*) FROM source_dates',
                      'SELECT dir, hex(records), updated_snapshot FROM source_packs ORDER BY dir']:
                print(con.execute(q).fetchall())
            """, [dataDir])
    }

    /// hashlib SHA-256 of every part file under `<dir>/tables`, as "relative-path digest" lines (the
    /// Delta logs are derived from the catalog, not backed up, and rebuilt by a restore).
    static func partDigests(_ dir: String) throws -> [String] {
        try PythonOracle.run(
            """
            import sys, os, hashlib
            root = sys.argv[1]
            for base, _, files in sorted(os.walk(root + '/tables')):
                if '_delta_log' in base.split(os.sep): continue
                for f in sorted(files):
                    p = os.path.join(base, f)
                    print(os.path.relpath(p, root), hashlib.sha256(open(p, 'rb').read()).hexdigest())
            """, [dir]
        ).split(separator: "\n").map(String.init).sorted()
    }
}
