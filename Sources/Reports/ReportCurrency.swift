import HomeBaseCore
import Ingest
import Render
import Analytics

/// The currency a report shows money in (the config's `currency`) and how the lake's dollars
/// become it: a day's figure at that day's rate from the `fx_rates` table (or the nearest
/// earlier rate within 7 days, as for invoices); a figure over several days at the
/// spend-weighted rate of the period's days, Σ(usd_d ÷ rate_d) ÷ Σ usd_d, so the period's spend
/// is exactly the sum of its converted days. USD reports are unchanged.
package struct ReportCurrency: Sendable, Equatable {
    package var code: String
    /// Units of `code` per dollar, by day number (the report's local days).
    package var perDollarByDay: [Int64: Double] = [:]
    /// Units of `code` per dollar for figures over the period (and days after its last rate).
    package var periodPerDollar: Double = 1
    /// The sentence the report states its currency and rate source in (empty for USD).
    package var note = ""

    package static let usd = ReportCurrency(code: "USD")

    package init(code: String) { self.code = code }

    /// Dollars in this currency, at `day`'s rate when the period has one, else the period's.
    package func value(_ usd: Double, day: Int64? = nil) -> Double {
        guard code != "USD" else { return usd }
        return usd * (day.flatMap { perDollarByDay[$0] } ?? periodPerDollar)
    }

    package func cell(_ usd: Double, day: Int64? = nil) -> ReportCell { .money(value(usd, day: day), currency: code) }
    package func cell(_ usd: Double?, day: Int64? = nil) -> ReportCell { usd.map { cell($0, day: day) } ?? .empty }
    package func text(_ usd: Double, day: Int64? = nil) -> String { cell(usd, day: day).displayText }
    /// A cell for an amount already in this currency.
    package func converted(_ value: Double) -> ReportCell { .money(value, currency: code) }
    package func converted(_ value: Double?) -> ReportCell { value.map(converted) ?? .empty }

    /// A forecast day's figures in this currency, at the period's rate (future days have no rate yet).
    package func converting(_ day: Analysis.ForecastPoint) -> Analysis.ForecastPoint {
        guard code != "USD" else { return day }
        var out = day
        out.mean = value(day.mean); out.lo80 = value(day.lo80); out.hi80 = value(day.hi80)
        out.lo95 = value(day.lo95); out.hi95 = value(day.hi95)
        return out
    }

    /// Why a non-USD report could not be converted: the days with no rate.
    package struct MissingRates: Error, Sendable, CustomStringConvertible {
        package var code: String
        package var days: [String]
        package var description: String {
            let shown = days.prefix(3).joined(separator: ", ") + (days.count > 3 ? " and \(days.count - 3) more days" : "")
            return "currency is \(code) but fx_rates has no \(code) rate for \(shown) (nor in the 7 days before); money is shown in USD. "
                + "Add the rates with homebase fx import FILE (the ECB CSV or date,currency,rate_to_usd)"
        }
    }

    /// The conversion for a report over `days` (day numbers) with the fleet's daily spend `dailyUSD`
    /// (aligned with `days`); throws ``MissingRates`` when a day has no rate.
    package static func make(code: String, rates: FXRateTable, days: [Int64], dailyUSD: [Double]) throws(MissingRates) -> ReportCurrency {
        var result = ReportCurrency(code: code)
        guard code != "USD" else { return result }
        var missing: [String] = [], sources: Set<String> = [], low = Double.infinity, high = 0.0
        var spend = 0.0, converted = 0.0, inverseSum = 0.0
        for (i, day) in days.enumerated() {
            let date = UTCDate.dateString(days: day)
            guard let rate = rates.rate(code, on: date), rate.rateToUSD.doubleValue > 0 else {
                missing.append(date)
                continue
            }
            let perDollar = 1 / rate.rateToUSD.doubleValue
            result.perDollarByDay[day] = perDollar
            sources.insert(rate.source.split(separator: "/").last.map(String.init) ?? rate.source)
            low = min(low, perDollar)
            high = max(high, perDollar)
            let usd = i < dailyUSD.count ? dailyUSD[i] : 0
            spend += usd
            converted += usd * perDollar
            inverseSum += perDollar
        }
        guard missing.isEmpty else { throw MissingRates(code: code, days: missing) }
        guard !days.isEmpty else { throw MissingRates(code: code, days: []) }
        result.periodPerDollar = spend > 0 ? converted / spend : inverseSum / Double(days.count)
        result.note =
            "Money in \(code), converted from USD at each day's rate (fx_rates from \(sources.sorted().joined(separator: ", ")): "
            + "1 USD = \(ReportNumberFormat.fixed(low, places: 4))–\(ReportNumberFormat.fixed(high, places: 4)) \(code)); figures over several days at the period's "
            + "spend-weighted rate, 1 USD = \(ReportNumberFormat.fixed(result.periodPerDollar, places: 4)) \(code)."
        return result
    }
}
