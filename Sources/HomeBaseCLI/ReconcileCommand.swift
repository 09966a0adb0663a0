import Foundation
import HomeBaseCore
import SQLiteStore
import Config
import Analytics
import Pipeline

/// `homebase reconcile`: provider invoices against logged usage, per provider per UTC day and month.
struct ReconcileCommand: Command {
    let name = "reconcile"
    let summary = "compare provider invoices with logged and priced usage"
    let help = """
        usage: homebase reconcile [--data DIR] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                                  [--tolerance 2%] [--min-gap USD] [--format text|json]

        Per provider, per UTC day and per month: calls, logged cost, priced cost, the cost used
        (logged, else priced), the invoiced cost (exact, from invoice_lines), the gap in $ and %
        and the token gap per class where the export has tokens. Also lists invoice lines that no
        logged call explains and logged days that no invoice covers. Ingest exports first with
        homebase ingest --invoices DIR; map relay providers or model spellings in
        <data>/model-aliases.json ({"models": {"from": "to"}, "providers": {"from": "to"}}).

          --data DIR        the lake (default: data_dir of --config FILE, $HOMEBASE_CONFIG
                            or ./homebase.json, else ./homebase-data)
          --from, --to      UTC dates, inclusive (default: everything)
          --tolerance PCT   relative gap allowed before flagging (default: the config's
                            alerts.reconciliation_gap_percent, else 2%)
          --min-gap USD     smallest cost gap worth flagging (default 0.01)
          --format FORMAT   text (default) or json

        exit codes: 0 nothing flagged, 1 failure, 2 usage, 3 something flagged
        """

    func run(_ arguments: [String], console: Console) throws -> ExitCode {
        let parsed = try ArgumentScanner.scan(arguments, spec: OptionSpec(valued: ["data", "from", "to", "tolerance", "min-gap", "format", "config"]))
        let format = parsed.value("format") ?? "text"
        guard ["text", "json"].contains(format) else { throw UsageError("--format must be text or json, got '\(format)'") }
        for name in ["from", "to"] {
            if let date = parsed.value(name), UTCDate.parseDate(date) == nil {
                throw UsageError("--\(name) expects a date YYYY-MM-DD, got '\(date)'")
            }
        }
        let config: HomeBaseConfig?
        do { config = try ConfigFlags.find(parsed) } catch { throw UsageError("\(error)") }
        // --tolerance, else the config's alerts.reconciliation_gap_percent (what nightly and analyze flag), else 2%.
        let tolerance =
            try parsed.value("tolerance").map { try ReconcileCommand.percent($0) }
            ?? (config?.alerts.reconciliationGapPercent ?? 2) / 100
        let minimumGap = parsed.value("min-gap").map { Double($0.trimmingCharacters(in: CharacterSet(charactersIn: "$"))) } ?? 0.01
        guard let minimumGap, minimumGap >= 0 else { throw UsageError("--min-gap expects dollars, e.g. 0.01") }
        let data = parsed.value("data") ?? config?.dataDir ?? "./homebase-data"
        guard FileManager.default.fileExists(atPath: data) else {
            throw UsageError("data directory \(data) does not exist (run homebase ingest first, or pass --data DIR)")
        }
        let result = try Reconciler.reconcile(
            dataDir: data, from: parsed.value("from"), to: parsed.value("to"),
            tolerance: tolerance, minimumGapUSD: minimumGap)
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            console.out(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            console.out(result.text())
        }
        return result.hasFlags ? .warnings : .success
    }

    /// `2%`, `2` (both 2 percent) or `0.5%` as a fraction.
    static func percent(_ text: String) throws(UsageError) -> Double {
        let number = text.hasSuffix("%") ? String(text.dropLast()) : text
        guard let value = Double(number), value >= 0, value.isFinite else {
            throw UsageError("--tolerance expects a percentage like 2%, got '\(text)'")
        }
        return value / 100
    }
}
