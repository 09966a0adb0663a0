import HomeBaseCore
import SQLiteStore
/// OpenAI's Costs API and Usage API (completions) pages, and the dashboard CSV exports of both,
/// which flatten the same fields. Costs are dollars (number or string); `input_tokens` includes
/// cached and cache-write tokens, so `Input` here is what is left after subtracting them.
enum OpenAIInvoiceParser {
    // MARK: Costs

    static func costsCSV(_ records: CSVRecordStream, path: String, aliases: ModelAliases) -> InvoiceParseResult {
        InvoiceParseResult.eachRow(records, format: .openAICostsCSV) { row, lines throws(InvoiceRowError) in
            let start = try InvoiceValue.time(row["start_time"], column: "start_time")
            let end = try InvoiceValue.time(row["end_time"], column: "end_time")
            try cost(
                start: start, end: end, amount: InvoiceValue.money(row["amount_value"], column: "amount_value"),
                currency: row["amount_currency"], lineItem: row["line_item"].nonBlank, project: row["project_id"].nonBlank,
                apiKey: row["api_key_id"].nonBlank, quantity: InvoiceValue.money(row["quantity"], column: "quantity", lakeDecimal: false),
                unit: row["quantity_unit"].nonBlank, path: path, line: row.line, format: .openAICostsCSV, aliases: aliases, into: &lines)
        }
    }

    static func costsResult(
        _ result: JSONValue, bucketStart: Int64, bucketEnd: Int64, path: String, ordinal: Int64,
        aliases: ModelAliases, into lines: inout [InvoiceLine]
    ) throws(InvoiceRowError) {
        guard case .object = result["amount"] ?? .null else { throw InvoiceRowError("amount is missing") }
        try cost(
            start: bucketStart, end: bucketEnd, amount: InvoiceValue.money(result["amount"]?["value"], field: "amount.value"),
            currency: InvoiceValue.string(result["amount"]?["currency"]) ?? "usd", lineItem: InvoiceValue.string(result["line_item"]),
            project: InvoiceValue.string(result["project_id"]), apiKey: InvoiceValue.string(result["api_key_id"]),
            quantity: InvoiceValue.money(result["quantity"], field: "quantity", lakeDecimal: false),
            unit: InvoiceValue.string(result["quantity_unit"]),
            path: path, line: ordinal, format: .openAICostsJSON, aliases: aliases, into: &lines)
    }

    private static func cost(
        start: Int64, end: Int64, amount: Money?, currency: String, lineItem: String?, project: String?,
        apiKey: String?, quantity: Money?, unit: String?, path: String, line: Int64, format: InvoiceFormat,
        aliases: ModelAliases, into lines: inout [InvoiceLine]
    ) throws(InvoiceRowError) {
        var row = InvoiceLine(start: start, end: end, provider: "OpenAI", file: path, line: line, dataset: .cost, format: format)
        row.billedCost = amount ?? .zero
        row.billingCurrency = currency.isEmpty ? "USD" : currency.uppercased()
        row.subAccountId = project
        row.apiKeyId = apiKey
        if let lineItem {
            row.chargeDescription = lineItem
            let (model, type) = parseLineItem(lineItem)
            row.setModel(model, aliases)
            row.tokenType = type
        } else if amount == nil {
            row.chargeDescription = "no costs in this period"
        }
        if let quantity {
            row.consumedQuantity = try InvoiceValue.quantity(quantity, column: "quantity")
            row.consumedUnit = unit.map(unitName) ?? (row.tokenType.map { $0 == .other ? nil : "Tokens" } ?? nil)
        }
        lines.append(row)
    }

