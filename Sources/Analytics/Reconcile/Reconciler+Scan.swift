import Parquet
import Lake
import Ingest

/// The two sides of a reconciliation, summed per provider and UTC day from the lake.
extension Reconciler {
    struct DayKey: Hashable, Comparable {
        var provider: String
        var date: String
        static func < (a: DayKey, b: DayKey) -> Bool { (a.provider, a.date) < (b.provider, b.date) }
    }

    /// What invoices say about one provider-day.
    struct InvoiceDay {
        var hasCost = false
        var cost = Money.zero
        var otherCharges = Money.zero
        /// Tokens per logged class, from usage rows when the day has any, else from cost rows.
        var usageTokens: [String: Int64]?
        var costTokens: [String: Int64]?
        var models: [String?: ModelLines] = [:]
        var tokens: [String: Int64]? { usageTokens ?? costTokens }
    }

    struct ModelLines {
        var count = 0
        var cost = Money.zero
        var tokens: Int64 = 0
        var firstSource = ""
        /// Lines that bill something (money or tokens); empty-bucket rows explain nothing and need no log.
        var matters: Bool { !cost.isZero || tokens != 0 }
    }

    /// What the logs say about one provider-day.
    struct LoggedDay {
        var calls = 0
        var logged = 0.0
        var priced = 0.0
        var expected = 0.0
        /// Per `tokenClasses` entry, in that order.
        var tokenCounts = [Int64](repeating: 0, count: Reconciler.tokenClasses.count)
        var models: Set<String> = []
        /// Tokens per class (every class once the day has a call).
        var tokens: [String: Int64] { calls == 0 ? [:] : Dictionary(uniqueKeysWithValues: zip(Reconciler.tokenClasses, tokenCounts)) }
    }

    static func invoiceDays(_ scan: LakeScan, _ aliases: ModelAliases) throws -> [DayKey: InvoiceDay] {
        let names = [
            "ServiceProviderName", "BilledCost", "ChargeCategory", "x_Model", "x_ModelRaw", "x_TokenType",
            "ConsumedQuantity", "x_Dataset", "x_SourceFile", "x_SourceLine"
        ]
        var days: [DayKey: InvoiceDay] = [:]
        var providerKeys: [String: String] = [:]
        try scan.forEachPart(columns: names) { part, c in
            for row in 0..<(c.first?.count ?? 0) {
                guard let rawProvider = c[0].string(row) else { continue }
                let provider = alias(rawProvider, &providerKeys, aliases.provider)
                let key = DayKey(provider: provider, date: part.date)
                var day = days[key] ?? InvoiceDay()
                let model = c[4].string(row).map(aliases.model) ?? c[3].string(row)
                var lines = day.models[model] ?? ModelLines()
                if lines.count == 0 { lines.firstSource = (c[8].string(row) ?? "") + ":" + String(c[9].int64(row) ?? 0) }
                lines.count += 1
                let isCost = c[7].string(row) == InvoiceLine.Dataset.cost.rawValue
                if isCost, let text = c[1].string(row), let cost = Money(text) {
                    if (c[2].string(row) ?? "Usage") == "Usage" {
                        day.hasCost = true
                        day.cost += cost
                        lines.cost += cost
                    } else {
                        day.otherCharges += cost
                    }
                }
                if let type = c[5].string(row).flatMap(TokenType.init(rawValue:)), let logged = type.loggedClass,
                    let quantity = c[6].double(row),
                    quantity.isFinite && abs(quantity) <= Double(InvoiceValue.maxCount)
                {  // ingest refuses larger; older lakes may hold them
                    let count = Int64(quantity.rounded())
                    if isCost { day.costTokens = add(day.costTokens, logged, count) } else { day.usageTokens = add(day.usageTokens, logged, count) }
                    lines.tokens += count
                } else if !isCost && day.usageTokens == nil && c[5].string(row) == nil {
                    day.usageTokens = [:]  // an empty usage bucket: the export says zero tokens this day
                }
                day.models[model] = lines
                days[key] = day
            }
        }
        return days
    }

