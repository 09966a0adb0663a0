import Foundation
import Testing
@testable import HomeBaseCore
@testable import Ingest
@testable import Render
@testable import Reports

/// Reports in the configured currency: each day at its rate, the period at the spend-weighted
/// rate, the source stated; no rate → an error naming the days and the fix. Values by hand.
@Suite struct ReportCurrencyTests {
    let monday = UTCDate.days(year: 2026, month: 6, day: 1)
    var rates: FXRateTable {
        FXRateTable([
            // 1 EUR = 1.25 USD → 0.8 EUR per dollar; 1 EUR = 1 USD → 1 EUR per dollar.
            .init(date: "2026-06-01", currency: "EUR", rateToUSD: Money("1.25") ?? .zero, source: "/home/ana/eurofxref-hist.csv"),
            .init(date: "2026-06-02", currency: "EUR", rateToUSD: Money("1") ?? .zero, source: "/home/ana/eurofxref-hist.csv")
        ])
    }

    @Test func eachDayAtItsRateAndThePeriodSpendWeighted() throws {
        // $10 on Monday, $30 on Tuesday: 10 × 0.8 + 30 × 1 = 38 EUR; the period rate is 38 / 40 = 0.95.
        let eur = try ReportCurrency.make(code: "EUR", rates: rates, days: [monday, monday + 1], dailyUSD: [10, 30])
        #expect(eur.value(10, day: monday) == 8)
        #expect(eur.value(30, day: monday + 1) == 30)
        #expect(abs(eur.periodPerDollar - 0.95) < 1e-12)
        #expect(abs(eur.value(40) - 38) < 1e-12)
        // A day after the period (a forecast): the period's rate.
        #expect(abs(eur.value(100, day: monday + 20) - 95) < 1e-12)
        #expect(eur.cell(100, day: monday).displayText == "80.00 EUR")
        #expect(eur.converted(1234.5).displayText == "1,234.50 EUR")
        #expect(
            eur.note
                == "Money in EUR, converted from USD at each day's rate (fx_rates from eurofxref-hist.csv: 1 USD = 0.8000–1.0000 EUR); "
                + "figures over several days at the period's spend-weighted rate, 1 USD = 0.9500 EUR.")
        // Wednesday has no rate of its own: Tuesday's (within 7 days).
        let three = try ReportCurrency.make(code: "EUR", rates: rates, days: [monday, monday + 1, monday + 2], dailyUSD: [0, 0, 0])
        #expect(three.value(1, day: monday + 2) == 1)
        // No spend at all: the plain mean of the daily rates, (0.8 + 1 + 1) / 3.
        #expect(abs(three.periodPerDollar - 2.8 / 3) < 1e-12)
    }

    @Test func usdIsUnchangedAndNeedsNoRates() throws {
        let usd = try ReportCurrency.make(code: "USD", rates: FXRateTable(), days: [monday], dailyUSD: [5])
        #expect(usd == .usd && usd.value(5, day: monday) == 5 && usd.cell(5).displayText == "$5.00" && usd.note.isEmpty)
    }

    @Test func aDayWithoutARateIsNamedWithTheFix() {
        // 2026-06-10 is 8 days after the last rate; 2026-05-31 is before the first.
        do {
            _ = try ReportCurrency.make(code: "EUR", rates: rates, days: [monday - 1, monday, monday + 9], dailyUSD: [1, 1, 1])
            Issue.record("expected MissingRates")
        } catch {
            #expect(error.days == ["2026-05-31", "2026-06-10"])
            #expect(error.description.contains("no EUR rate for 2026-05-31, 2026-06-10") && error.description.contains("homebase fx import"))
        }
        #expect(throws: ReportCurrency.MissingRates.self) {
            try ReportCurrency.make(code: "GBP", rates: rates, days: [monday], dailyUSD: [1])
        }
    }
}
