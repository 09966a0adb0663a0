import HomeBaseCore
import Ingest

/// What the counted calls of one UTC day, provider and model add up to: the basis of the
/// generated invoices. Costs are exact, in 1e-15 USD (as the transcripts log them).
package struct InvoiceUsage: Sendable, Equatable {
    package struct Key: Hashable, Comparable, Sendable {
        package var day: Int64
        package var provider: String
        package var model: String

        package static func < (a: Key, b: Key) -> Bool { (a.day, a.provider, a.model) < (b.day, b.provider, b.model) }
    }

    package var calls = 0
    package var input: Int64 = 0, output: Int64 = 0, cacheRead: Int64 = 0, cacheWrite: Int64 = 0
    package var costInput: Int64 = 0, costOutput: Int64 = 0, costCacheRead: Int64 = 0, costCacheWrite: Int64 = 0
    package var cost: Int64 { costInput + costOutput + costCacheRead + costCacheWrite }

    mutating func add(_ draft: CallDraft) {
        calls += 1
        input += draft.input; output += draft.output; cacheRead += draft.cacheRead; cacheWrite += draft.cacheWrite
        costInput += draft.costInput; costOutput += draft.costOutput
        costCacheRead += draft.costCacheRead; costCacheWrite += draft.costCacheWrite
    }

    func adding(_ other: InvoiceUsage) -> InvoiceUsage {
        var sum = self
        sum.calls += other.calls
        sum.input += other.input; sum.output += other.output; sum.cacheRead += other.cacheRead; sum.cacheWrite += other.cacheWrite
        sum.costInput += other.costInput; sum.costOutput += other.costOutput
        sum.costCacheRead += other.costCacheRead; sum.costCacheWrite += other.costCacheWrite
        return sum
    }
}

/// Writes the provider invoices that match the generated logs, except for three seeded gaps
/// recorded in `<out>/invoice-gaps.json`:
///
/// - `invoices/openai-costs.csv` (OpenAI dashboard cost export, USD) lacks one day of usage;
/// - `invoices/anthropic-cost-report.json` (Admin API cost report, cents) bills output tokens at
///   1.5 times the logged price from one day to the end;
/// - `invoices/openrouter-activity.csv` (activity export) adds generations of an API key and model
///   the agents never logged;
/// - `invoices/focus-google-eur.csv` (FOCUS 1.2, a reseller billing Google in **EUR**) matches
///   exactly once converted with `fx-rates.csv` (`date,currency,rate_to_usd`, TARGET business
///   days only, so weekend charges take Friday's rate).
enum InvoiceWriter {
    static let priceChangeFactor = (numerator: Int64(3), denominator: Int64(2))
    static let unloggedKey = "ci-runner-unlogged"
    static let unloggedModel = "mistralai/mistral-large-2411"