    /// `"gpt-4.1-2025-04-14, cached input"` → model and token class; the last comma splits them.
    /// Labels that are not `<model>, input|cached input|output` (tools, audio, evals) are `Other`.
    static func parseLineItem(_ label: String) -> (model: String?, type: TokenType) {
        guard let comma = label.lastIndex(of: ",") else { return (nil, .other) }
        let model = String(label[..<comma]).trimmedSpaces
        let direction = String(label[label.index(after: comma)...]).trimmedSpaces.lowercased()
        let plain = !model.isEmpty && !model.contains(" ")
        switch direction {
        case "input" where plain: return (model, .input)
        case "cached input" where plain: return (model, .cacheRead)
        case "cache write", "cached write", "cache write input":
            return (plain ? model : nil, plain ? .cacheWrite : .other)
        case "output" where plain: return (model, .output)
        default:
            // `gpt-4o audio`, `evals | gpt-4o`: the word that looks like a model id.
            return (model.split(separator: " ").first { $0.contains("-") }.map(String.init), .other)
        }
    }

    private static func unitName(_ unit: String) -> String {
        switch unit {
        case "tokens": "Tokens"
        case "1000_tokens": "1000 Tokens"
        default: unit
        }
    }

    // MARK: Usage (completions)

    static func usageCSV(_ records: CSVRecordStream, path: String, aliases: ModelAliases) -> InvoiceParseResult {
        InvoiceParseResult.eachRow(records, format: .openAIUsageCSV) { row, lines throws(InvoiceRowError) in
            let start = try InvoiceValue.time(row["start_time"], column: "start_time")
            let end = try InvoiceValue.time(row["end_time"], column: "end_time")
            func count(_ name: String) throws(InvoiceRowError) -> Int64? { try InvoiceValue.count(row[name], column: name) }
            try usage(
                start: start, end: end, input: count("input_tokens"), cached: count("input_cached_tokens"),
                uncached: count("input_uncached_tokens"), cacheWrite: count("input_cache_write_tokens"),
                output: count("output_tokens"), requests: count("num_model_requests"), model: row["model"].nonBlank,
                project: row["project_id"].nonBlank, apiKey: row["api_key_id"].nonBlank, path: path, line: row.line,
                format: .openAIUsageCSV, aliases: aliases, into: &lines)
        }
    }

    static func usageResult(
        _ result: JSONValue, bucketStart: Int64, bucketEnd: Int64, path: String, ordinal: Int64,
        aliases: ModelAliases, into lines: inout [InvoiceLine]
    ) throws(InvoiceRowError) {
        func count(_ name: String) throws(InvoiceRowError) -> Int64? { try InvoiceValue.count(result[name], field: name) }
        try usage(
            start: bucketStart, end: bucketEnd, input: count("input_tokens"), cached: count("input_cached_tokens"),
            uncached: count("input_uncached_tokens"), cacheWrite: count("input_cache_write_tokens"),
            output: count("output_tokens"), requests: count("num_model_requests"), model: InvoiceValue.string(result["model"]),
            project: InvoiceValue.string(result["project_id"]), apiKey: InvoiceValue.string(result["api_key_id"]),
            path: path, line: ordinal, format: .openAIUsageJSON, aliases: aliases, into: &lines)
    }

    private static func usage(
        start: Int64, end: Int64, input: Int64?, cached: Int64?, uncached: Int64?, cacheWrite: Int64?,
        output: Int64?, requests: Int64?, model: String?, project: String?, apiKey: String?,
        path: String, line: Int64, format: InvoiceFormat, aliases: ModelAliases,
        into lines: inout [InvoiceLine]
    ) throws(InvoiceRowError) {
        var row = InvoiceLine(start: start, end: end, provider: "OpenAI", file: path, line: line, dataset: .usage, format: format)
        row.setModel(model, aliases)
        row.subAccountId = project
        row.apiKeyId = apiKey
        let cachedTokens = cached ?? 0, writeTokens = cacheWrite ?? 0
        let plainInput = uncached ?? ((input ?? 0) - cachedTokens - writeTokens)
        guard plainInput >= 0 else {
            throw InvoiceRowError(
                "input_tokens \(input ?? 0) is less than input_cached_tokens \(cachedTokens) + input_cache_write_tokens \(writeTokens)")
        }
        row.appendingTokens(
            [
                (.input, plainInput), (.cacheRead, cachedTokens), (.cacheWrite, writeTokens),
                (.output, output), (.requests, requests)
            ], to: &lines)
    }
}
