import Foundation
import Testing
@testable import HomeBaseCore
@testable import Ingest

/// Logs and an invoice written by hand so that every gap is known in advance (worked out in the
/// comments); reconciled by ReconcileTests and rendered by the report tests.
enum ReconcileFixture {
    /// Epoch ms of 10:00 UTC on 2026-03-`day`.
    static func ms(_ day: Int64) -> Int64 { (UTCDate.days(year: 2026, month: 3, day: day) * 86_400 + 36_000) * 1000 }
    static func entry(_ day: Int64) -> String { UTCDate.isoString(micros: ms(day) * 1000 + 2_000_000) }

    static func call(
        _ id: String, day: Int64, provider: String = "anthropic", model: String = "claude-sonnet-4-5",
        input: Int, output: Int, cost: String
    ) -> String {
        Lines.assistant(id, ms: ms(day), entry: entry(day), provider: provider, model: model, input: input, output: output, cost: cost)
    }

    /// Logged (anthropic, claude-sonnet-4-5 unless said):
    ///   03-01 two calls $1.00 + $0.50, input 1000 + 500, output 100 + 50; one ollama call ($0, no invoice at all)
    ///   03-02 one call logged $0 → priced (100000×3 + 20000×15)/1e6 = $0.60
    ///   03-03 $1.00 · 03-04 $0.40 · 03-05 $0.25 · 03-06 $0.10 (input 200, output 10) · 03-09 $0.70
    static let session =
        [
            Lines.header,
            call("c1", day: 1, input: 1000, output: 100, cost: "1.00"),
            call("c2", day: 1, input: 500, output: 50, cost: "0.50"),
            call("o1", day: 1, provider: "ollama", model: "qwen3:8b", input: 10, output: 10, cost: "0"),
            call("c3", day: 2, input: 100_000, output: 20_000, cost: "0"),
            call("c4", day: 3, input: 10, output: 10, cost: "1.00"),
            call("c5", day: 4, input: 10, output: 10, cost: "0.40"),
            call("c6", day: 5, input: 10, output: 10, cost: "0.25"),
            call("c7", day: 6, input: 200, output: 10, cost: "0.10"),
            call("c8", day: 9, input: 10, output: 10, cost: "0.70")
        ].joined(separator: "\n") + "\n"

    /// Invoiced (FOCUS, Anthropic), by day:
    ///   03-01 Input 1500 tok $0.90 + Output 150 tok $0.60 = $1.50   → gap 0, tokens equal: ok
    ///   03-02 $0.61 (no token rows)                                  → +0.01 = 1.64% of 0.61 < 2%: ok
    ///   03-03 $1.20                                                  → +0.20 = 16.67%: FLAG
    ///   03-04 sonnet $0.40 + opus-4-1 $0.30 (no opus call logged)    → +0.30 = 42.86%: FLAG, opus unexplained
    ///   03-05 nothing, but logs have $0.25 inside the invoiced span  → uncovered hole: FLAG
    ///   03-06 Input 100 tok $0.08 + Output 10 tok $0.02 = $0.10      → cost ok, input −100 of 200 logged: FLAG
    ///   03-09 logs only, after the last invoiced day                 → uncovered, not flagged
    /// Month 2026-03 over the 5 invoiced days: expected 1.50 + 0.60 + 1.00 + 0.40 + 0.10 = 3.60, invoiced
    /// 1.50 + 0.61 + 1.20 + 0.70 + 0.10 = 4.11, gap +0.51 = 12.41%: FLAG. Flagged: 3 days + 1 month + 1 + 1 = 6.
    static let focus = """
        BilledCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ChargeDescription,ConsumedQuantity,ConsumedUnit,ServiceProviderName,x_Model,x_TokenType
        0.90,USD,2026-03-01T00:00:00Z,2026-03-02T00:00:00Z,Usage,sonnet input,1500,Tokens,Anthropic,claude-sonnet-4-5-20250929,Input
        0.60,USD,2026-03-01T00:00:00Z,2026-03-02T00:00:00Z,Usage,sonnet output,150,Tokens,Anthropic,claude-sonnet-4-5-20250929,Output
        0.61,USD,2026-03-02T00:00:00Z,2026-03-03T00:00:00Z,Usage,sonnet,,,Anthropic,claude-sonnet-4-5-20250929,
        1.20,USD,2026-03-03T00:00:00Z,2026-03-04T00:00:00Z,Usage,sonnet,,,Anthropic,claude-sonnet-4-5-20250929,
        0.40,USD,2026-03-04T00:00:00Z,2026-03-05T00:00:00Z,Usage,sonnet,,,Anthropic,claude-sonnet-4-5-20250929,
        0.30,USD,2026-03-04T00:00:00Z,2026-03-05T00:00:00Z,Usage,opus,,,Anthropic,claude-opus-4-1-20250805,
        0.08,USD,2026-03-06T00:00:00Z,2026-03-07T00:00:00Z,Usage,sonnet input,100,Tokens,Anthropic,Claude Sonnet 4.5,Input
        0.02,USD,2026-03-06T00:00:00Z,2026-03-07T00:00:00Z,Usage,sonnet output,10,Tokens,Anthropic,Claude Sonnet 4.5,Output

        """

    /// The hand-written session and invoice, ingested into a fresh lake.
    static func lake() throws -> IngestFixture {
        let fixture = IngestFixture()
        try fixture.write(ReconcileFixture.session)
        let invoices = fixture.dir.path + "/invoices"
        try FileManager.default.createDirectory(atPath: invoices, withIntermediateDirectories: true)
        try ReconcileFixture.focus.write(toFile: invoices + "/bill.csv", atomically: true, encoding: .utf8)
        var options = IngestOptions(
            dataDir: fixture.dataDir, openclawDirs: [fixture.stateDir], gatewayDirs: [], parallelism: 1,
            now: { 1_800_000_000_000_000 })
        options.invoiceDirs = [invoices]
        let summary = try Ingestor(options: options).run()
        #expect(summary.calls == 9 && summary.invoiceLines == 8 && summary.quarantinedLines == 0)
        return fixture
    }
}
