import SQLiteStore
/// Any FOCUS 1.x cost-and-usage CSV (the FinOps open standard; AWS, Azure and GCP export it, and
/// users convert other bills to it). Columns by name; `ServiceProviderName` (1.3) falls back to
/// `ProviderName` (≤ 1.2). The token class comes from `x_TokenType` or else from `SkuMeter`.
enum FocusInvoiceParser {
    static func costCSV(_ records: CSVRecordStream, path: String, aliases: ModelAliases) -> InvoiceParseResult {
        InvoiceParseResult.eachRow(records, format: .focusCSV) { row, lines throws(InvoiceRowError) in
            let start = try InvoiceValue.time(row["ChargePeriodStart"], column: "ChargePeriodStart")
            var end = start + 86_400_000_000
            if row["ChargePeriodEnd"].nonBlank != nil { end = try InvoiceValue.time(row["ChargePeriodEnd"], column: "ChargePeriodEnd") }
            guard end >= start else { throw InvoiceRowError("ChargePeriodEnd is before ChargePeriodStart") }
            guard let cost = try InvoiceValue.money(row["BilledCost"], column: "BilledCost") else {
                throw InvoiceRowError("BilledCost is empty (FOCUS requires it)")
            }
            let provider = row["ServiceProviderName"].nonBlank ?? row["ProviderName"].nonBlank ?? row["InvoiceIssuerName"].nonBlank
            guard let provider else { throw InvoiceRowError("no ServiceProviderName, ProviderName or InvoiceIssuerName") }
            var line = InvoiceLine(start: start, end: end, provider: provider, file: path, line: row.line, dataset: .cost, format: .focusCSV)
            line.billedCost = cost
            line.billingCurrency = row["BillingCurrency"].nonBlank?.uppercased() ?? "USD"
            line.chargeCategory = row["ChargeCategory"].nonBlank ?? "Usage"
            line.chargeDescription = row["ChargeDescription"].nonBlank
            if let quantity = try InvoiceValue.money(row["ConsumedQuantity"], column: "ConsumedQuantity", lakeDecimal: false) {
                line.consumedQuantity = try InvoiceValue.quantity(quantity, column: "ConsumedQuantity")
            }
            line.consumedUnit = row["ConsumedUnit"].nonBlank
            line.subAccountId = row["SubAccountId"].nonBlank
            line.setModel(row["x_Model"].nonBlank, aliases)
            line.apiKeyId = row["x_ApiKeyId"].nonBlank
            line.hostProviderName = row["HostProviderName"].nonBlank ?? row["PublisherName"].nonBlank
            line.generationId = row["x_GenerationId"].nonBlank
            if let type = row["x_TokenType"].nonBlank {
                line.tokenType = TokenType(rawValue: type) ?? tokenType(meter: type)
            } else if let meter = row["SkuMeter"].nonBlank {
                line.tokenType = tokenType(meter: meter)
            }
            lines.append(line)
        }
    }

    /// `Input Tokens`, `Cache Read Input Tokens`, `Output Tokens`, `Cache Write 1h Input Tokens`, … → class.
    static func tokenType(meter: String) -> TokenType {
        let m = meter.lowercased()
        if m.contains("cache") && m.contains("read") { return .cacheRead }
        if m.contains("cache") && (m.contains("write") || m.contains("creation")) {
            return m.contains("1h") ? .cacheWrite1h : m.contains("5m") ? .cacheWrite5m : .cacheWrite
        }
        if m.contains("output") || m.contains("completion") { return .output }
        if m.contains("input") || m.contains("prompt") { return .input }
        return .other
    }
}
