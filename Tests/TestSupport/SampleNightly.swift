import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Pipeline
@testable import HomeBaseCLI

/// The nightly of `make run` (samples/ with samples/homebase.json, as on 2026-07-01) in a
/// temporary directory, and the Python that reads its reports back; shared by the report and render tests.
enum SampleNightly {
    static let root = PythonOracle.repositoryRoot.path

    /// samples/homebase.json with its paths made absolute into `dir` (no backups: not what is checked here).
    static func run(_ dir: TemporaryDirectory, currency: String? = nil) throws -> (
        config: String, data: String, out: String, code: ExitCode, text: String
    ) {
        let data = try Data(contentsOf: URL(fileURLWithPath: root + "/samples/homebase.json"))
        var config = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        config["sources"] = ["openclaw": [root + "/samples/openclaw"], "gateway_logs": [root + "/samples/gateway"], "invoices": [String]()]
        config["data_dir"] = dir.path + "/data"
        config["output_dir"] = dir.path + "/out"
        config.removeValue(forKey: "backup")
        if let currency { config["currency"] = currency }
        let path = dir.path + "/homebase.json"
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: path))
        let console = Console.capturing()
        var command = NightlyCommand()
        command.now = { (UTCDate.days(year: 2026, month: 7, day: 1) * 86_400 + 3 * 3600) * 1_000_000 }
        let code = try command.run(["--config", path, "--today", "2026-07-01"], console: console)
        return (path, dir.path + "/data", dir.path + "/out", code, console.capturedOut + console.capturedErr)
    }

    /// Every CSV of each report directory, the monthly workbook's sheets, analysis.json, and DuckDB's
    /// June spend (local days in Europe/Berlin) of the live parts.
    static let readBack = """
        import sys, json, csv, glob, os, openpyxl, duckdb
        out, data, files = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
        res = {"csv": {}, "xlsx": {}}
        for d in sorted(os.listdir(out)):
            for p in sorted(glob.glob(f"{out}/{d}/report-csv/*.csv")):
                with open(p, newline="", encoding="utf-8") as f:
                    res["csv"][d + "/" + os.path.basename(p)[3:-4]] = list(csv.reader(f))
        wb = openpyxl.load_workbook(f"{out}/monthly-finance-2026-06/report.xlsx")
        for ws in wb.worksheets:
            res["xlsx"][ws.title] = [[c if isinstance(c, (int, float, str)) or c is None else str(c) for c in r] for r in ws.iter_rows(values_only=True)]
        res["analysis"] = json.load(open(data + "/analysis.json"))
        con = duckdb.connect()
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f"CREATE VIEW r AS SELECT *, CAST(timezone('Europe/Berlin', ts) AS DATE) AS d FROM read_parquet({files!r}, hive_partitioning=true)")
        res["june"] = con.execute("SELECT sum(cost_usd) FROM r WHERE d BETWEEN DATE '2026-06-01' AND DATE '2026-06-30'").fetchone()[0]
        res["agents"] = sorted(a for (a,) in con.execute("SELECT DISTINCT agent_id FROM r").fetchall())
        print(json.dumps(res))
        """
}
