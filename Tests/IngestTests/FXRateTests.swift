import Foundation
import Testing
@testable import SQLiteStore
@testable import Lake
@testable import Ingest
@testable import TestSupport

/// Exchange rates (`homebase fx import`) and invoices billed in other currencies. Every expected
/// value is worked out by hand in the comments.
@Suite(.serialized) struct FXRateTests {
    private func parse(_ text: String, path: String = "/tmp/rates.csv") throws -> FXRateFile.Result {
        try FXRateFile.parse(Array(text.utf8), path: path)
    }

    private func rates(_ result: FXRateFile.Result) -> [String: String] {
        Dictionary(uniqueKeysWithValues: result.rates.map { ("\($0.date) \($0.currency)", $0.rateToUSD.description) })
    }

    @Test func ecbRatesPerEuroBecomeDollarsPerUnit() throws {
        // The ECB file ends every line with a comma and writes N/A where it has no rate.
        let text = """
            Date,USD,JPY,GBP,CYP,
            2026-06-05,1.1000,165.00,0.8500,N/A,
            2026-06-04,1.0800,N/A,0.8400,N/A,
            2026-06-03,N/A,160.00,0.8400,N/A,
            2026-13-01,1.0800,160.00,0.8400,N/A,
            2026-06-02,1.0800,abc,0.8000,N/A,

            """
        let result = try parse(text)
        #expect(result.format == .ecb)
        // EUR is the USD column. JPY: 1.1 / 165 = 0.0066666666666|67 → 0.006666666667 (12 places, half-even).
        // GBP: 1.1 / 0.85 = 1.2941176470588|2 → 1.294117647059; 1.08 / 0.84 = 1.2857142857142|857 → 1.285714285714.
        // 2026-06-02: GBP 1.08 / 0.8 = 1.35 exactly; its JPY cell is bad, the line is reported, EUR and GBP kept.
        #expect(
            rates(result) == [
                "2026-06-05 EUR": "1.1", "2026-06-05 JPY": "0.006666666667", "2026-06-05 GBP": "1.294117647059",
                "2026-06-04 EUR": "1.08", "2026-06-04 GBP": "1.285714285714",
                "2026-06-02 EUR": "1.08", "2026-06-02 GBP": "1.35"
            ])
        // Line 4: no USD rate, so nothing of that day converts; line 5: a bad date; line 6: the bad JPY cell.
        #expect(result.bad.map(\.line) == [4, 5, 6])
        #expect(result.bad[0].reason.contains("USD 'N/A' is not a positive rate"))
        #expect(result.bad[1].reason.contains("'2026-13-01' is not YYYY-MM-DD"))
        #expect(result.bad[2].reason.contains("JPY 'abc'") && result.bad[2].reason.contains("fix"))
        #expect(result.records == 5)
    }

    @Test func ourCSVIsReadAsWrittenAndBadLinesNamedWithTheFix() throws {
        let text = """
            date,currency,rate_to_usd
            2026-06-01,eur,1.0842
            2026-06-31,EUR,1.08
            2026-06-02,EURO,1.08
            2026-06-02,GBP,-1.3
            2026-06-02,GBP

            2026-06-02,JPY,0.0068

            """
        let result = try parse(text)
        #expect(result.format == .homeBase)
        #expect(rates(result) == ["2026-06-01 EUR": "1.0842", "2026-06-02 JPY": "0.0068"])
        #expect(result.bad.map(\.line) == [3, 4, 5, 6])
        #expect(result.bad[1].reason.contains("three-letter ISO 4217"))
        #expect(result.bad[2].reason.contains("positive decimal"))
        #expect(result.bad[3].reason == "2 fields where date,currency,rate_to_usd has 3")
    }

    @Test func anUnknownHeaderIsRefusedWithTheFix() {
        #expect(throws: FXRateFile.Unrecognised.self) { try parse("day,eur\n2026-06-01,1.08\n") }
        do {
            _ = try parse("day,eur\n2026-06-01,1.08\n", path: "/x/r.csv")
        } catch {
            #expect("\(error)".hasPrefix("/x/r.csv:1: header 'day,eur' is neither"))
        }
    }

    @Test func aDayWithoutARateTakesTheNearestEarlierOneWithinAWeek() {
        let money = { (text: String) in Money(text) ?? .zero }
        let table = FXRateTable([
            .init(date: "2026-06-05", currency: "EUR", rateToUSD: money("1.1"), source: "a"),  // a Friday
            .init(date: "2026-06-08", currency: "EUR", rateToUSD: money("1.2"), source: "a")
        ])
        #expect(table.rate("EUR", on: "2026-06-05")?.rateToUSD == money("1.1"))
        #expect(table.rate("eur", on: "2026-06-07")?.date == "2026-06-05")  // Sunday: Friday's
        #expect(table.rate("EUR", on: "2026-06-08")?.rateToUSD == money("1.2"))
        #expect(table.rate("EUR", on: "2026-06-15")?.date == "2026-06-08")  // 7 days after: still
        #expect(table.rate("EUR", on: "2026-06-16") == nil)  // 8 days after: too old
        #expect(table.rate("EUR", on: "2026-06-04") == nil)  // before the first rate
        #expect(table.rate("GBP", on: "2026-06-05") == nil)
        #expect(table.rate("USD", on: "2026-06-05")?.rateToUSD == money("1"))
    }

    @Test func moneyTimesAndDividedByARate() {
        let money = { (text: String) in Money(text) ?? .zero }
        #expect(money("12.50").multiplied(by: money("1.0842")) == money("13.5525"))
        #expect(money("1000").multiplied(by: money("0.006666666667")) == money("6.666666667"))
        #expect(money("-3").multiplied(by: money("0.5")) == money("-1.5"))
        #expect(money("2").divided(by: money("3"), places: 4) == money("0.6667"))
        #expect(money("1").divided(by: money("8"), places: 2) == money("0.12"))  // 0.125 → half-even 0.12
        #expect(money("1").divided(by: .zero, places: 2) == nil)
        // 30 decimals × 12 decimals: rounded to 30, not overflowing.
        let long = money("0.123456789012345678901234567891")
        #expect(long.multiplied(by: money("1.000000000001")) == money("0.123456789012469135690246913570"))
        // The exact product 100000000000000000100.5000000000000000005 has 40 digits: rounded to the 17 decimals that fit.
        #expect(money("100000000000000000000.5").multiplied(by: money("1.000000000000000001")) == money("100000000000000000100.5"))
        // 10^40 fits no scale.
        #expect(money("100000000000000000000").multiplied(by: money("100000000000000000000")) == nil)
    }

    /// A FOCUS export with a USD, a EUR (Saturday) and a JPY line: without rates the two foreign
    /// lines are quarantined and only $1 counts; after the import the unchanged file is read again
    /// and all three arrive, converted, with their source amounts and rates kept.
    @Test func aLineWithoutARateWaitsInQuarantineUntilTheRateIsImported() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        let invoices = fixture.dir.path + "/invoices"
        try FileManager.default.createDirectory(atPath: invoices, withIntermediateDirectories: true)
        try """
        BilledCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ServiceProviderName,x_Model,x_TokenType
        1.00,USD,2026-06-05T00:00:00Z,2026-06-06T00:00:00Z,Usage,OpenAI,gpt-5.2,Input
        10.00,EUR,2026-06-06T00:00:00Z,2026-06-07T00:00:00Z,Usage,OpenAI,gpt-5.2,Output
        1000,jpy,2026-06-05T00:00:00Z,2026-06-06T00:00:00Z,Usage,OpenAI,gpt-5.2,Output

        """.write(toFile: invoices + "/focus-eur.csv", atomically: true, encoding: .utf8)
        func ingest() throws -> IngestSummary {
            var options = IngestOptions(dataDir: fixture.dataDir, openclawDirs: [], gatewayDirs: [], parallelism: 1, now: { 1_800_000_000_000_000 })
            options.invoiceDirs = [invoices]
            return try Ingestor(options: options).run()
        }
        let first = try ingest()
        #expect(first.invoiceLines == 1 && first.quarantinedLines == 2 && first.hasWarnings)
        #expect(try fixture.query("SELECT BilledCost FROM invoice_lines") == [["1.000000000000000000"]])  // DECIMAL(38,18) in DuckDB
        let reasons = try fixture.query("SELECT source_line, reason FROM quarantine ORDER BY 1")
        #expect(reasons.map { $0[0] } == ["3", "4"])
        #expect(reasons[0][1].contains("no EUR→USD rate for 2026-06-06") && reasons[0][1].contains("homebase fx import"))
        #expect(reasons[1][1].contains("no JPY→USD rate for 2026-06-05"))

        // Still no rate: read again (not skipped), still quarantined, nothing doubles.
        let second = try ingest()
        #expect(second.filesSkippedUnchanged == 0 && second.invoiceLines == 1 && second.quarantinedLines == 2)
        #expect(try fixture.query("SELECT count(*) FROM quarantine") == [["2"]])
        #expect(try fixture.query("SELECT count(*) FROM invoice_lines") == [["1"]])

        let file = try parse(
            """
            Date,USD,JPY,
            2026-06-05,1.1000,165.00,

            """)
        let catalog = try Catalog(dataDir: fixture.dataDir)
        #expect(try FXRateTable.save(file.rates, database: catalog.database, nowMicros: 1) == 2)
        #expect(try FXRateTable.save(file.rates, database: catalog.database, nowMicros: 2) == 0)  // replaced, not added

        let third = try ingest()
        #expect(third.invoiceLines == 3 && third.quarantinedLines == 0 && !third.hasWarnings)
        #expect(try fixture.query("SELECT count(*) FROM quarantine") == [["0"]])
        // EUR: Saturday takes Friday's 1.1 → 10.00 × 1.1 = 11.000; JPY: 1000 × 0.006666666667 = 6.666666667.
        let rows = try fixture.query(
            """
            SELECT x_SourceLine, BilledCost, BillingCurrency, x_SourceCurrency, x_SourceBilledCost, x_FxRateToUsd, x_FxRateDate
            FROM invoice_lines ORDER BY x_SourceLine
            """)
        #expect(
            rows == [
                ["2", "1.000000000000000000", "USD", "NULL", "NULL", "NULL", "NULL"],
                ["3", "11.000000000000000000", "USD", "EUR", "10", "1.1", "2026-06-05"],
                ["4", "6.666666667000000000", "USD", "JPY", "1000", "0.006666666667", "2026-06-05"]
            ])
        #expect(try fixture.query("SELECT sum(CAST(BilledCost AS DECIMAL(38,12))) FROM invoice_lines") == [["18.666666667000"]])

        // Everything converted: the unchanged file is skipped from now on.
        let fourth = try ingest()
        #expect(fourth.filesSkippedUnchanged == 1 && fourth.snapshot == nil)
    }
}
