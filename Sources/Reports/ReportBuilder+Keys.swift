import HomeBaseCore
import Analytics
import Render

/// The per-key usage table and the credential rotation audit trail (issue 25).
extension ReportBuilder {
    func keyUsageSection() -> Content? {
        guard let section = analysis.keys, !section.keys.isEmpty else { return nil }
        var paragraphs = [
            "Month to date \(section.from) to \(section.to). Spend is what invoices naming the key billed (USD lines), "
                + "else the cost of the logged calls of the agents the key serves (config credentials.agents)."
        ]
        let unknown = section.keys.filter { !$0.in_inventory }.map(\.key_id)
        if !unknown.isEmpty { paragraphs.append("On invoices but not in the inventory: " + unknown.joined(separator: ", ") + ".") }
        if section.unattributed_invoice_lines > 0 {
            paragraphs.append("\(section.unattributed_invoice_lines) invoice lines name no key.")
        }
        let rows: [[ReportCell]] = section.keys.map { k in
            [
                .text(k.key_id), .text(k.provider), .integer(Int64(k.logged_calls)), .integer(Int64(k.rate_limit_errors)),
                k.invoiced_calls.map { .integer(Int64($0)) } ?? .empty, .money(k.logged_cost_usd, currency: "USD"),
                k.invoiced_usd.map { .money($0, currency: "USD") } ?? .empty,
                k.monthly_limit_usd.map { .money($0, currency: "USD") } ?? .empty,
                k.percent_used.map { .percent($0 / 100, places: 1) } ?? .empty, .text(k.status)
            ]
        }
        return Content(
            paragraphs: paragraphs,
            tables: [
                ReportTable(
                    title: "Usage per API key (\(section.month))",
                    columns: [
                        ReportColumn("Key"), ReportColumn("Provider"), ReportColumn("Logged calls", alignment: .right),
                        ReportColumn("Rate-limit errors", alignment: .right), ReportColumn("Invoiced calls", alignment: .right),
                        ReportColumn("Logged cost", alignment: .right), ReportColumn("Invoiced", alignment: .right),
                        ReportColumn("Monthly limit", alignment: .right), ReportColumn("Used", alignment: .right), ReportColumn("Status")
                    ], rows: rows)
            ])
    }

    func credentialAuditSection() -> Content? {
        guard let audit = analysis.credential_audit, !audit.keys.isEmpty else { return nil }
        let last = audit.imports.last.map { " The last import was from \($0.source) at \($0.imported_at)." } ?? ""
        let counts = CredentialAudit.severity.compactMap { status -> String? in
            let n = audit.keys.filter { $0.status == status }.count
            return n == 0 ? nil : "\(n) \(status.replacingOccurrences(of: "_", with: " "))"
        }
        let paragraphs = [
            "\(audit.keys.count) secrets in \(audit.imports.count) kept imports: " + counts.joined(separator: ", ") + "." + last
        ]
        let rows: [[ReportCell]] = audit.keys.map { row in
            let rotations = row.rotations.map { r in r.date + (r.days_late.map { $0 > 0 ? " (+\($0) d)" : "" } ?? "") }
            return [
                .text(row.source), .text(row.name), .text(row.status),
                .text(rotations.isEmpty ? "never" : rotations.joined(separator: ", ")),
                row.rotate_after_days.map { .integer(Int64($0)) } ?? .empty,
                row.due.flatMap(UTCDate.parseDate).map { .date($0) } ?? .empty,
                row.days_overdue.map { .integer(Int64($0)) } ?? .empty,
                UTCDate.parseDate(row.last_seen).map { .date($0) } ?? .empty
            ]
        }
        return Content(
            paragraphs: paragraphs,
            tables: [
                ReportTable(
                    title: "Credential rotation audit",
                    columns: [
                        ReportColumn("Source"), ReportColumn("Secret"), ReportColumn("Status"), ReportColumn("Rotations (days late)"),
                        ReportColumn("Every (days)", alignment: .right), ReportColumn("Due"), ReportColumn("Days overdue", alignment: .right),
                        ReportColumn("Last seen")
                    ], rows: rows)
            ])
    }
}
