import Foundation
import Testing
@testable import SQLiteStore
@testable import Lake
@testable import Ingest
@testable import Analytics
@testable import Generate
@testable import HomeBaseCLI
@testable import TestSupport

/// Logs and an invoice written by hand so that every gap is known in advance (worked out in the
/// comments), ingested together, then reconciled through the API and the command line.
@Suite(.serialized) struct ReconcileTests {
    @Test func knownGapsAreFlagged() throws {
        let fixture = try ReconcileFixture.lake()
        defer { fixture.remove() }
        let r = try Reconciler.reconcile(dataDir: fixture.dataDir)
        let days = Dictionary(uniqueKeysWithValues: r.days.map { ($0.period, $0) })
        #expect(r.days.map(\.provider) == Array(repeating: "anthropic", count: 5))
        #expect(r.days.map(\.period) == ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-06"])
        #expect(r.days.filter(\.flagged).map(\.period) == ["2026-03-03", "2026-03-04", "2026-03-06"])

        let first = try #require(days["2026-03-01"])
        #expect(first.calls == 2 && first.loggedUSD == 1.5 && first.expectedUSD == 1.5 && first.invoicedUSD == Money("1.50"))
        #expect(first.pricedUSD == 0.00675)  // (1500×3 + 150×15)/1e6
        #expect(first.gapUSD == 0 && first.gapPercent == 0)
        #expect(first.tokens.map { [$0.logged, $0.invoiced] } == [[1500, 1500], [0, 0], [0, 0], [150, 150]])

        let second = try #require(days["2026-03-02"])
        #expect(second.loggedUSD == 0 && second.pricedUSD == 0.6 && second.expectedUSD == 0.6)
        #expect(second.gapUSD == 0.01 && second.gapPercent == 1.639 && !second.flagged && second.tokens.isEmpty)

        #expect(days["2026-03-03"]?.gapUSD == 0.2 && days["2026-03-03"]?.gapPercent == 16.667)
        #expect(days["2026-03-04"]?.gapUSD == 0.3 && days["2026-03-04"]?.gapPercent == 42.857)
        let sixth = try #require(days["2026-03-06"])
        #expect(sixth.gapUSD == 0 && sixth.reasons.count == 1 && sixth.reasons[0].hasPrefix("input tokens -100"))

        let month = try #require(r.months.first)
        #expect(r.months.count == 1 && month.period == "2026-03" && month.days == 5 && month.calls == 6)
        #expect(month.expectedUSD == 3.6 && month.invoicedUSD == Money("4.11") && month.gapUSD == 0.51 && month.gapPercent == 12.409)
        #expect(month.flagged)

        #expect(r.unexplainedInvoiceLines.map { "\($0.date) \($0.model ?? "-") \($0.invoicedUSD)" } == ["2026-03-04 claude-opus-4-1 0.3"])
        #expect(r.uncoveredUsage.map { "\($0.date) \($0.insideInvoicedSpan)" } == ["2026-03-05 true", "2026-03-09 false"])
        #expect(r.uninvoicedProviders == [.init(provider: "ollama", calls: 1, costUSD: 0)])
        #expect(r.flagged == 6)

        // A looser tolerance: 03-03 (16.7%) and the month (12.4%; input tokens 1600 vs 1700 = 5.9%) pass.
        let loose = try Reconciler.reconcile(dataDir: fixture.dataDir, tolerance: 0.20)
        #expect(loose.days.filter(\.flagged).map(\.period) == ["2026-03-04", "2026-03-06"])
        #expect(loose.flagged == 4)
    }

    @Test func aDayOfOnlyEmptyFailedCallsIsNoHole() {
        // Inside the invoiced days but no tokens and no cost (e.g. prompt errors): nothing to bill, listed, not flagged.
        let empty = Reconciliation.UncoveredUsage(provider: "google", date: "2026-05-09", calls: 1, costUSD: 0, tokens: 0, insideInvoicedSpan: true)
        #expect(!empty.billable && !empty.isHole)
        var used = empty
        used.tokens = 12
        #expect(used.isHole)
        used.insideInvoicedSpan = false
        #expect(!used.isHole)
    }

    @Test func commandExitCodesAndJSON() throws {
        let fixture = try ReconcileFixture.lake()
        defer { fixture.remove() }
        let console = Console.capturing()
        #expect(CommandLineTool.run(["reconcile", "--data", fixture.dataDir, "--format", "json"], console: console) == .warnings)
        let json = try #require(JSONSerialization.jsonObject(with: Data(console.capturedOut.utf8)) as? [String: Any])
        #expect(json["flagged"] as? Int == 6)
        #expect((json["days"] as? [[String: Any]])?.first?["invoiced_usd"] as? String == "1.5")
        // One clean day: nothing flagged, exit 0; the text names the provider and the day.
        let quiet = Console.capturing()
        #expect(
            CommandLineTool.run(["reconcile", "--data", fixture.dataDir, "--from", "2026-03-01", "--to", "2026-03-02"], console: quiet) == .success)
        #expect(quiet.capturedOut.contains("anthropic    2026-03-01") && quiet.capturedOut.contains("ok: nothing over tolerance"))
        #expect(CommandLineTool.run(["reconcile", "--data", fixture.dataDir, "--tolerance", "x"], console: .capturing()) == .usage)
        #expect(CommandLineTool.run(["reconcile", "--data", fixture.dataDir, "--from", "March"], console: .capturing()) == .usage)
    }
}

