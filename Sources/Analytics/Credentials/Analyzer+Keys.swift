import HomeBaseCore
import Config
import Ingest

extension Analyzer {
    /// The `keys` section: nil when the config lists no credential and no invoice line names a key.
    func keyUsage(_ c: AnalysisContext, month: String, nearPercent: Double?) throws -> KeyUsageSection? {
        let names = c.names
        let (y, m, _) = UTCDate.civil(days: c.nowDay)
        let monthStartDay = UTCDate.days(year: y, month: m, day: 1)
        var section = KeyUsageSection()
        section.month = month
        section.from = c.label(day: monthStartDay)
        section.to = c.label(day: c.nowDay)
        let (invoices, unattributed) = try KeyUsageSection.invoiceFigures(
            dataDir: options.dataDir, asOf: c.snapshot, from: section.from, to: section.to)
        guard !options.keys.isEmpty || !invoices.isEmpty else { return nil }
        section.unattributed_invoice_lines = unattributed

        // Logged calls of the month per (provider, agent): the unit a key claims.
        let logged = c.pass.keyLogged
        /// The (provider, agent) slots a key claims.
        func slots(_ key: HomeBaseConfig.Credential) -> [AnalysisPass.KeySlot] {
            guard let p = names.providers.lookup(key.provider.lowercased()) ?? names.providers.lookup(key.provider) else { return [] }
            let agents = key.agents.isEmpty ? Array(0..<Int32(names.agents.count)) : key.agents.compactMap { names.agents.lookup($0) }
            return agents.map { AnalysisPass.KeySlot(provider: p, agent: $0) }
        }
        let claimed = options.keys.map { Set(slots($0)) }

        var matchedInvoiceKeys: Set<[String]> = []
        for (index, key) in options.keys.enumerated() {
            var usage = KeyUsage(key_id: key.keyID, provider: key.provider, in_inventory: true)
            usage.agents = key.agents
            for slot in claimed[index].sorted() {
                let figures = logged[slot] ?? AnalysisPass.KeyLogged()
                usage.logged_calls += figures.calls
                usage.logged_errors += figures.errors
                usage.rate_limit_errors += figures.rateLimits
                usage.logged_cost_usd += figures.cost
            }
            usage.shared_with = options.keys.indices.filter { $0 != index && !claimed[$0].isDisjoint(with: claimed[index]) }
                .map { options.keys[$0].keyID }
            var figures = KeyUsageSection.InvoiceFigures()
            let provider = key.provider.lowercased()
            for name in Set([key.keyID] + key.invoiceNames) {
                guard let f = invoices[provider]?[name] else { continue }
                matchedInvoiceKeys.insert([provider, name])
                figures.usd += f.usd
                figures.hasCost = figures.hasCost || f.hasCost
                figures.calls += f.calls
                figures.countsCalls = figures.countsCalls || f.countsCalls
                figures.lines += f.lines
                figures.nonUSD += f.nonUSD
            }
            Self.apply(figures, to: &usage)
            usage.monthly_limit_usd = key.monthlyLimitUSD
            Self.judge(&usage, nearPercent: nearPercent)
            section.keys.append(usage)
        }
        for provider in invoices.keys.sorted() {
            for (name, figures) in (invoices[provider] ?? [:]).sorted(by: { $0.key < $1.key }) where !matchedInvoiceKeys.contains([provider, name]) {
                var usage = KeyUsage(key_id: name, provider: provider, in_inventory: false)
                Self.apply(figures, to: &usage)
                Self.judge(&usage, nearPercent: nearPercent)
                section.keys.append(usage)
            }
        }
        return section
    }

    static func apply(_ figures: KeyUsageSection.InvoiceFigures, to usage: inout KeyUsage) {
        usage.invoice_lines = figures.lines
        usage.non_usd_lines = figures.nonUSD
        usage.invoiced_usd = figures.hasCost ? figures.usd.doubleValue : nil
        usage.invoiced_calls = figures.countsCalls ? figures.calls : nil
    }

    /// Spend is what the provider billed when an invoice names the key, else what the logs cost.
    static func judge(_ usage: inout KeyUsage, nearPercent: Double?) {
        if let invoiced = usage.invoiced_usd {
            usage.spend_usd = invoiced
            usage.spend_source = "invoice"
        } else {
            usage.spend_usd = usage.logged_cost_usd
            usage.spend_source = "logs"
        }
        guard let limit = usage.monthly_limit_usd else {
            usage.status = "no_limit"
            return
        }
        let percent = limit > 0 ? usage.spend_usd / limit * 100 : (usage.spend_usd > 0 ? 100 : 0)
        usage.percent_used = percent
        usage.status = usage.spend_usd > limit ? "over" : nearPercent.map { percent >= $0 } == true ? "near" : "ok"
    }
}
