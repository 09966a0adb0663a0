import Foundation
import HomeBaseCore

/// The invoice and usage export formats `homebase ingest --invoices` reads, recognised from the
/// content (JSON keys, CSV header), never from the file name alone.
package enum InvoiceFormat: String, Sendable, Codable, CaseIterable {
    case openAICostsJSON = "openai-costs-json"
    case openAIUsageJSON = "openai-usage-json"
    case openAICostsCSV = "openai-costs-csv"
    case openAIUsageCSV = "openai-usage-csv"
    case anthropicCostJSON = "anthropic-cost-json"
    case anthropicUsageJSON = "anthropic-usage-json"
    case anthropicCostCSV = "anthropic-cost-csv"
    case anthropicUsageCSV = "anthropic-usage-csv"
    case openRouterActivityCSV = "openrouter-activity-csv"
    case focusCSV = "focus-csv"

    /// The provider as `ServiceProviderName` (FOCUS rows carry their own).
    package var provider: String {
        switch self {
        case .openAICostsJSON, .openAIUsageJSON, .openAICostsCSV, .openAIUsageCSV: "OpenAI"
        case .anthropicCostJSON, .anthropicUsageJSON, .anthropicCostCSV, .anthropicUsageCSV: "Anthropic"
        case .openRouterActivityCSV: "OpenRouter"
        case .focusCSV: ""
        }
    }

    /// The CSV format a header names, or nil. Column sets, not positions: exports reorder and add columns.
    package static func detect(csvHeader header: [String]) -> InvoiceFormat? {
        let columns = Set(header.map { $0.trimmingCharacters(in: .whitespaces) })
        func has(_ names: String...) -> Bool { names.allSatisfy(columns.contains) }
        if has("BilledCost", "ChargePeriodStart") { return .focusCSV }
        if has("generation_id", "cost_total") { return .openRouterActivityCSV }
        if has("start_time", "amount_value") { return .openAICostsCSV }
        if has("start_time", "input_tokens") || has("start_time", "num_model_requests") { return .openAIUsageCSV }
        if has("usage_date_utc", "cost_usd") { return .anthropicCostCSV }
        if has("usage_date_utc", "usage_output_tokens") || has("usage_date_utc", "usage_input_tokens_no_cache") { return .anthropicUsageCSV }
        return nil
    }

    /// The JSON format of one result object of a cost/usage page, or nil.
    package static func detect(jsonResult result: JSONValue) -> InvoiceFormat? {
        if let object = result["object"]?.stringValue {
            if object == "organization.costs.result" { return .openAICostsJSON }
            if object.hasPrefix("organization.usage.") { return .openAIUsageJSON }
        }
        if case .object = result["amount"] ?? .null { return .openAICostsJSON }
        if result["amount"] != nil && result["currency"] != nil { return .anthropicCostJSON }
        if result["uncached_input_tokens"] != nil || result["cache_read_input_tokens"] != nil { return .anthropicUsageJSON }
        if result["input_tokens"] != nil && result["num_model_requests"] != nil { return .openAIUsageJSON }
        return nil
    }
}
