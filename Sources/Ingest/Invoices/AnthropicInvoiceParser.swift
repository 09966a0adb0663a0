import HomeBaseCore
import SQLiteStore
/// Anthropic's cost report and messages usage report (Admin API JSON), and the Console usage
/// and cost CSV exports. The API's `amount` is a decimal string in **cents**; the Console's
/// `cost_usd` is dollars. Anthropic's token classes are already disjoint.
enum AnthropicInvoiceParser {
    // MARK: Admin API JSON

    static func costResult(
        _ result: JSONValue, bucketStart: Int64, bucketEnd: Int64, path: String, ordinal: Int64,
        aliases: ModelAliases, into lines: inout [InvoiceLine]
    ) throws(InvoiceRowError) {
        guard let cents = try InvoiceValue.money(result["amount"], field: "amount") else { throw InvoiceRowError("amount is missing") }
        var row = InvoiceLine(
            start: bucketStart, end: bucketEnd, provider: "Anthropic", file: path, line: ordinal,
            dataset: .cost, format: .anthropicCostJSON)
        row.billedCost = cents.shifted(left: 2)
        row.billingCurrency = (InvoiceValue.string(result["currency"]) ?? "USD").uppercased()
        row.chargeDescription = InvoiceValue.string(result["description"])
        row.setModel(InvoiceValue.string(result["model"]), aliases)
        row.subAccountId = InvoiceValue.string(result["workspace_id"])
        row.tokenType = InvoiceValue.string(result["token_type"]).map(apiTokenType) ?? .other
        lines.append(row)
    }

    static func usageResult(
        _ result: JSONValue, bucketStart: Int64, bucketEnd: Int64, path: String, ordinal: Int64,
        aliases: ModelAliases, into lines: inout [InvoiceLine]
    ) throws(InvoiceRowError) {
        var row = InvoiceLine(
            start: bucketStart, end: bucketEnd, provider: "Anthropic", file: path, line: ordinal,
            dataset: .usage, format: .anthropicUsageJSON)
        row.setModel(InvoiceValue.string(result["model"]), aliases)
        row.subAccountId = InvoiceValue.string(result["workspace_id"])
        row.apiKeyId = InvoiceValue.string(result["api_key_id"])
        func count(_ value: JSONValue?, _ name: String) throws(InvoiceRowError) -> Int64? { try InvoiceValue.count(value, field: name) }
        let creation = result["cache_creation"]
        let first = lines.count
        row.appendingTokens(
            [
                (.input, try count(result["uncached_input_tokens"], "uncached_input_tokens")),
                (.cacheRead, try count(result["cache_read_input_tokens"], "cache_read_input_tokens")),
                (.cacheWrite5m, try count(creation?["ephemeral_5m_input_tokens"], "cache_creation.ephemeral_5m_input_tokens")),
                (.cacheWrite1h, try count(creation?["ephemeral_1h_input_tokens"], "cache_creation.ephemeral_1h_input_tokens")),
                (.output, try count(result["output_tokens"], "output_tokens")),
                (.other, try count(result["server_tool_use"]?["web_search_requests"], "server_tool_use.web_search_requests"))
            ], to: &lines)
        // Web searches are requests, not tokens.
        for i in lines.indices[first...] where lines[i].tokenType == .other { lines[i].consumedUnit = "Web Search Requests" }
    }

    static func apiTokenType(_ name: String) -> TokenType {
        switch name {
        case "uncached_input_tokens": .input
        case "output_tokens": .output
        case "cache_read_input_tokens": .cacheRead
        case "cache_creation.ephemeral_5m_input_tokens": .cacheWrite5m
        case "cache_creation.ephemeral_1h_input_tokens": .cacheWrite1h
        default: .other
        }
    }

    // MARK: Console CSV

    static func usageCSV(_ records: CSVRecordStream, path: String, aliases: ModelAliases) -> InvoiceParseResult {
        InvoiceParseResult.eachRow(records, format: .anthropicUsageCSV) { row, lines throws(InvoiceRowError) in
            let (start, end) = try period(row["usage_date_utc"])
            var base = InvoiceLine(
                start: start, end: end, provider: "Anthropic", file: path, line: row.line,
                dataset: .usage, format: .anthropicUsageCSV)
            base.setModel(row["model_version"].nonBlank ?? row["model"].nonBlank, aliases)
            base.apiKeyId = row["api_key"].nonBlank
            base.subAccountId = row["workspace"].nonBlank
            func count(_ name: String) throws(InvoiceRowError) -> Int64? { try InvoiceValue.count(row[name], column: name) }
            let first = lines.count
            base.appendingTokens(
                [
                    (.input, try count("usage_input_tokens_no_cache")),
                    (.cacheWrite5m, try count("usage_input_tokens_cache_write_5m")),
                    (.cacheWrite1h, try count("usage_input_tokens_cache_write_1h")),
                    (.cacheWrite, try count("usage_input_tokens_cache_write")),  // older exports: one write column
                    (.cacheRead, try count("usage_input_tokens_cache_read")),
                    (.output, try count("usage_output_tokens")),
                    (.other, try count("web_search_count"))
                ], to: &lines)
            for i in lines.indices[first...] where lines[i].tokenType == .other { lines[i].consumedUnit = "Web Search Requests" }
        }
    }

    static func costCSV(_ records: CSVRecordStream, path: String, aliases: ModelAliases) -> InvoiceParseResult {
        InvoiceParseResult.eachRow(records, format: .anthropicCostCSV) { row, lines throws(InvoiceRowError) in
            let (start, end) = try period(row["usage_date_utc"])
            var line = InvoiceLine(
                start: start, end: end, provider: "Anthropic", file: path, line: row.line,
                dataset: .cost, format: .anthropicCostCSV)
            guard let cost = try InvoiceValue.money(row["cost_usd"], column: "cost_usd") else {
                throw InvoiceRowError("cost_usd is empty")
            }
            line.billedCost = cost
            line.setModel(row["model"].nonBlank ?? row["model_version"].nonBlank, aliases)
            line.subAccountId = row["workspace"].nonBlank
            line.apiKeyId = row["api_key_id"].nonBlank ?? row["api_key"].nonBlank
            let tokenType = row["token_type"].trimmedSpaces
            line.tokenType = consoleTokenType(tokenType)
            line.chargeDescription =
                [row["model"].nonBlank, tokenType.nonBlank, row["cost_type"].nonBlank]
                .compactMap { $0 }.joined(separator: ", ").nonBlank
            lines.append(line)
        }
    }

    static func consoleTokenType(_ name: String) -> TokenType {
        switch name {
        case "input_no_cache": .input
        case "input_cache_read": .cacheRead
        case "input_cache_write_5m": .cacheWrite5m
        case "input_cache_write_1h": .cacheWrite1h
        case "input_cache_write": .cacheWrite
        case "output": .output
        default: .other
        }
    }

    /// `2026-03-31` is a day; `2026-03-31 02:00` an hour (a minute when the minutes are not 00).
    static func period(_ text: String) throws(InvoiceRowError) -> (Int64, Int64) {
        let start = try InvoiceValue.time(text, column: "usage_date_utc")
        let trimmed = text.trimmedSpaces
        let length: Int64 = trimmed.count <= 10 ? 86_400_000_000 : (trimmed.hasSuffix(":00") && trimmed.count == 16 ? 3_600_000_000 : 60_000_000)
        return (start, start + length)
    }
}
