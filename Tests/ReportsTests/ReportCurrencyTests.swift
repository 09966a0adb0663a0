import Foundation
import Testing
@testable import HomeBaseCore
@testable import Ingest
@testable import Render
@testable import Reports
@testable import SQLiteStore
@testable import Lake
@testable import TestSupport

/// Reports in the configured currency: each day at its rate, the period at the spend-weighted
/// rate, the source stated; no rate → an error naming the days and the fix. Values by hand.
@Suite struct ReportCurrencyTests {
    let monday = UTCDate.days(year: 2026, month: 6, day: 1)
    var rates: FXRateTable {
        FXRateTable([
            // 1 EUR = 1.25 USD → 0.8 EUR per dollar; 1 EUR = 1 USD → 1 EUR per dollar.
            .init(date: "2026-06-01", currency: "EUR", rateToUSD: Money("1.25") ?? .zero, source: "/home/ana/eurofxref-hist.csv"),
            .init(date: "2026-06-02", currency: "EUR", rateToUSD: Money("1") ?? .zero, source: "/home/ana/eurofxref-hist.csv")
        ])
    }

    @Test func eachDayAtItsRateAndThePeriodSpendWeighted() throws {
        // $10 on Monday, $30 on Tuesday: 10 × 0.8 + 30 × 1 = 38 EUR; the period rate is 38 / 40 = 0.95.
        let eur = try ReportCurrency.make(code: "EUR", rates: rates, days: [monday, monday + 1], dailyUSD: [10, 30])
        #expect(eur.value(10, day: monday) == 8)
        #expect(eur.value(30, day: monday + 1) == 30)
        #expect(abs(eur.periodPerDollar - 0.95) < 1e-12)
        #expect(abs(eur.value(40) - 38) < 1e-12)
        // A day after the period (a forecast): the period's rate.
        #expect(abs(eur.value(100, day: monday + 20) - 95) < 1e-12)
        #expect(eur.cell(100, day: monday).displayText == "80.00 EUR")
        #expect(eur.converted(1234.5).displayText == "1,234.50 EUR")
        #expect(
            eur.note
                == "Money in EUR, converted from USD at each day's rate (fx_rates from eurofxref-hist.csv: 1 USD = 0.8000–1.0000 EUR); "
                + "figures over several days at the period's spend-weighted rate, 1 USD = 0.9500 EUR.")
        // Wednesday has no rate of its own: Tuesday's (within 7 days).
        let three = try ReportCurrency.make(code: "EUR", rates: rates, days: [monday, monday + 1, monday + 2], dailyUSD: [0, 0, 0])
        #expect(three.value(1, day: monday + 2) == 1)
        // No spend at all: the plain mean of the daily rates, (0.8 + 1 + 1) / 3.
        #expect(abs(three.periodPerDollar - 2.8 / 3) < 1e-12)
    }

    /// `make run`'s nightly with `"currency": "EUR"` and samples/fx-rates.csv imported: the June
    /// burn-down ends at DuckDB's June spend per local day, each day divided by its rate (the
    /// day's, else the latest of the 7 days before), computed in Python from the CSV.
    @Test func theMonthlyReportInEURConvertsEachDayAtItsRate() throws {
        let dir = TemporaryDirectory("report-eur")
        defer { dir.remove() }
        let ratesPath = SampleNightly.root + "/samples/fx-rates.csv"
        let file = try FXRateFile.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: ratesPath))), path: ratesPath)
        try FileManager.default.createDirectory(atPath: dir.path + "/data", withIntermediateDirectories: true)
        _ = try FXRateTable.save(file.rates, database: Catalog(dataDir: dir.path + "/data").database, nowMicros: 1)
        let run = try SampleNightly.run(dir, currency: "EUR")
        #expect(run.code == .warnings || run.code == .success, "\(run.text)")
        let scan = try LakeScan(dataDir: run.data, table: .requests)
        let files = String(decoding: try JSONSerialization.data(withJSONObject: scan.parts.map { scan.path(of: $0) }), as: UTF8.self)
        let code = """
            import sys, json, csv, glob, datetime, duckdb
            out, files, rates_path = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
            rates = {}
            with open(rates_path, newline="") as f:
                for row in csv.DictReader(f):
                    rates[datetime.date.fromisoformat(row["date"])] = float(row["rate_to_usd"])
            def rate(d):
                for back in range(8):
                    r = rates.get(d - datetime.timedelta(days=back))
                    if r is not None:
                        return r
                raise SystemExit(f"no rate for {d}")
            con = duckdb.connect()
            con.execute("SET TimeZone = 'UTC'")
            con.execute(f"CREATE VIEW r AS SELECT *, CAST(timezone('Europe/Berlin', ts) AS DATE) AS d FROM read_parquet({files!r}, hive_partitioning=true)")
            days = con.execute("SELECT d, sum(cost_usd) FROM r WHERE d BETWEEN DATE '2026-06-01' AND DATE '2026-06-30' GROUP BY d").fetchall()
            eur = sum(usd / rate(d) for d, usd in days)
            usd = sum(usd for _, usd in days)
            with open(glob.glob(f"{out}/monthly-finance-2026-06/report-csv/*budget-burn-down.csv")[0], newline="", encoding="utf-8") as f:
                burn = list(csv.reader(f))
            html = open(f"{out}/monthly-finance-2026-06/report.html", encoding="utf-8").read()
            print(json.dumps({"eur": eur, "usd": usd, "burn": burn, "html_eur": " EUR" in html, "note": "Money in EUR, converted from USD" in html}))
            """
        let out = try PythonOracle.run(code, [run.out, files, ratesPath])
        let r = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let eur = try #require((r["eur"] as? NSNumber)?.doubleValue)
        let usd = try #require((r["usd"] as? NSNumber)?.doubleValue)
        let burn = try #require(r["burn"] as? [[String]])
        let spent = burn.dropFirst().compactMap { Double($0[1]) }
        #expect(spent.count == 30)
        #expect(abs((spent.last ?? -1) - eur) < 1e-5, "burn-down ends at \(spent.last ?? -1) EUR, Python says \(eur)")
        #expect(eur < usd / 1.08 + 1e-9, "every sample rate is above 1.08 USD per EUR")
        #expect(r["html_eur"] as? Bool == true && r["note"] as? Bool == true)
    }

    @Test func usdIsUnchangedAndNeedsNoRates() throws {
        let usd = try ReportCurrency.make(code: "USD", rates: FXRateTable(), days: [monday], dailyUSD: [5])
        #expect(usd == .usd && usd.value(5, day: monday) == 5 && usd.cell(5).displayText == "$5.00" && usd.note.isEmpty)
    }

    @Test func aDayWithoutARateIsNamedWithTheFix() {
        // 2026-06-10 is 8 days after the last rate; 2026-05-31 is before the first.
        do {
            _ = try ReportCurrency.make(code: "EUR", rates: rates, days: [monday - 1, monday, monday + 9], dailyUSD: [1, 1, 1])
            Issue.record("expected MissingRates")
        } catch {
            #expect(error.days == ["2026-05-31", "2026-06-10"])
            #expect(error.description.contains("no EUR rate for 2026-05-31, 2026-06-10") && error.description.contains("homebase fx import"))
        }
        #expect(throws: ReportCurrency.MissingRates.self) {
            try ReportCurrency.make(code: "GBP", rates: rates, days: [monday], dailyUSD: [1])
        }
    }
}
