import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Lake
@testable import Ingest
@testable import Analytics
@testable import Generate
@testable import TestSupport

/// The invoices `homebase generate` writes: they match the logs except for the seeded gaps in
/// `invoice-gaps.json`, and reconciliation finds exactly those.
@Suite struct GeneratedInvoiceTests {
    @Test func aWeekendChargeInEURIsWrittenWithFridaysRate() throws {
        // 2026-06-05 is day 20609, a Friday ((20609 + 3) mod 7 = 4); its rate is
        // 1.0800 + (20609 × 37 mod 251) / 10000 = 1.0800 + 0.0246 = 1.1046. Saturday 2026-06-06 has no rate.
        let rates = InvoiceWriter.eurRates(from: 20609, to: 20610)
        #expect(rates.map(\.date) == ["2026-06-05"])
        #expect(rates.first?.rateToUSD == Money("1.1046"))
        let dir = TemporaryDirectory("homebase-invoice-writer")
        defer { dir.remove() }
        let options = GeneratorOptions(days: 2, agents: 1, callsPerDay: 1, seed: 1, endDay: 20610)
        let key = InvoiceUsage.Key(day: 20610, provider: "google", model: "gemini-2.5-flash")
        var usage = InvoiceUsage()
        usage.calls = 1
        usage.input = 1000
        usage.costInput = 1_000_000_000_000_000  // $1
        try InvoiceWriter.write([key: usage], options: options, outDir: dir.path)
        let focus = try String(contentsOfFile: dir.path + "/invoices/focus-google-eur.csv", encoding: .utf8)
        // 1 / 1.1046 = 0.90530508781459…, 12 decimals half-even.
        #expect(
            focus.split(separator: "\n").dropFirst().map(String.init) == [
                "0.905305087815,EUR,2026-06-06T00:00:00Z,2026-06-07T00:00:00Z,Usage,gemini-2.5-flash Input Tokens,1000,Tokens,Google,"
                    + "Demo Reseller GmbH,acct-homebase,Input Tokens,gemini-2.5-flash,Input"
            ])
    }

    @Test func reconciliationFindsExactlyTheSeededGaps() throws {
        let options = GenerateFixture.options(days: 30, agents: 3, callsPerDay: 12, seed: 5)
        let (dir, _) = try GenerateFixture.generate(options)
        defer { dir.remove() }
        let data = dir.path + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)

        let rateFile = try FXRateFile.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: dir.path + "/fx-rates.csv"))), path: "fx-rates.csv")
        #expect(rateFile.format == .homeBase && rateFile.bad.isEmpty && !rateFile.rates.isEmpty)
        _ = try FXRateTable.save(rateFile.rates, database: Catalog(dataDir: data).database, nowMicros: 1)

        var ingest = IngestOptions(
            dataDir: data, openclawDirs: [dir.path + "/openclaw"], gatewayDirs: [], parallelism: 2, now: { 1_800_000_000_000_000 })
        ingest.invoiceDirs = [dir.path + "/invoices"]
        let summary = try Ingestor(options: ingest).run()
        #expect(summary.invoiceFiles == 4 && summary.filesIgnored.isEmpty && summary.filesUnreadable.isEmpty)

        let gaps = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path + "/invoice-gaps.json"))) as? [String: Any])
        let list = try #require(gaps["gaps"] as? [[String: Any]])
        let byKind = Dictionary(uniqueKeysWithValues: list.map { ($0["kind"] as? String ?? "", $0) })
        let missingDay = try #require(byKind["missing_day"]?["date"] as? String)
        let priceDates = try #require(byKind["price_change"]?["dates"] as? [String])
        let unloggedDay = try #require(byKind["unlogged_key"]?["date"] as? String)
        #expect(!priceDates.isEmpty)

        let result = try Reconciler.reconcile(dataDir: data, tolerance: 0.02, minimumGapUSD: 0)
        // A missing day: logged usage inside the invoiced span with no invoice line.
        #expect(result.uncoveredUsage.filter(\.insideInvoicedSpan).map { "\($0.provider) \($0.date)" } == ["openai \(missingDay)"])
        // An unlogged key: OpenRouter lines no logged call explains, on that day only.
        #expect(result.unexplainedInvoiceLines.map { "\($0.provider) \($0.date)" } == ["openrouter \(unloggedDay)"])
        #expect(result.unexplainedInvoiceLines.first?.invoicedUSD == Money("1.05"))
        // Day rows flagged: the price change (Anthropic output at 1.5×) and the unlogged key's day, nothing else.
        let flaggedDays = Set(result.days.filter(\.flagged).map { "\($0.provider) \($0.period)" })
        #expect(flaggedDays == Set(priceDates.map { "anthropic \($0)" } + ["openrouter \(unloggedDay)"]))
        // Every provider invoiced, the EUR one included, and its days all within tolerance.
        #expect(Set(result.days.map(\.provider)) == ["anthropic", "google", "openai", "openrouter"])
        let google = result.days.filter { $0.provider == "google" }
        #expect(!google.isEmpty && google.allSatisfy { abs($0.gapUSD ?? 1) < 1e-9 })
        // The EUR invoice is summarised: its dollars are the Google spend of the logs; its euros are fewer (every rate is above 1.08).
        let eur = try #require(result.currencies?.first)
        let googleExpected = google.reduce(0) { $0 + $1.expectedUSD }
        #expect(result.currencies?.count == 1 && eur.provider == "google" && eur.currency == "EUR")
        #expect(eur.usd == google.compactMap(\.invoicedUSD).reduce(Money.zero, +))
        // expectedUSD is rounded to micro-dollars per day: at most 0.5e-6 off each.
        #expect(
            abs(eur.usd.doubleValue - googleExpected) <= 5e-7 * Double(google.count) && eur.billed.doubleValue < eur.usd.doubleValue / 1.08 + 1e-9)
        #expect(result.text().contains("google: \(eur.lines) lines, \(eur.billed.rounded(places: 4)) EUR = $"))
    }
}
