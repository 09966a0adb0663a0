import SQLiteStore
import Lake
import Ingest

/// Compares the lake's `requests` (what agents logged, priced where the log had no cost) with its
/// `invoice_lines` (what providers billed), per provider per UTC day and month. Providers and
/// models are matched through `ModelAliases`, so relays and dated snapshot ids can be mapped.
package enum Reconciler {
    /// Reconciles the snapshot `asOf` (default: newest) over dates `from...to` (inclusive, UTC).
    package static func reconcile(
        dataDir: String, from: String? = nil, to: String? = nil, tolerance: Double = 0.02,
        minimumGapUSD: Double = 0.01, asOf: Int64? = nil
    ) throws -> Reconciliation {
        let aliases = try ModelAliases.load(dataDir: dataDir)
        let invoiceScan = try LakeScan(dataDir: dataDir, table: .invoiceLines, asOf: asOf, from: from, to: to)
        let requestScan = try LakeScan(dataDir: dataDir, table: .requests, asOf: invoiceScan.snapshot, from: from, to: to)
        let invoiced = try invoiceDays(invoiceScan, aliases)
        let currencies = try sourceCurrencies(invoiceScan, aliases)
        let logged = try loggedDays(requestScan, aliases)
        var result = Reconciliation(
            from: from, to: to, tolerance: tolerance, minimumGapUSD: minimumGapUSD,
            snapshot: invoiceScan.snapshot)
        result.currencies = currencies.isEmpty ? nil : currencies

        for key in invoiced.keys.sorted() {
            guard let bill = invoiced[key] else { continue }
            let log = logged[key] ?? LoggedDay()
            var row = Reconciliation.Row(
                provider: key.provider, period: key.date, days: 1, calls: log.calls,
                loggedUSD: log.logged, pricedUSD: log.priced, expectedUSD: log.expected)
            row.invoicedUSD = bill.hasCost ? bill.cost : nil
            row.otherChargesUSD = bill.otherCharges.isZero ? nil : bill.otherCharges
            if let tokens = bill.tokens { row.tokens = tokenGaps(logged: log.tokens, invoiced: tokens) }
            result.days.append(judge(row, tolerance: tolerance, minimumGap: minimumGapUSD))
            for (model, lines) in bill.models.sorted(by: { ($0.key ?? "") < ($1.key ?? "") }) where lines.matters {
                let explained = model.map { log.models.contains($0) } ?? (log.calls > 0)
                if !explained {
                    result.unexplainedInvoiceLines.append(
                        .init(
                            provider: key.provider, date: key.date, model: model, lines: lines.count,
                            invoicedUSD: lines.cost, tokens: lines.tokens, firstSource: lines.firstSource))
                }
            }
        }
        result.months = months(result.days, tolerance: tolerance, minimumGap: minimumGapUSD)

        let providers = Set(invoiced.keys.map(\.provider))
        var spans: [String: (String, String)] = [:]
        for key in invoiced.keys {
            let span = spans[key.provider] ?? (key.date, key.date)
            spans[key.provider] = (min(span.0, key.date), max(span.1, key.date))
        }
        var uninvoiced: [String: Reconciliation.ProviderUsage] = [:]
        for key in logged.keys.sorted() where invoiced[key] == nil {
            guard let log = logged[key], log.calls > 0 else { continue }
            if providers.contains(key.provider), let span = spans[key.provider] {
                let inside = key.date >= span.0 && key.date <= span.1
                result.uncoveredUsage.append(
                    .init(
                        provider: key.provider, date: key.date, calls: log.calls, costUSD: micro(log.expected),
                        tokens: log.tokens.values.reduce(0, +), insideInvoicedSpan: inside))
            } else {
                var usage = uninvoiced[key.provider] ?? .init(provider: key.provider, calls: 0, costUSD: 0)
                usage.calls += log.calls
                usage.costUSD = micro(usage.costUSD + log.expected)
                uninvoiced[key.provider] = usage
            }
        }
        result.uninvoicedProviders = uninvoiced.keys.sorted().compactMap { uninvoiced[$0] }
        result.flagged =
            result.days.filter(\.flagged).count + result.months.filter(\.flagged).count
            + result.unexplainedInvoiceLines.count + result.uncoveredUsage.filter(\.isHole).count
        return result
    }

    // MARK: Judging

    static let tokenClasses = ["input", "cache_read", "cache_write", "output"]

    private static func tokenGaps(logged: [String: Int64], invoiced: [String: Int64]) -> [Reconciliation.TokenGap] {
        tokenClasses.map { name in
            let l = logged[name] ?? 0, i = invoiced[name] ?? 0
            let base = i != 0 ? i : l
            return .init(
                tokenClass: name, logged: l, invoiced: i, gap: i - l,
                gapPercent: base == 0 ? (i == l ? 0 : nil) : Double(i - l) / Double(base) * 100)
        }
    }

    /// Sets the gap and the flag: a cost gap over `tolerance` of the invoice that also reaches
    /// `minimumGap` dollars, or a token class whose counts differ by more than `tolerance`.
    private static func judge(_ input: Reconciliation.Row, tolerance: Double, minimumGap: Double) -> Reconciliation.Row {
        var row = input
        row.loggedUSD = micro(row.loggedUSD)
        row.pricedUSD = micro(row.pricedUSD)
        row.expectedUSD = micro(row.expectedUSD)
        row.reasons = []
        if let invoiced = row.invoicedUSD {
            let gap = invoiced.doubleValue - row.expectedUSD
            let base = invoiced.isZero ? row.expectedUSD : invoiced.doubleValue
            row.gapUSD = micro(gap)
            row.gapPercent = base == 0 ? (abs(gap) < 5e-7 ? 0 : nil) : (gap / abs(base) * 100 * 1000).rounded() / 1000
            let relative = base == 0 ? abs(gap) >= 5e-7 : abs(gap) > tolerance * abs(base) + 1e-12
            if relative && abs(gap) >= minimumGap - 1e-9 {
                row.reasons.append(
                    "cost gap \(signed(gap, digits: 4)) USD" + (row.gapPercent.map { " (\(signed($0, digits: 1))%)" } ?? "")
                        + " over \(percent(tolerance)) tolerance")
            }
        }
        for gap in row.tokens where gap.gap != 0 {
            let base = max(abs(gap.invoiced), abs(gap.logged))
            if Double(abs(gap.gap)) > tolerance * Double(base) {
                row.reasons.append("\(gap.tokenClass) tokens \(gap.gap > 0 ? "+" : "")\(gap.gap) (invoice \(gap.invoiced), logs \(gap.logged))")
            }
        }
        row.flagged = !row.reasons.isEmpty
        return row
    }

    private static func months(_ days: [Reconciliation.Row], tolerance: Double, minimumGap: Double) -> [Reconciliation.Row] {
        var months: [String: Reconciliation.Row] = [:]
        var order: [String] = []
        for day in days {
            let month = String(day.period.prefix(7))
            let key = day.provider + "|" + month
            var row =
                months[key]
                ?? {
                    order.append(key)
                    return Reconciliation.Row(provider: day.provider, period: month, days: 0, calls: 0, loggedUSD: 0, pricedUSD: 0, expectedUSD: 0)
                }()
            row.days += 1
            row.calls += day.calls
            row.loggedUSD += day.loggedUSD
            row.pricedUSD += day.pricedUSD
            row.expectedUSD += day.expectedUSD
            if let cost = day.invoicedUSD { row.invoicedUSD = (row.invoicedUSD ?? .zero) + cost }
            if let other = day.otherChargesUSD { row.otherChargesUSD = (row.otherChargesUSD ?? .zero) + other }
            if !day.tokens.isEmpty {
                if row.tokens.isEmpty {
                    row.tokens = day.tokens.map { .init(tokenClass: $0.tokenClass, logged: 0, invoiced: 0, gap: 0, gapPercent: nil) }
                }
                for i in row.tokens.indices {
                    row.tokens[i].logged += day.tokens[i].logged
                    row.tokens[i].invoiced += day.tokens[i].invoiced
                }
            }
            months[key] = row
        }
        return order.compactMap { key in
            guard var row = months[key] else { return nil }
            row.tokens = tokenGaps(
                logged: Dictionary(uniqueKeysWithValues: row.tokens.map { ($0.tokenClass, $0.logged) }),
                invoiced: Dictionary(uniqueKeysWithValues: row.tokens.map { ($0.tokenClass, $0.invoiced) })
            )
            .filter { _ in !row.tokens.isEmpty }
            return judge(row, tolerance: tolerance, minimumGap: minimumGap)
        }
    }

    static func micro(_ value: Double) -> Double { (value * 1_000_000).rounded() / 1_000_000 }

    static func signed(_ value: Double, digits: Int) -> String {
        let scale = (0..<digits).reduce(1.0) { a, _ in a * 10 }
        let rounded = (abs(value) * scale).rounded() / scale
        var text = String(fixed: rounded, digits: digits)
        text = (value < 0 && rounded != 0 ? "-" : "+") + text
        return text
    }

    static func percent(_ fraction: Double) -> String {
        let value = fraction * 100
        return value == value.rounded() ? "\(Int(value))%" : "\(value)%"
    }
}

extension String {
    /// Fixed-point text of a non-negative value, `digits` decimals, without Foundation formatting.
    init(fixed value: Double, digits: Int) {
        let scale = (0..<digits).reduce(1.0) { a, _ in a * 10 }
        var s = String(Int64((value * scale).rounded()))
        guard digits > 0 else { self = s; return }
        while s.count <= digits { s = "0" + s }
        s.insert(".", at: s.index(s.endIndex, offsetBy: -digits))
        self = s
    }
}
