import Foundation
import Testing
@testable import Parquet
@testable import DeltaLog
@testable import Lake
@testable import Ingest
@testable import TestSupport
@testable import Pipeline
@testable import HomeBaseCLI

/// `invoice_lines.BilledCost` is DECIMAL(38,18): pyarrow, DuckDB and deltalake read exact
/// decimals, `homebase query` and reconciliation see the exact text as before; a lake written when
/// the column was text is rewritten once by the next ingest, and its Delta log gets the new schema.
@Suite(.serialized) struct InvoiceDecimalTests {
    static let fixtures = PythonOracle.repositoryRoot.path + "/Tests/TestSupport/Fixtures/invoices"

    /// Per engine: the column's type and Σ BilledCost as exact text.
    static func outside(_ data: String) throws -> [String: String] {
        let out = try PythonOracle.run(
            """
            import sys, glob, json, decimal, duckdb, pyarrow.parquet as pq, pyarrow.compute as pc
            from deltalake import DeltaTable
            decimal.getcontext().prec = 80  # normalize() rounds to the context precision (28 by default)
            root = sys.argv[1] + "/tables/invoice_lines"
            files = sorted(glob.glob(root + "/date=*/*.parquet"))
            t = pq.ParquetDataset(files).read()
            d = DeltaTable(root).to_pyarrow_table()
            duck = duckdb.connect().execute("SELECT CAST(sum(BilledCost) AS VARCHAR), typeof(any_value(BilledCost)) FROM read_parquet(?)", [files]).fetchone()
            exact = lambda v: format(decimal.Decimal(str(v)).normalize(), "f")
            print(json.dumps({"pyarrow_type": str(t.schema.field("BilledCost").type), "pyarrow_sum": exact(pc.sum(t["BilledCost"]).as_py()),
                              "delta_type": str(d.schema.field("BilledCost").type), "delta_sum": exact(pc.sum(d["BilledCost"]).as_py()),
                              "duckdb_type": duck[1], "duckdb_sum": exact(duck[0])}))
            """, [data])
        return try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: String])
    }

    @Test func exactDecimalsEverywhereAndOldLakesAreRewrittenOnce() throws {
        let lake = InvoiceIngestTests.Lake()
        defer { lake.remove() }
        // anthropic-cost.json bills 12.91323456789 in all (InvoiceParserTests, by hand).
        try lake.put("anthropic-cost.json", from: Self.fixtures + "/anthropic-cost.json", mtime: 1_780_000_000)
        _ = try lake.ingest()
        let decimalType = "decimal128(38, 18)"
        let fresh = try Self.outside(lake.fixture.dataDir)
        #expect(fresh["pyarrow_type"] == decimalType && fresh["delta_type"] == decimalType && fresh["duckdb_type"] == "DECIMAL(38,18)", "\(fresh)")
        #expect(fresh["pyarrow_sum"] == "12.91323456789" && fresh["delta_sum"] == "12.91323456789" && fresh["duckdb_sum"] == "12.91323456789")
        // homebase query: the exact text, as when the column was text.
        let console = Console.capturing()
        let code = CommandLineTool.run(
            [
                "query", "--data", lake.fixture.dataDir, "--format", "csv",
                "SELECT typeof(BilledCost) AS t, count(*) AS n FROM invoice_lines GROUP BY 1"
            ],
            console: console)
        #expect(code == .success && console.capturedOut.contains("text,"), "\(console.capturedOut)")

        // Make it a lake from before: the part with BilledCost as text, the Delta log saying string.
        let data = lake.fixture.dataDir
        let catalog = try Catalog(dataDir: data, readOnly: true)
        let old = try catalog.liveParts(table: "invoice_lines")
        try #require(!old.isEmpty)
        for part in old {
            let path = part.location(dataDir: data)
            let reader = try ParquetReader(path: path)
            var columns = try reader.readAll()
            var schema = reader.schema
            let cost = try #require(schema.index(of: "BilledCost"))
            schema.columns[cost] = .string("BilledCost", nullable: true)
            if case .byteArray(let stored) = columns[cost].values { columns[cost].values = .byteArray(Decimal128.textColumn(stored, scale: 18)) }
            let writer = try ParquetWriter(path: path, schema: schema)
            try writer.write(columns)
            try writer.close()
        }
        let logDir = data + "/tables/invoice_lines/_delta_log"
        for file in try FileManager.default.contentsOfDirectory(atPath: logDir) where file.hasSuffix(".json") {
            let text = try String(contentsOfFile: logDir + "/" + file, encoding: .utf8)
            try text.replacingOccurrences(
                of: #"\"name\":\"BilledCost\",\"type\":\"decimal(38,18)\""#, with: #"\"name\":\"BilledCost\",\"type\":\"string\""#
            )
            .write(toFile: logDir + "/" + file, atomically: true, encoding: .utf8)
        }
        #expect(try LakeDelta.schemaOutdated(dataDir: data, table: .invoiceLines))
        // The next ingest (nothing new to read) rewrites the old parts and logs the new schema.
        let summary = try lake.ingest(clock: 1_800_000_100_000_000)
        #expect(summary.partsCompacted == old.count)
        #expect(try !LakeDelta.schemaOutdated(dataDir: data, table: .invoiceLines))
        let upgraded = try Self.outside(data)
        #expect(upgraded == fresh, "\(upgraded)")
        #expect(
            try Catalog(dataDir: data, readOnly: true).liveParts(table: "invoice_lines").allSatisfy { part in
                try ParquetReader(path: part.location(dataDir: data)).schema == LakeTable.invoiceLines.schema
            })
        // A third run finds nothing to rewrite.
        #expect(try lake.ingest(clock: 1_800_000_200_000_000).partsCompacted == 0)
    }
}
