import SQLiteStore
/// OpenRouter's activity export: one row per generation, with its cost (USD credits) and
/// tokens. `created_at` has no zone and is UTC. Each generation gives one cost row (quantity 1
/// request, keyed by `generation_id`) and usage rows: `Input` = prompt − cached, `CacheRead`
/// = cached, `Output` = completion (reasoning tokens are inside completion, so not added again).
enum OpenRouterInvoiceParser {
    static func activityCSV(_ records: CSVRecordStream, path: String, aliases: ModelAliases) -> InvoiceParseResult {
        InvoiceParseResult.eachRow(records, format: .openRouterActivityCSV) { row, lines throws(InvoiceRowError) in
            guard let id = row["generation_id"].nonBlank else { throw InvoiceRowError("generation_id is empty") }
            let start = try InvoiceValue.time(row["created_at"], column: "created_at")
            let generationMillis = try InvoiceValue.count(row["generation_time_ms"], column: "generation_time_ms") ?? 0
            guard let cost = try InvoiceValue.money(row["cost_total"], column: "cost_total") else { throw InvoiceRowError("cost_total is empty") }
            func count(_ name: String) throws(InvoiceRowError) -> Int64 { try InvoiceValue.count(row[name], column: name) ?? 0 }
            let prompt = try count("tokens_prompt"), cached = try count("tokens_cached"), completion = try count("tokens_completion")
            guard cached <= prompt else { throw InvoiceRowError("tokens_cached \(cached) exceeds tokens_prompt \(prompt)") }
            var base = InvoiceLine(
                start: start, end: start + max(0, generationMillis) * 1000, provider: "OpenRouter", file: path,
                line: row.line, dataset: .cost, format: .openRouterActivityCSV)
            base.setModel(row["model_permaslug"].nonBlank ?? row["model"].nonBlank, aliases)
            base.apiKeyId = row["api_key_name"].nonBlank
            base.generationId = id
            base.hostProviderName = row["provider_name"].nonBlank
            var charge = base
            charge.billedCost = cost
            charge.chargeDescription = "generation " + id
            charge.tokenType = .requests
            charge.consumedQuantity = 1
            charge.consumedUnit = "Requests"
            lines.append(charge)
            var usage = base
            usage.dataset = .usage
            let first = lines.count
            usage.appendingTokens([(.input, prompt - cached), (.cacheRead, cached), (.output, completion)], to: &lines)
            // A generation with no tokens at all is already covered by its cost row.
            if lines.count == first + 1 && lines[first].tokenType == nil { lines.removeLast() }
        }
    }
}