    static func write(_ usage: [InvoiceUsage.Key: InvoiceUsage], options: GeneratorOptions, outDir: String) throws {
        let dir = outDir + "/invoices"
        try FileOutput.makeDirectories(dir)
        let keys = usage.keys.sorted()
        let days = Array(options.startDay...options.endDay)
        // The seeded gaps, placed by day index so any period has them.
        let openAIDays = Set(keys.filter { $0.provider == "openai" }.map(\.day)).sorted()
        let missingDay = openAIDays.first { $0 >= options.startDay + Int64(options.days / 2) } ?? openAIDays.last
        let priceChangeFrom = options.startDay + Int64(options.days * 2 / 3)
        let unloggedDay = options.startDay + Int64(options.days / 3)

        let rates = eurRates(from: options.startDay - 7, to: options.endDay)
        try FileOutput.write(Array(rateCSV(rates).utf8), to: outDir + "/fx-rates.csv")
        let rateTable = FXRateTable(rates)

        var openAI =
            "start_time,end_time,start_time_iso,end_time_iso,amount_value,amount_currency,line_item,project_id,organization_id,organization_name\n"
        var anthropicBuckets: [String] = []
        var openRouter =
            "generation_id,created_at,cost_total,generation_time_ms,model_permaslug,provider_name,api_key_name,tokens_prompt,tokens_completion,tokens_cached\n"
        var focus =
            "BilledCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ChargeDescription,ConsumedQuantity,ConsumedUnit,"
            + "ServiceProviderName,InvoiceIssuerName,SubAccountId,SkuMeter,x_Model,x_TokenType\n"
        var generation = 0
        for day in days {
            let start = day * 86_400, end = start + 86_400
            let date = UTCDate.dateString(days: day), next = UTCDate.dateString(days: day + 1)
            var anthropicResults: [String] = []
            for key in keys where key.day == day {
                guard let u = usage[key] else { continue }
                switch key.provider {
                case "openai" where day != missingDay:
                    for (label, cost) in [("input", u.costInput + u.costCacheWrite), ("cached input", u.costCacheRead), ("output", u.costOutput)]
                    where cost != 0 {
                        openAI +=
                            "\(start),\(end),\(date)T00:00:00Z,\(next)T00:00:00Z,\(dollars(cost)),usd,\"\(key.model), \(label)\",proj_homebase,org-demo,Demo Org\n"
                    }
                case "anthropic":
                    var output = u.costOutput
                    if day >= priceChangeFrom { output = output * priceChangeFactor.numerator / priceChangeFactor.denominator }
                    for (type, cost) in [
                        ("uncached_input_tokens", u.costInput), ("cache_read_input_tokens", u.costCacheRead),
                        ("cache_creation.ephemeral_5m_input_tokens", u.costCacheWrite), ("output_tokens", output)
                    ] where cost != 0 {
                        // Cents: 1e-15 USD = 1e-13 cents.
                        let cents = Money(units: Int128(cost), scale: 13).description
                        anthropicResults.append(
                            "{\"amount\":\"\(cents)\",\"currency\":\"USD\",\"cost_type\":\"tokens\",\"model\":\"\(key.model)\",\"token_type\":\"\(type)\","
                                + "\"description\":\"\(key.model) \(type)\",\"workspace_id\":null,\"service_tier\":\"standard\"}")
                    }
                case "openrouter":
                    generation += 1
                    openRouter +=
                        "gen-demo-\(String(generation, radix: 10)),\(date) 12:00:00.000,\(dollars(u.cost)),\(1000 * u.calls),\(key.model),Demo Host,homebase-agents,"
                        + "\(u.input + u.cacheRead + u.cacheWrite),\(u.output),\(u.cacheRead)\n"
                case "google":
                    for (meter, type, tokens, cost) in [
                        ("Input Tokens", "Input", u.input + u.cacheWrite, u.costInput + u.costCacheWrite),
                        ("Cache Read Input Tokens", "CacheRead", u.cacheRead, u.costCacheRead),
                        ("Output Tokens", "Output", u.output, u.costOutput)
                    ] where tokens != 0 || cost != 0 {
                        guard let rate = rateTable.rate("EUR", on: date),
                            let euros = Money(units: Int128(cost), scale: 15).divided(by: rate.rateToUSD, places: 12)
                        else { continue }
                        focus +=
                            "\(euros),EUR,\(date)T00:00:00Z,\(next)T00:00:00Z,Usage,\(key.model) \(meter),\(tokens),Tokens,Google,Demo Reseller GmbH,"
                            + "acct-homebase,\(meter),\(key.model),\(type)\n"
                    }
                default: break
                }
            }
            if day == unloggedDay {
                for k in 0..<3 {
                    generation += 1
                    openRouter +=
                        "gen-demo-\(generation),\(date) 0\(k + 3):15:00.000,0.35,2400,\(unloggedModel),Mistral,\(unloggedKey),12000,1500,0\n"
                }
            }
            if !anthropicResults.isEmpty {
                anthropicBuckets.append(
                    "{\"starting_at\":\"\(date)T00:00:00Z\",\"ending_at\":\"\(next)T00:00:00Z\",\"results\":[\(anthropicResults.joined(separator: ","))]}"
                )
            }
        }
        let anthropic = "{\"data\":[" + anthropicBuckets.joined(separator: ",\n") + "],\"has_more\":false,\"next_page\":null}\n"
        try FileOutput.write(Array(openAI.utf8), to: dir + "/openai-costs.csv")
        try FileOutput.write(Array(anthropic.utf8), to: dir + "/anthropic-cost-report.json")
        try FileOutput.write(Array(openRouter.utf8), to: dir + "/openrouter-activity.csv")
        try FileOutput.write(Array(focus.utf8), to: dir + "/focus-google-eur.csv")

        var gaps: [String] = []
        if let missingDay {
            gaps.append(
                "{\"kind\":\"missing_day\",\"provider\":\"openai\",\"date\":\"\(UTCDate.dateString(days: missingDay))\",\"file\":\"invoices/openai-costs.csv\"}"
            )
        }
        let changed = keys.filter { $0.provider == "anthropic" && $0.day >= priceChangeFrom && (usage[$0]?.costOutput ?? 0) != 0 }.map(\.day)
        gaps.append(
            "{\"kind\":\"price_change\",\"provider\":\"anthropic\",\"token_class\":\"output\",\"factor\":1.5,\"from\":\"\(UTCDate.dateString(days: priceChangeFrom))\","
                + "\"dates\":[\(Array(Set(changed)).sorted().map { "\"\(UTCDate.dateString(days: $0))\"" }.joined(separator: ","))],\"file\":\"invoices/anthropic-cost-report.json\"}"
        )
        gaps.append(
            "{\"kind\":\"unlogged_key\",\"provider\":\"openrouter\",\"date\":\"\(UTCDate.dateString(days: unloggedDay))\",\"api_key\":\"\(unloggedKey)\","
                + "\"model\":\"\(unloggedModel)\",\"generations\":3,\"cost_usd\":\"1.05\",\"file\":\"invoices/openrouter-activity.csv\"}")
        try FileOutput.write(Array(("{\"gaps\":[\n" + gaps.joined(separator: ",\n") + "\n]}\n").utf8), to: outDir + "/invoice-gaps.json")
    }

    /// 1e-15 USD as exact dollars text.
    static func dollars(_ femto: Int64) -> String { Money(units: Int128(femto), scale: 15).description }

    /// A made-up EUR rate for every TARGET business day (Monday to Friday) in `from...to`.
    static func eurRates(from: Int64, to: Int64) -> [FXRateTable.Rate] {
        (from...to).compactMap { day in
            // 1970-01-01 was a Thursday: weekday 0 = Monday.
            let weekday = (day + 3).floorDivided(by: 7).1
            guard weekday < 5 else { return nil }
            let rate = Money(units: Int128(10_800 + (day * 37).floorDivided(by: 251).1), scale: 4)
            return FXRateTable.Rate(date: UTCDate.dateString(days: day), currency: "EUR", rateToUSD: rate, source: "generate")
        }
    }

    static func rateCSV(_ rates: [FXRateTable.Rate]) -> String {
        "date,currency,rate_to_usd\n" + rates.map { "\($0.date),\($0.currency),\($0.rateToUSD)\n" }.joined()
    }
}
