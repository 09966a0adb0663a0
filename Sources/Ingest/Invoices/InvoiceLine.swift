import HomeBaseCore
/// One row of `invoice_lines`: a charge or a usage quantity from a provider's invoice or usage
/// export, in FOCUS 1.x terms. Money is exact; times are epoch µs UTC, `[start, end)`.
package struct InvoiceLine: Sendable, Equatable {
    package var chargePeriodStart: Int64
    package var chargePeriodEnd: Int64
    /// Dollars (`billingCurrency` USD; see `sourceCurrency` for converted lines); nil on usage rows, which carry quantities but no money.
    package var billedCost: Money?
    package var billingCurrency = "USD"
    package var serviceProviderName: String
    package var chargeCategory = "Usage"
    package var chargeDescription: String?
    package var consumedQuantity: Double?
    package var consumedUnit: String?
    package var subAccountId: String?
    /// The model mapped to its API alias (see `ModelAliases`); `modelRaw` as the source spells it.
    package var model: String?
    package var modelRaw: String?
    package var tokenType: TokenType?
    package var apiKeyId: String?
    package var sourceFile: String
    package var sourceLine: Int64
    package var dataset: Dataset
    package var sourceFormat: InvoiceFormat
    package var generationId: String?
    package var hostProviderName: String?
    /// Set when the export billed in another currency: that currency and amount, the rate to USD
    /// used (dollars per unit) and the day it was published (the charge day or up to 7 days before).
    /// `billedCost` then holds the converted dollars and `billingCurrency` is `USD`.
    package var sourceCurrency: String?
    package var sourceBilledCost: Money?
    package var fxRateToUSD: Money?
    package var fxRateDate: String?

    /// Whether a row comes from a cost export (money) or a usage export (quantities only).
    package enum Dataset: String, Sendable, Codable {
        case cost, usage
    }

    package init(start: Int64, end: Int64, provider: String, file: String, line: Int64, dataset: Dataset, format: InvoiceFormat) {
        chargePeriodStart = start
        chargePeriodEnd = end
        serviceProviderName = provider
        sourceFile = file
        sourceLine = line
        self.dataset = dataset
        sourceFormat = format
    }

    /// `YYYY-MM-DD` (UTC) of the charge period start: the partition and the reconciliation day.
    package var date: String { UTCDate.dateString(micros: chargePeriodStart) }
}

/// Token classes that do not overlap, so invoices and logs add up the same way: `input` is
/// uncached input only (OpenAI's `input_tokens` minus cached and cache-write tokens).
package enum TokenType: String, Sendable, Codable, CaseIterable {
    case input = "Input"
    case cacheRead = "CacheRead"
    case cacheWrite = "CacheWrite"
    case cacheWrite5m = "CacheWrite5m"
    case cacheWrite1h = "CacheWrite1h"
    case output = "Output"
    /// A count of requests (unit `Requests`), not tokens.
    case requests = "Requests"
    /// Anything else billed: web search, audio or image tokens, tools.
    case other = "Other"

    /// The `requests` token column this class adds to, or nil when logs have no equivalent.
    package var loggedClass: String? {
        switch self {
        case .input: "input"
        case .cacheRead: "cache_read"
        case .cacheWrite, .cacheWrite5m, .cacheWrite1h: "cache_write"
        case .output: "output"
        case .requests, .other: nil
        }
    }
}

extension InvoiceLine {
    /// Appends one usage row per non-zero token class to `lines` (a copy of `self` each), or this
    /// row alone as an empty bucket when every class is zero, so the covered period stays known.
    func appendingTokens(_ classes: [(TokenType, Int64?)], to lines: inout [InvoiceLine]) {
        var any = false
        for (type, count) in classes {
            guard let count, count != 0 else { continue }
            var row = self
            row.tokenType = type
            row.consumedQuantity = Double(count)
            row.consumedUnit = type == .requests ? "Requests" : "Tokens"
            lines.append(row)
            any = true
        }
        if !any {
            var empty = self
            empty.chargeDescription = empty.chargeDescription ?? "no usage in this period"
            lines.append(empty)
        }
    }

    /// Sets `model` and `modelRaw` from a source spelling.
    mutating func setModel(_ raw: String?, _ aliases: ModelAliases) {
        guard let raw = raw?.nonBlank else { return }
        modelRaw = raw
        model = aliases.model(raw)
    }
}