    /// Lines converted from another currency, summed per provider and currency. Parts written
    /// before the `x_SourceCurrency` columns existed read them as null and add nothing.
    static func sourceCurrencies(_ scan: LakeScan, _ aliases: ModelAliases) throws -> [Reconciliation.SourceCurrency] {
        let names = ["ServiceProviderName", "BilledCost", "x_SourceCurrency", "x_SourceBilledCost", "x_FxRateDate"]
        var sums: [String: Reconciliation.SourceCurrency] = [:]
        try scan.forEachPart(columns: names) { part, c in
            for row in 0..<(c.first?.count ?? 0) {
                guard let currency = c[2].string(row), let provider = c[0].string(row) else { continue }
                let billed = c[3].string(row).flatMap { Money($0) } ?? .zero
                let usd = c[1].string(row).flatMap { Money($0) } ?? .zero
                let date = c[4].string(row) ?? part.date
                let name = aliases.provider(provider)
                var sum =
                    sums[name + "|" + currency]
                    ?? .init(provider: name, currency: currency, lines: 0, billed: .zero, usd: .zero, firstRateDate: date, lastRateDate: date)
                sum.lines += 1
                sum.billed += billed
                sum.usd += usd
                sum.firstRateDate = min(sum.firstRateDate, date)
                sum.lastRateDate = max(sum.lastRateDate, date)
                sums[name + "|" + currency] = sum
            }
        }
        return sums.keys.sorted().compactMap { sums[$0] }
    }

    private static func add(_ tokens: [String: Int64]?, _ name: String, _ count: Int64) -> [String: Int64] {
        var tokens = tokens ?? [:]
        tokens[name, default: 0] += count
        return tokens
    }

    static func loggedDays(_ scan: LakeScan, _ aliases: ModelAliases) throws -> [DayKey: LoggedDay] {
        let names = [
            "provider", "model", "input_tokens", "cache_read_tokens", "cache_write_tokens", "output_tokens",
            "cost_usd", "cost_logged_usd", "cost_priced_usd"
        ]
        var days: [DayKey: LoggedDay] = [:]
        var providerKeys: [String: String] = [:], modelKeys: [String: String] = [:]
        try scan.forEachPart(columns: names) { part, c in
            for row in 0..<(c.first?.count ?? 0) {
                let rawProvider = c[0].string(row) ?? "", rawModel = c[1].string(row) ?? ""
                let provider = alias(rawProvider, &providerKeys, aliases.provider), model = alias(rawModel, &modelKeys, aliases.model)
                // Summed in place: taking the day out and putting it back copied its model set
                // on every row (over 10 M calls 8.6 s; the same sums, in the same order).
                add(row, of: c, model: model, to: &days[DayKey(provider: provider, date: part.date), default: LoggedDay()])
            }
        }
        return days
    }

    /// `known[raw]`, made by `make` the first time (one lookup for a name seen before).
    private static func alias(_ raw: String, _ known: inout [String: String], _ make: (String) -> String) -> String {
        if let name = known[raw] { return name }
        let name = make(raw)
        known[raw] = name
        return name
    }

    /// Adds one call (row `row` of `loggedDays`' columns) to its day.
    private static func add(_ row: Int, of c: [ColumnData], model: String, to day: inout LoggedDay) {
        day.calls += 1
        day.models.insert(model)
        for i in day.tokenCounts.indices { day.tokenCounts[i] += c[2 + i].int64(row) ?? 0 }  // input, cache read, cache write, output
        day.expected += c[6].double(row) ?? 0
        day.logged += c[7].double(row) ?? 0
        day.priced += c[8].double(row) ?? 0
    }
}

extension ColumnData {
    /// Row `row` as a string, nil when null or not a string column.
    func string(_ row: Int) -> String? {
        guard !isNull(row), case .byteArray(let values) = values else { return nil }
        return values.string(at: row)
    }

    func int64(_ row: Int) -> Int64? {
        guard !isNull(row) else { return nil }
        switch values {
        case .int64(let v): return v[row]
        case .int32(let v): return Int64(v[row])
        default: return nil
        }
    }

    func double(_ row: Int) -> Double? {
        guard !isNull(row), case .double(let v) = values else { return nil }
        return v[row]
    }
}
