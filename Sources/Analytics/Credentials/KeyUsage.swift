import Foundation
import HomeBaseCore
import Lake
import Parquet
import Config
import Ingest

/// Spend, calls and rate-limit errors per API key for the month of `now` (the month the
/// keys' `monthly_limit_usd` apply to), from the two places a key shows up:
///
/// - invoices that name the key (`x_ApiKeyId`: OpenRouter `api_key_name`, Anthropic key name or id,
///   OpenAI `api_key_id`; else the OpenAI project `SubAccountId`), summed per UTC day of the month;
/// - the logs: OpenClaw records which auth profile served a call only in gateway failover lines,
///   not per call, and auth profiles are kept per agent, so a key's logged calls are those its
///   inventory entry claims: `provider` plus `agents` (all agents when empty).
package struct KeyUsageSection: Codable, Sendable, Equatable {
    /// `YYYY-MM`: the month counted (month to date of `now`).
    package var month = ""
    package var from = ""
    package var to = ""
    /// Inventory keys first (config order), then keys seen only on invoices (by provider and name).
    package var keys: [KeyUsage] = []
    /// Invoice lines of the month that name no key (Console usage, exports without key columns).
    package var unattributed_invoice_lines = 0
    package init() {}
}

/// One key's month to date.
package struct KeyUsage: Codable, Sendable, Equatable {
    package var key_id: String
    package var provider: String
    /// False for a key seen on an invoice that the config's `credentials` do not list.
    package var in_inventory: Bool
    /// The agents whose calls count as this key's (empty: every agent of the provider).
    package var agents: [String] = []
    package var logged_calls = 0
    package var logged_errors = 0
    package var rate_limit_errors = 0
    package var logged_cost_usd = 0.0
    /// Other inventory keys that claim some of the same calls (same provider and agent).
    package var shared_with: [String] = []
    /// USD usage charges on invoice lines naming the key; nil when no cost line names it.
    package var invoiced_usd: Double?
    /// Requests the invoices count for the key (OpenRouter: one line per generation; usage exports:
    /// `Requests` rows); nil when no line counts requests.
    package var invoiced_calls: Int?
    package var invoice_lines = 0
    /// Lines billed in another currency, not added to `invoiced_usd`.
    package var non_usd_lines = 0
    package var monthly_limit_usd: Double?
    /// `invoiced_usd` when there is one (what the provider bills), else `logged_cost_usd`.
    package var spend_usd = 0.0
    /// `invoice` or `logs`.
    package var spend_source = "logs"
    package var percent_used: Double?
    /// `ok`, `near` (at or above the `alerts.budget_percent` threshold), `over`, or `no_limit`.
    package var status = "no_limit"

    package init(key_id: String, provider: String, in_inventory: Bool) {
        self.key_id = key_id
        self.provider = provider
        self.in_inventory = in_inventory
    }
}

extension KeyUsageSection {
    /// What one invoice line adds to a key.
    struct InvoiceFigures {
        var usd = Money.zero
        var hasCost = false
        var calls = 0
        var countsCalls = false
        var lines = 0
        var nonUSD = 0
    }

    /// Invoice lines of `from...to` (UTC dates) per (provider, key name).
    static func invoiceFigures(dataDir: String, asOf: Int64?, from: String, to: String) throws -> (
        figures: [String: [String: InvoiceFigures]], unattributed: Int
    ) {
        let scan = try LakeScan(dataDir: dataDir, table: .invoiceLines, asOf: asOf, from: from, to: to)
        guard !scan.parts.isEmpty else { return ([:], 0) }
        let aliases = try ModelAliases.load(dataDir: dataDir)
        let names = [
            "ServiceProviderName", "BilledCost", "BillingCurrency", "ChargeCategory", "x_TokenType", "ConsumedQuantity", "x_Dataset",
            "x_ApiKeyId", "SubAccountId", "x_GenerationId"
        ]
        var figures: [String: [String: InvoiceFigures]] = [:]
        var unattributed = 0
        try scan.forEachPart(columns: names) { _, c in
            for row in 0..<(c.first?.count ?? 0) {
                guard let rawProvider = c[0].string(row) else { continue }
                guard let key = c[7].string(row)?.nonBlank ?? c[8].string(row)?.nonBlank else {
                    unattributed += 1
                    continue
                }
                let provider = aliases.provider(rawProvider)
                var f = figures[provider]?[key] ?? InvoiceFigures()
                f.lines += 1
                let isCost = c[6].string(row) == InvoiceLine.Dataset.cost.rawValue
                if isCost, (c[3].string(row) ?? "Usage") == "Usage", let text = c[1].string(row), let money = Money(text) {
                    if (c[2].string(row) ?? "USD").uppercased() == "USD" {
                        f.usd += money
                        f.hasCost = true
                    } else {
                        f.nonUSD += 1
                    }
                    // OpenRouter's activity export is one line per generation: one call each.
                    if c[9].string(row) != nil {
                        f.calls += 1
                        f.countsCalls = true
                    }
                }
                if !isCost, c[4].string(row) == TokenType.requests.rawValue, let quantity = c[5].double(row), quantity.isFinite {
                    f.calls += Int(quantity.rounded())
                    f.countsCalls = true
                }
                figures[provider, default: [:]][key] = f
            }
        }
        return (figures, unattributed)
    }
}

extension String {
    fileprivate var nonBlank: String? {
        let trimmed = trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }
}
