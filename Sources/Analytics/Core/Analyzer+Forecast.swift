import HomeBaseCore
import Detectors
extension Analyzer {
    /// Days of history a forecast is fitted on, ending with the last complete day (read from before
    /// the range when needed): enough for a weekly season and a backtest, and the same for
    /// `analyze`, `nightly` and every report (which read it from the analysis), so one lake and one
    /// last day give one forecast wherever it is shown.
    package static let forecastHistoryDays = 56

    /// Days forecast (the month end and `next_30_days_usd` need 30), and the longest step the backtest checks.
    static let forecastHorizon = 30

    /// Daily cost forecasts, overall and per agent, starting the day after the last complete day.
    /// History: the `forecastHistoryDays` days up to that day (read from before the range when the
    /// range is shorter), from the first day with spend. The method is the one `Forecaster`'s
    /// backtest picks for the series, and the forecast carries that backtest's figures.
    package func forecastSection(_ c: AnalysisContext, daily: Analysis.DailySection) -> Analysis.ForecastSection {
        var section = Analysis.ForecastSection()
        let historyEnd = min(c.toDay, c.lastCompleteDay)
        guard c.dayCount > 0, historyEnd >= c.fromDay else { return section }
        let p = c.pass  // its forecast days are the `forecastHistoryDays` up to `historyEnd`
        let mtd = monthToDateCost(c)
        section.overall = Self.forecast(Self.history(p.forecastFleet), c, lastDay: historyEnd, actual: mtd.total, memo: options.forecastMemo)
        for name in daily.by_agent.keys {
            let a = c.names.agents.lookup(name).map(Int.init) ?? -1
            let history = a >= 0 ? (a < p.forecastByAgent.count ? p.forecastByAgent[a] : Array(repeating: 0, count: p.forecastDays)) : []
            section.by_agent[name] = Self.forecast(
                Self.history(history), c, lastDay: historyEnd, actual: a >= 0 && a < mtd.byAgent.count ? mtd.byAgent[a] : 0,
                memo: options.forecastMemo)
        }
        return section
    }

    /// The series without the days before the first spend (a lake that starts later than the
    /// history window must not fit on zeros), and the offset of its first day.
    static func history(_ series: [Double]) -> (values: [Double], dropped: Int) {
        guard let first = series.firstIndex(where: { $0 != 0 }) else { return ([], series.count) }
        return (Array(series[first...]), first)
    }

    static func forecast(
        _ history: (values: [Double], dropped: Int), _ c: AnalysisContext, lastDay: Int64, actual: Double, memo: ForecastMemo? = nil
    ) -> Analysis.Forecast {
        var result = Analysis.Forecast()
        let y = history.values
        result.history_days = y.count
        let firstDay = lastDay + 1
        guard !y.isEmpty else { return result }
        let series = DailySeries(startDay: lastDay - Int64(y.count) + 1, values: y)
        let fit = {
            let forecast = Forecaster().forecast(series, horizon: forecastHorizon)
            return ForecastMemo.Entry(
                forecast: forecast, parameters: forecast.method == .dampedHoltWinters ? DampedHoltWinters.fit(y)?.parameters : nil)
        }
        let fitted = memo?.entry(series, horizon: forecastHorizon, make: fit) ?? fit()
        let forecast = fitted.forecast
        result.method = forecast.method.rawValue
        switch forecast.method {
        case .dampedHoltWinters:
            if let p = fitted.parameters {
                (result.alpha, result.beta, result.gamma, result.phi) = (p.alpha, p.beta, p.gamma, p.phi)
            }
            result.period = 7
        case .seasonalNaive, .robustSeasonal: result.period = 7
        case .naive: break
        }
        // Fallback intervals (too little history for backtest errors): a random walk's, with the RMS day-to-day change.
        let changes = zip(y.dropFirst(), y).map { ($0 - $1) * ($0 - $1) }
        let walk = changes.isEmpty ? 0 : (changes.reduce(0, +) / Double(changes.count)).squareRoot()
        result.sigma = walk
        if let b = forecast.backtest, let chosen = b.chosenScore {
            result.backtest = Analysis.BacktestResult(b, scale: Self.seasonalScale(y))
            result.mase = chosen.maseSeasonalNaive
            result.mase_naive = chosen.maseNaive
            result.smape = chosen.smape
            result.coverage_80 = chosen.coverage80
            result.coverage_95 = chosen.coverage95
            // The normal σ whose mean absolute deviation is the one-day-ahead backtest MAE.
            if let mae1 = chosen.maeByStep.first { result.sigma = mae1 * (Double.pi / 2).squareRoot() }
        }
        let fromBacktest = forecast.days.allSatisfy { $0.lo80 != nil && $0.hi80 != nil && $0.lo95 != nil && $0.hi95 != nil }
        result.intervals = fromBacktest ? "backtest_errors" : "random_walk"
        for (k, day) in forecast.days.enumerated() {
            let mean = day.mean, sd = walk * Double(k + 1).squareRoot()
            result.days.append(
                Analysis.ForecastPoint(
                    date: c.label(day: firstDay + Int64(k)), mean: mean,
                    lo80: fromBacktest ? day.lo80! : max(0, mean - NormalDistribution.z80 * sd),
                    hi80: fromBacktest ? day.hi80! : max(0, mean + NormalDistribution.z80 * sd),
                    lo95: fromBacktest ? day.lo95! : max(0, mean - NormalDistribution.z95 * sd),
                    hi95: fromBacktest ? day.hi95! : max(0, mean + NormalDistribution.z95 * sd)))
        }
        result.next_7_days_usd = result.days.prefix(7).reduce(0) { $0 + $1.mean }
        result.next_30_days_usd = result.days.reduce(0) { $0 + $1.mean }
        result.month_end = monthEnd(c.calendar, now: c.now, points: result.days, firstDay: firstDay, actual: actual).end
        return result
    }

