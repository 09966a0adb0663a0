import Foundation
import HomeBaseCore
import SQLiteStore
import Lake

/// Exchange rates to US dollars, kept in the catalog table `fx_rates` (`date`, `currency`,
/// `rate_to_usd` as exact decimal text, `source` file, `imported_us`), one row per day and
/// currency; a later import of the same day and currency replaces the rate. Written by
/// `homebase fx import` in one SQLite transaction, so an import is all or nothing.
package struct FXRateTable: Sendable {
    /// One rate: how many dollars one unit of `currency` was worth on `date`.
    package struct Rate: Sendable, Equatable {
        package var date: String
        package var currency: String
        package var rateToUSD: Money
        package var source: String

        package init(date: String, currency: String, rateToUSD: Money, source: String) {
            self.date = date
            self.currency = currency
            self.rateToUSD = rateToUSD
            self.source = source
        }
    }

    /// How many days before a charge day a rate may come from when that day has none (the ECB
    /// publishes on TARGET business days only: weekends, and up to 4 days around Easter and Christmas).
    package static let lookbackDays = 7

    /// Per currency, rates sorted by day number.
    private var byCurrency: [String: [(day: Int64, rate: Rate)]] = [:]

    package init(_ rates: [Rate] = []) {
        for rate in rates {
            guard let day = UTCDate.parseDate(rate.date) else { continue }
            byCurrency[rate.currency, default: []].append((day, rate))
        }
        for key in byCurrency.keys { byCurrency[key]?.sort { $0.day < $1.day } }
    }

    package var isEmpty: Bool { byCurrency.isEmpty }
    package var count: Int { byCurrency.values.reduce(0) { $0 + $1.count } }
    package var currencies: [String] { byCurrency.keys.sorted() }

    /// The rate for `currency` on `date` (YYYY-MM-DD): that day's, else the nearest earlier day's
    /// within ``lookbackDays``; nil when there is none. USD is always 1.
    package func rate(_ currency: String, on date: String) -> Rate? {
        let currency = currency.uppercased()
        if currency == "USD" { return Rate(date: date, currency: "USD", rateToUSD: Money(units: 1, scale: 0), source: "identity") }
        guard let day = UTCDate.parseDate(date), let list = byCurrency[currency] else { return nil }
        // Binary search for the last entry on or before `day`.
        var low = 0, high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid].day <= day { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return nil }
        let found = list[low - 1]
        return day - found.day <= Int64(FXRateTable.lookbackDays) ? found.rate : nil
    }

    /// The rates in `<dataDir>/catalog.sqlite`; empty when there is no catalog or no `fx_rates` table yet.
    package static func load(dataDir: String) throws -> FXRateTable {
        let path = dataDir + "/" + Catalog.fileName
        var info = stat()
        guard stat(path, &info) == 0 else { return FXRateTable() }
        return try load(database: SQLiteDatabase(path: path, readOnly: true))
    }

    package static func load(database: SQLiteDatabase) throws -> FXRateTable {
        guard try database.scalarInt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'fx_rates'") == 1 else {
            return FXRateTable()
        }
        let statement = try database.prepare("SELECT date, currency, rate_to_usd, source FROM fx_rates")
        var rates: [Rate] = []
        while try statement.step() {
            guard let value = Money(statement.text(2)) else { continue }
            rates.append(Rate(date: statement.text(0), currency: statement.text(1), rateToUSD: value, source: statement.text(3)))
        }
        return FXRateTable(rates)
    }

    /// Adds or replaces `rates` in the catalog in one transaction; returns how many were new.
    package static func save(_ rates: [Rate], database: SQLiteDatabase, nowMicros: Int64) throws -> Int {
        try database.transaction {
            try database.execute(
                """
                CREATE TABLE IF NOT EXISTS fx_rates(
                    date TEXT NOT NULL, currency TEXT NOT NULL, rate_to_usd TEXT NOT NULL,
                    source TEXT NOT NULL, imported_us INTEGER NOT NULL, PRIMARY KEY(date, currency))
                """)
            let before = try database.scalarInt("SELECT count(*) FROM fx_rates") ?? 0
            let insert = try database.prepare("INSERT OR REPLACE INTO fx_rates VALUES(?, ?, ?, ?, ?)")
            for rate in rates {
                try insert.run([.text(rate.date), .text(rate.currency), .text(rate.rateToUSD.description), .text(rate.source), .int(nowMicros)])
            }
            let after = try database.scalarInt("SELECT count(*) FROM fx_rates") ?? 0
            return Int(after - before)
        }
    }
}

