import Testing
@testable import HomeBaseCore
@testable import Analytics

/// Forecast models checked by hand on short series with fixed parameters, and the backtest
/// choosing the model that fits how a constructed series was made.
@Suite struct AnalysisForecastTests {
    @Test func holtLinearByHand() throws {
        // y = 10,12,13,15, α = β = 0.5, ℓ₀ = 10, b₀ = 2.
        // t=1: ŷ = 12, e = 0;     ℓ = .5·12 + .5·12 = 12,        b = .5·2 + .5·2 = 2
        // t=2: ŷ = 14, e = −1;    ℓ = .5·13 + .5·14 = 13.5,      b = .5·1.5 + .5·2 = 1.75
        // t=3: ŷ = 15.25, e = −.25; ℓ = .5·15 + .5·15.25 = 15.125, b = .5·1.625 + .5·1.75 = 1.6875
        // SSE = 1.0625; forecasts 15.125 + 1.6875 = 16.8125, + 2·1.6875 = 18.5.
        let model = try #require(HoltLinear([10, 12, 13, 15], alpha: 0.5, beta: 0.5))
        #expect(model.level == 15.125)
        #expect(model.trend == 1.6875)
        #expect(model.sse == 1.0625)
        #expect(model.sigma == (1.0625 / 3).squareRoot())
        #expect(model.forecast(2) == [16.8125, 18.5])
        // Var factor at h = 2: 1 + (α(1 + β))² = 1 + 0.75² = 1.5625.
        #expect(model.varianceFactor(1) == 1)
        #expect(model.varianceFactor(2) == 1.5625)
    }

    @Test func holtWintersByHand() throws {
        // y = 1,3,2,4,3,5, season m = 2, α = β = γ = 0.5. Start: ℓ = mean(1,3) = 2,
        // b = (mean(2,4) − 2)/2 = 0.5, s = (1 − 2, 3 − 2) = (−1, 1).
        // t=2: ŷ = 2 + .5 − 1 = 1.5, e = .5;   ℓ = .5(2 + 1) + .5·2.5 = 2.75; b = .5·.75 + .5·.5 = .625;
        //      s₀ = .5(2 − 2.75) + .5(−1) = −.875
        // t=3: ŷ = 2.75 + .625 + 1 = 4.375, e = −.375; ℓ = .5(4 − 1) + .5·3.375 = 3.1875;
        //      b = .5·.4375 + .5·.625 = .53125; s₁ = .5(4 − 3.1875) + .5·1 = .90625
        // t=4: ŷ = 3.1875 + .53125 − .875 = 2.84375, e = .15625; ℓ = .5(3 + .875) + .5·3.71875 = 3.796875;
        //      b = .5·.609375 + .5·.53125 = .5703125; s₀ = .5(3 − 3.796875) + .5(−.875) = −.8359375
        // t=5: ŷ = 3.796875 + .5703125 + .90625 = 5.2734375, e = −.2734375;
        //      ℓ = .5(5 − .90625) + .5·4.3671875 = 4.23046875; b = .5·.43359375 + .5·.5703125 = .501953125;
        //      s₁ = .5(5 − 4.23046875) + .5·.90625 = .837890625
        // SSE = .25 + .140625 + .0244140625 + .07476806640625 = .48980712890625
        // ŷ(7) = 4.23046875 + .501953125 − .8359375 = 3.896484375; ŷ(8) = … + 2b + .837890625 = 6.072265625;
        // ŷ(9) = … + 3b − .8359375 = 4.900390625.
        let model = try #require(HoltWinters([1, 3, 2, 4, 3, 5], period: 2, alpha: 0.5, beta: 0.5, gamma: 0.5))
        #expect(model.level == 4.23046875)
        #expect(model.trend == 0.501953125)
        #expect(model.season == [-0.8359375, 0.837890625])
        #expect(model.sse == 0.48980712890625)
        #expect(model.forecast(3) == [3.896484375, 6.072265625, 4.900390625])
        // Var factor h = 3: c₁ = α(1 + β) = .75; c₂ = α(1 + 2β) + γ(1 − α) = 1 + .25 = 1.25 → 1 + .5625 + 1.5625.
        #expect(model.varianceFactor(3) == 3.125)
        #expect(HoltWinters([1, 2, 3], period: 2, alpha: 0.5, beta: 0.5, gamma: 0.5) == nil)
    }