    /// In-sample mean |y[t] − y[t−7]| of the whole history (nil with a week or less).
    static func seasonalScale(_ y: [Double]) -> Double? {
        guard y.count > 7 else { return nil }
        return (7..<y.count).reduce(0.0) { $0 + abs(y[$1] - y[$1 - 7]) } / Double(y.count - 7)
    }

    /// Actual cost of `now`'s month so far, plus the forecast for the rest of it: the rest of
    /// today (its remaining fraction of the day's forecast) and every later day of the month.
    /// Also the first day on which the running total passes `budget`, if given.
    static func monthEnd(
        _ calendar: LocalCalendar, now: Int64, points: [Analysis.ForecastPoint], firstDay: Int64, actual: Double,
        dailyActual: [Double] = [], budget: Double? = nil
    ) -> (end: Analysis.MonthEnd, overrun: String?) {
        let nowDay = calendar.day(ofMicros: now)
        let (y, m, _) = UTCDate.civil(days: nowDay)
        let monthStart = UTCDate.days(year: y, month: m, day: 1)
        let nextMonth = m == 12 ? UTCDate.days(year: y + 1, month: 1, day: 1) : UTCDate.days(year: y, month: m + 1, day: 1)
        var projected = actual
        var running = 0.0
        var overrun: String?
        func check(_ day: Int64) {
            if let budget, overrun == nil, running > budget { overrun = UTCDate.dateString(days: day) }
        }
        for day in monthStart..<nowDay {
            let k = Int(day - monthStart)
            running += k < dailyActual.count ? dailyActual[k] : 0
            check(day)
        }
        running += Int(nowDay - monthStart) < dailyActual.count ? dailyActual[Int(nowDay - monthStart)] : 0
        for day in nowDay..<nextMonth {
            let k = Int(day - firstDay)
            guard k >= 0, k < points.count else { check(day); continue }
            var share = 1.0
            if day == nowDay {
                let start = calendar.startMicros(ofDay: day), end = calendar.startMicros(ofDay: day + 1)
                share = Double(end - now) / Double(end - start)
            }
            projected += points[k].mean * share
            running += points[k].mean * share
            check(day)
        }
        let label = String(UTCDate.dateString(days: nowDay).prefix(7))
        return (Analysis.MonthEnd(month: label, actual_usd: actual, projected_usd: projected), overrun)
    }

    /// Cost in `now`'s month up to `now`: total, per agent, and per day of the month (fleet and per agent).
    func monthToDateCost(_ c: AnalysisContext) -> (total: Double, byAgent: [Double], byDay: [Double], byAgentDay: [[Double]]) {
        let p = c.pass
        return (p.monthTotal, p.monthByAgent, p.monthByDay, p.monthByAgentDay)
    }

    /// Monthly budgets (from the options): actual and projected spend of `now`'s month, percent
    /// used, and the projected overrun day.
    package func budgets(_ c: AnalysisContext, forecasts: Analysis.ForecastSection) -> Analysis.BudgetSection {
        var section = Analysis.BudgetSection()
        section.month = String(c.label(day: c.nowDay).prefix(7))
        let mtd = monthToDateCost(c)
        let firstDay = min(c.toDay, c.lastCompleteDay) + 1
        func status(_ budget: Double, actual: Double, daily: [Double], forecast: Analysis.Forecast?) -> Analysis.BudgetStatus {
            let (end, overrun) = Self.monthEnd(
                c.calendar, now: c.now, points: forecast?.days ?? [], firstDay: firstDay, actual: actual,
                dailyActual: daily, budget: budget)
            var result = Analysis.BudgetStatus(
                budget_usd: budget, actual_usd: actual, projected_usd: end.projected_usd,
                percent_used: budget > 0 ? actual / budget * 100 : 0,
                projected_percent: budget > 0 ? end.projected_usd / budget * 100 : 0,
                overrun_date: overrun)
            result.status = actual > budget ? "over" : end.projected_usd > budget ? "projected_over" : "ok"
            return result
        }
        if let budget = options.budgetUSD {
            section.overall = status(budget, actual: mtd.total, daily: mtd.byDay, forecast: forecasts.overall)
        }
        for (agent, budget) in options.agentBudgetsUSD {
            let a = c.names.agents.lookup(agent).map(Int.init).flatMap { $0 < mtd.byAgent.count ? $0 : nil }
            section.by_agent[agent] = status(
                budget, actual: a.map { mtd.byAgent[$0] } ?? 0, daily: a.map { mtd.byAgentDay[$0] } ?? [],
                forecast: forecasts.by_agent[agent])
        }
        return section
    }
}