/// A generated fleet, an invoice written by DuckDB from the lake's own per-provider-day cost, with
/// three days tampered with: exactly those days must come out flagged, and nothing else.
@Suite(.serialized) struct ReconcileGeneratedTests {
    @Test func onlyTamperedDaysAreFlagged() throws {
        let fixture = IngestFixture()
        defer { fixture.remove() }
        let options = GeneratorOptions(days: 20, agents: 3, callsPerDay: 15, seed: 5, endDay: 20_600, targetMB: nil)
        _ = try OpenClawGenerator.generate(options, outDir: fixture.dir.path)
        _ = try fixture.ingest()
        // DuckDB: per provider and day, Σ cost_usd to 9 decimals; the costliest day of the costliest
        // provider +10%, its second costliest −6%, and a day in the middle of its span left out.
        let catalog = try Catalog(dataDir: fixture.dataDir, readOnly: true)
        let parts = try catalog.liveParts(table: "requests").map { fixture.dataDir + "/" + $0.path }
        // Not invoices/: the generator writes its own invoices there.
        let invoice = fixture.dir.path + "/tampered/focus.csv"
        try FileManager.default.createDirectory(atPath: fixture.dir.path + "/tampered", withIntermediateDirectories: true)
        let tampered = try PythonOracle.run(
            """
            import sys, duckdb, decimal, json
            con = duckdb.connect()
            rows = con.execute(f"SELECT provider, CAST(date AS VARCHAR) d, sum(cost_usd) c FROM read_parquet({sys.argv[2:]!r}, hive_partitioning=true) GROUP BY 1, 2 ORDER BY 1, 2").fetchall()
            totals = {}
            for p, d, c in rows: totals[p] = totals.get(p, 0) + c
            top = max(totals, key=totals.get)
            days = sorted((r for r in rows if r[0] == top), key=lambda r: -r[2])
            up, down = days[0][1], days[1][1]
            span = sorted(r[1] for r in rows if r[0] == top)
            middle = [d for d in span[len(span)//2:] if d not in (up, down)][0]
            with open(sys.argv[1], 'w') as f:
                f.write('BilledCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ServiceProviderName\\n')
                for p, d, c in rows:
                    if p == top and d == middle: continue
                    amount = decimal.Decimal(repr(c)) * (decimal.Decimal('1.10') if (p, d) == (top, up) else decimal.Decimal('0.94') if (p, d) == (top, down) else 1)
                    f.write(f"{amount.quantize(decimal.Decimal('0.000000001'))},USD,{d}T00:00:00Z,{d}T23:59:59Z,Usage,{p}\\n")
            print(json.dumps({'provider': top.lower(), 'flagged': sorted([up, down]), 'hole': middle, 'rows': len(rows) - 1}))
            """, [invoice] + parts)
        let expected = try #require(JSONSerialization.jsonObject(with: Data(tampered.utf8)) as? [String: Any])
        var ingest = IngestOptions(dataDir: fixture.dataDir, openclawDirs: [], gatewayDirs: [], parallelism: 1, now: { 1_800_000_000_000_000 })
        ingest.invoiceDirs = [fixture.dir.path + "/tampered"]
        let summary = try Ingestor(options: ingest).run()
        #expect(summary.invoiceLines == expected["rows"] as? Int && summary.quarantinedLines == 0)

        let r = try Reconciler.reconcile(dataDir: fixture.dataDir)
        let provider = try #require(expected["provider"] as? String)
        #expect(
            r.days.filter(\.flagged).map { "\($0.provider) \($0.period)" } == (expected["flagged"] as? [String] ?? []).map { "\(provider) \($0)" })
        #expect(r.uncoveredUsage.filter(\.insideInvoicedSpan).map(\.date) == [expected["hole"] as? String ?? "?"])
        #expect(r.unexplainedInvoiceLines.isEmpty)
        // Every untampered day agrees to the micro-dollar (the invoice was rounded to 9 decimals).
        for row in r.days where !row.flagged { #expect(abs(row.gapUSD ?? 1) <= 1e-6, "\(row.provider) \(row.period)") }
        let ten = try #require(r.days.first { $0.period == (expected["flagged"] as? [String])?.first && $0.provider == provider })
        #expect(ten.gapPercent == 9.091 || ten.gapPercent == -6.383)  // +10% of x is 1/11 of 1.1x; −6% is −6/94
    }
}