    @Test func seasonalNaiveRepeatsTheLastSeason() throws {
        // Period 3 over 1,2,3,4,6,8: forecasts 4,6,8,4; residuals y − y(t−3) = 3,4,5 → σ = √(50/3).
        let model = try #require(SeasonalNaive([1, 2, 3, 4, 6, 8], period: 3))
        #expect(model.forecast(4) == [4, 6, 8, 4])
        #expect(model.sigma == (50.0 / 3).squareRoot())
        #expect(model.varianceFactor(3) == 1)
        #expect(model.varianceFactor(4) == 2)
    }

    /// 10 weeks of a rising series with a weekly shape and a little deterministic noise.
    static func weekly(trend: Double, shape: [Double]) -> [Double] {
        (0..<70).map { t in 100 + trend * Double(t) + shape[t % 7] + Double((t * 37) % 5) - 2 }
    }

    @Test func backtestPicksHoltWintersOnTrendingWeeklyData() throws {
        let y = Self.weekly(trend: 2, shape: [0, 10, 20, 30, 20, 10, -40])
        let backtest = try #require(Backtest(y))
        #expect(backtest.chosen == .holtWinters)
        #expect(backtest.origins.count == 14)
        #expect(backtest.origins.last == 63)
        let hw = try #require(backtest.mase[.holtWinters]), naive = try #require(backtest.mase[.seasonalNaive])
        #expect(hw < naive)
        #expect(try #require(backtest.mase[.holt]) > hw)
    }

    @Test func backtestPrefersTheSimplestExactModel() throws {
        // A repeating week: seasonal naive is exact (MAE 0), and wins the tie with anything else exact.
        let flat = (0..<42).map { [5.0, 1, 1, 1, 1, 1, 9][$0 % 7] }
        #expect(Backtest(flat)?.chosen == .seasonalNaive)
        // A straight line: Holt is exact from its start (ℓ₀ = y₀, b₀ = y₁ − y₀); Holt–Winters' start is not.
        let line = (0..<42).map { 3 + 0.5 * Double($0) }
        #expect(Backtest(line)?.chosen == .holt)
        // Too short for any origin.
        #expect(Backtest([1, 2, 3, 4, 5, 6, 7, 8, 9]) == nil)
    }

    @Test func monthEndProjectionAndOverrunDayByHand() throws {
        // now = 2026-06-28T12:00Z (UTC): half of the 28th is left. Actual: $1 on each of June 1…28 = $28.
        // Forecast from the 28th: $4 a day. Projected = 28 + 4·0.5 (rest of the 28th) + 4 (29th) + 4 (30th) = 38.
        // Budget 33: running total 27 after the 27th, 28 + 2 = 30 after the 28th, 34 after the 29th → overrun on the 29th.
        let june28 = UTCDate.days(year: 2026, month: 6, day: 28)
        var options = AnalysisOptions(dataDir: "/nonexistent", generatedAt: 0)
        options.now = (june28 * 86_400 + 12 * 3600) * 1_000_000
        let calendar = try #require(LocalCalendar(identifier: "UTC", fromDay: june28 - 40, toDay: june28 + 40))
        let context = AnalysisContext(
            table: CallTable(), calendar: calendar, options: options, fromDay: june28 - 27, toDay: june28,
            snapshot: nil, partsRead: 0, priceBook: nil)
        let points = (0..<30).map { _ in Analysis.ForecastPoint(date: "", mean: 4) }
        let (end, overrun) = Analyzer.monthEnd(
            context, points: points, firstDay: june28, actual: 28,
            dailyActual: Array(repeating: 1, count: 28), budget: 33)
        #expect(end.month == "2026-06")
        #expect(end.actual_usd == 28)
        #expect(end.projected_usd == 38)
        #expect(overrun == "2026-06-29")
        // A budget the month never reaches has no overrun day.
        #expect(
            Analyzer.monthEnd(context, points: points, firstDay: june28, actual: 28, dailyActual: Array(repeating: 1, count: 28), budget: 40).overrun
                == nil)
    }
}