extension Money {
    /// `self ÷ divisor` rounded half-even to `places` decimals; nil when `divisor` is zero or the
    /// quotient does not fit.
    package func divided(by divisor: Money, places: Int) -> Money? {
        guard !divisor.isZero else { return nil }
        // self / divisor = (u1 / u2) × 10^(s2 - s1); scale the numerator to keep `places` digits.
        var numerator = units, denominator = divisor.units
        let shift = places + divisor.scale - scale
        for _ in 0..<max(shift, 0) {
            let (product, overflow) = numerator.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            numerator = product
        }
        for _ in 0..<max(-shift, 0) {
            let (product, overflow) = denominator.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            denominator = product
        }
        if denominator < 0 { numerator = -numerator; denominator = -denominator }
        var (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        let twice = 2 * (remainder < 0 ? -remainder : remainder)
        if twice > denominator || (twice == denominator && quotient % 2 != 0) { quotient += numerator < 0 ? -1 : 1 }
        return Money(units: quotient, scale: places)
    }

    /// `self × factor`, exact when it fits in 38 digits and ``maxScale`` decimals, else rounded
    /// half-even (from the exact 256-bit product) to as many decimals as fit; nil only when the
    /// product is too large for any scale.
    package func multiplied(by factor: Money) -> Money? {
        let negative = (units < 0) != (factor.units < 0)
        let full = units.magnitude.multipliedFullWidth(by: factor.units.magnitude)
        let scale = self.scale + factor.scale
        let limit = UInt128(Int128.max)
        if full.high == 0 && full.low <= limit && scale <= Money.maxScale {
            return Money(units: negative ? -Int128(full.low) : Int128(full.low), scale: scale)
        }
        var shift = max(scale - Money.maxScale, 1)
        while shift <= scale && shift <= 38 {
            var divisor: UInt128 = 1
            for _ in 0..<shift { divisor *= 10 }
            if full.high < divisor {
                var (quotient, remainder) = divisor.dividingFullWidth(full)
                let twice = remainder * 2  // remainder < divisor ≤ 10^38 < 2^127: no overflow
                if twice > divisor || (twice == divisor && quotient % 2 == 1) { quotient += 1 }
                if quotient <= limit { return Money(units: negative ? -Int128(quotient) : Int128(quotient), scale: scale - shift) }
            }
            shift += 1
        }
        return nil
    }
}

extension InvoiceParseResult {
    /// Converts every money line not in USD to dollars with the rate of its charge day (see
    /// ``FXRateTable/rate(_:on:)``), keeping the source currency, amount, rate and rate day on the
    /// line. A line with no rate is moved to `bad` (quarantine) with the reason and the fix; it is
    /// never counted as dollars. Returns the currencies that lacked a rate.
    @discardableResult
    package mutating func convertToUSD(_ rates: FXRateTable) -> Set<String> {
        var missing: Set<String> = []
        var kept: [InvoiceLine] = []
        kept.reserveCapacity(lines.count)
        for var line in lines {
            let currency = line.billingCurrency.uppercased()
            guard let amount = line.billedCost, currency != "USD" else {
                kept.append(line)
                continue
            }
            let date = line.date
            guard let rate = rates.rate(currency, on: date), let dollars = amount.multiplied(by: rate.rateToUSD) else {
                missing.insert(currency)
                bad.append(
                    BadRow(
                        line: line.sourceLine,
                        reason:
                            "no \(currency)→USD rate for \(date) or the \(FXRateTable.lookbackDays) days before; add one with "
                            + "`homebase fx import FILE` (date,currency,rate_to_usd or the ECB CSV) and run ingest again",
                        excerpt: "\(line.serviceProviderName) \(date) \(line.chargeDescription ?? line.model ?? "") \(amount) \(currency)"))
                continue
            }
            line.sourceCurrency = currency
            line.sourceBilledCost = amount
            line.fxRateToUSD = rate.rateToUSD
            line.fxRateDate = rate.date
            line.billedCost = dollars
            line.billingCurrency = "USD"
            kept.append(line)
        }
        lines = kept
        bad.sort { $0.line < $1.line }
        return missing
    }
}

extension FXRateTable {
    /// One line per currency: `EUR  250 days  2025-07-01 … 2026-06-30  last 1.0842`.
    package func summary() -> [String] {
        currencies.compactMap { currency in
            guard let list = byCurrency[currency], let first = list.first, let last = list.last else { return nil }
            return "\(currency)\t\(list.count) days\t\(first.rate.date) … \(last.rate.date)\tlast \(last.rate.rateToUSD) USD"
        }
    }
}
