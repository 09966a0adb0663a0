import Ingest
/// The result of `homebase reconcile`: per provider, per UTC day and month, what the logs say
/// the calls cost against what the provider's invoice or usage export says, with the gaps flagged.
/// Codable so `analysis.json` can embed it as it is.
package struct Reconciliation: Codable, Sendable, Equatable {
    package var from: String?
    package var to: String?
    /// Relative tolerance (0.02 = 2%); a cost gap also has to reach `minimumGapUSD` to be flagged.
    package var tolerance: Double
    package var minimumGapUSD: Double
    package var snapshot: Int64?
    package var days: [Row] = []
    package var months: [Row] = []
    package var unexplainedInvoiceLines: [UnexplainedLines] = []
    package var uncoveredUsage: [UncoveredUsage] = []
    /// Providers with logged calls but no invoice line at all in the window (not flagged: nothing to compare).
    package var uninvoicedProviders: [ProviderUsage] = []
    /// Flagged days + months + unexplained invoice groups + uncovered days inside an invoiced span.
    package var flagged = 0
    /// Invoices billed in other currencies, per provider and currency, as converted at ingest
    /// (docs/invoices.md#currencies); nil in analyses written before it existed.
    package var currencies: [SourceCurrency]?

    /// What one provider billed in one other currency and what that came to in dollars.
    package struct SourceCurrency: Codable, Sendable, Equatable {
        package var provider: String
        package var currency: String
        package var lines: Int
        /// Σ amounts as billed (`x_SourceBilledCost`) and Σ their dollars (`BilledCost`), exact.
        package var billed: Money
        package var usd: Money
        /// The first and last day whose rate was used (`x_FxRateDate`).
        package var firstRateDate: String
        package var lastRateDate: String

        enum CodingKeys: String, CodingKey {
            case provider
            case currency
            case lines
            case billed
            case usd
            case firstRateDate = "first_rate_date"
            case lastRateDate = "last_rate_date"
        }
    }

    /// One provider on one day (`period` `YYYY-MM-DD`) or month (`YYYY-MM`).
    package struct Row: Codable, Sendable, Equatable {
        package var provider: String
        package var period: String
        /// Days summed (1 for a day row; for a month, the days the invoice covers).
        package var days: Int
        package var calls: Int
        /// Σ logged cost (cost_logged_usd), Σ priced cost (cost_priced_usd), Σ cost used (cost_usd).
        package var loggedUSD: Double
        package var pricedUSD: Double
        package var expectedUSD: Double
        /// Exact Σ BilledCost of usage charges, nil when the provider's export for that day has no money.
        package var invoicedUSD: Money?
        /// Σ BilledCost of other charge categories (tax, credits, adjustments), not compared.
        package var otherChargesUSD: Money?
        /// invoiced − expected, and that as a percentage of the invoice (of expected when invoiced is 0).
        package var gapUSD: Double?
        package var gapPercent: Double?
        package var tokens: [TokenGap] = []
        package var flagged = false
        package var reasons: [String] = []

        /// snake_case in JSON, like the rest of analysis.json.
        enum CodingKeys: String, CodingKey {
            case provider
            case period
            case days
            case calls
            case loggedUSD = "logged_usd"
            case pricedUSD = "priced_usd"
            case expectedUSD = "expected_usd"
            case invoicedUSD = "invoiced_usd"
            case otherChargesUSD = "other_charges_usd"
            case gapUSD = "gap_usd"
            case gapPercent = "gap_percent"
            case tokens
            case flagged
            case reasons
        }
    }

    /// Logged vs invoiced tokens of one class (`input`, `cache_read`, `cache_write`, `output`).
    package struct TokenGap: Codable, Sendable, Equatable {
        package var tokenClass: String
        package var logged: Int64
        package var invoiced: Int64
        package var gap: Int64
        package var gapPercent: Double?

        /// snake_case in JSON, like the rest of analysis.json.
        enum CodingKeys: String, CodingKey {
            case tokenClass = "token_class"
            case logged
            case invoiced
            case gap
            case gapPercent = "gap_percent"
        }
    }

    /// Invoice lines of one provider, day and model for which no logged call exists.
    package struct UnexplainedLines: Codable, Sendable, Equatable {
        package var provider: String
        package var date: String
        package var model: String?
        package var lines: Int
        package var invoicedUSD: Money
        package var tokens: Int64
        /// `file:line` of the first such line, to find it in the export.
        package var firstSource: String

        /// snake_case in JSON, like the rest of analysis.json.
        enum CodingKeys: String, CodingKey {
            case provider
            case date
            case model
            case lines
            case invoicedUSD = "invoiced_usd"
            case tokens
            case firstSource = "first_source"
        }
    }

    /// Logged calls of an invoiced provider on a day no invoice line covers.
    package struct UncoveredUsage: Codable, Sendable, Equatable {
        package var provider: String
        package var date: String
        package var calls: Int
        package var costUSD: Double
        package var tokens: Int64
        /// True when the day lies between the provider's first and last invoiced day (a hole: flagged
        /// unless ``billable`` is false).
        package var insideInvoicedSpan: Bool

        /// Whether the day's calls used tokens or cost anything; failed calls with neither leave nothing
        /// to bill, so a day of only those is listed but not flagged.
        package var billable: Bool { tokens != 0 || costUSD != 0 }
        /// A hole in the invoice: inside the invoiced days and billable.
        package var isHole: Bool { insideInvoicedSpan && billable }

        /// snake_case in JSON, like the rest of analysis.json.
        enum CodingKeys: String, CodingKey {
            case provider
            case date
            case calls
            case costUSD = "cost_usd"
            case tokens
            case insideInvoicedSpan = "inside_invoiced_span"
        }
    }

    package struct ProviderUsage: Codable, Sendable, Equatable {
        package var provider: String
        package var calls: Int
        package var costUSD: Double

        /// snake_case in JSON, like the rest of analysis.json.
        enum CodingKeys: String, CodingKey {
            case provider
            case calls
            case costUSD = "cost_usd"
        }
    }

    package var hasFlags: Bool { flagged > 0 }

    /// snake_case in JSON, like the rest of analysis.json.
    enum CodingKeys: String, CodingKey {
        case from
        case to
        case tolerance
        case minimumGapUSD = "minimum_gap_usd"
        case snapshot
        case days
        case months
        case unexplainedInvoiceLines = "unexplained_invoice_lines"
        case uncoveredUsage = "uncovered_usage"
        case uninvoicedProviders = "uninvoiced_providers"
        case flagged
    }
}
