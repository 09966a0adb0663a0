/// The reconciliation as plain lines for a terminal or a cron mail.
extension Reconciliation {
    package func text() -> String {
        var lines: [String] = []
        let window = (from ?? "start") + " .. " + (to ?? "end")
        lines.append(
            "reconcile: \(window), tolerance \(Reconciler.percent(tolerance)) and $\(String(fixed: minimumGapUSD, digits: 2)), "
                + (snapshot.map { "snapshot \($0)" } ?? "empty lake"))
        if days.isEmpty { lines.append("  no invoice lines in this window (ingest exports with homebase ingest --invoices DIR)") }
        for (title, rows) in [("per day", days), ("per month", months)] where !rows.isEmpty {
            lines.append("")
            lines.append(title + ":")
            lines.append(
                Reconciliation.columns(["provider", "period", "calls", "logged $", "priced $", "expected $", "invoiced $", "gap $", "gap %", ""]))
            for row in rows {
                lines.append(
                    Reconciliation.columns([
                        row.provider, row.period, String(row.calls), String(fixed: row.loggedUSD, digits: 4),
                        String(fixed: row.pricedUSD, digits: 4), String(fixed: row.expectedUSD, digits: 4),
                        row.invoicedUSD.map { $0.rounded(places: 4).description } ?? "-",
                        row.gapUSD.map { Reconciler.signed($0, digits: 4) } ?? "-",
                        row.gapPercent.map { Reconciler.signed($0, digits: 1) } ?? (row.gapUSD == nil ? "-" : "n/a"),
                        row.flagged ? "FLAG" : ""
                    ]))
                for reason in row.reasons { lines.append("    " + reason) }
            }
        }
        if !unexplainedInvoiceLines.isEmpty {
            lines.append("")
            lines.append("invoice lines no logged call explains:")
            for item in unexplainedInvoiceLines {
                lines.append(
                    "  \(item.provider) \(item.date) \(item.model ?? "(no model)"): \(item.lines) lines, $\(item.invoicedUSD), \(item.tokens) tokens (first at \(item.firstSource))"
                )
            }
        }
        if !uncoveredUsage.isEmpty {
            lines.append("")
            lines.append("logged usage no invoice covers:")
            for item in uncoveredUsage {
                let note =
                    item.isHole
                    ? "a hole inside the invoiced days: FLAG"
                    : item.insideInvoicedSpan ? "inside the invoiced days, but no tokens and no cost to bill" : "outside the exported days"
                lines.append(
                    "  \(item.provider) \(item.date): \(item.calls) calls, $\(String(fixed: item.costUSD, digits: 4)), \(item.tokens) tokens (\(note))"
                )
            }
        }
        if let currencies, !currencies.isEmpty {
            lines.append("")
            lines.append("billed in other currencies (converted at ingest with the charge day's rate from fx_rates):")
            for c in currencies {
                lines.append(
                    "  \(c.provider): \(c.lines) lines, \(c.billed.rounded(places: 4)) \(c.currency) = $\(c.usd.rounded(places: 4)) "
                        + "(rates of \(c.firstRateDate) … \(c.lastRateDate))")
            }
        }
        if !uninvoicedProviders.isEmpty {
            lines.append("")
            lines.append(
                "providers with logged calls and no invoice: "
                    + uninvoicedProviders.map { "\($0.provider) (\($0.calls) calls, $\(String(fixed: $0.costUSD, digits: 4)))" }.joined(
                        separator: ", "))
        }
        lines.append("")
        lines.append(flagged == 0 ? "ok: nothing over tolerance" : "warning: \(flagged) flagged (exit code 3)")
        return lines.joined(separator: "\n")
    }

    private static func columns(_ cells: [String]) -> String {
        let widths = [12, 10, 7, 11, 11, 11, 12, 11, 8, 4]
        return "  "
            + zip(cells, widths).enumerated().map { i, pair in
                let (cell, width) = pair
                let pad = String(repeating: " ", count: max(0, width - cell.count))
                return i < 2 ? cell + pad : pad + cell
            }.joined(separator: " ")
    }
}
