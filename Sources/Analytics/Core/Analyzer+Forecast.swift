import HomeBaseCore
extension Analyzer {
    /// Days of history a forecast is fitted on, ending with the last complete day: enough for a
    /// weekly season and a backtest, and the same for `analyze`, `nightly` and every report, so
    /// one lake and one last day give one forecast wherever it is shown.
    package static let forecastHistoryDays = 56

    /// Daily cost forecasts, overall and per agent, starting the day after the last complete day.
    /// History: up to `forecastHistoryDays` of the range's days up to that day, from the first day
    /// with spend. The model is the backtest's choice.
    package func forecastSection(_ c: AnalysisContext, daily: Analysis.DailySection) -> Analysis.ForecastSection {
        var section = Analysis.ForecastSection()
        let historyEnd = min(c.toDay, c.lastCompleteDay)
        let historyCount = Int(historyEnd - c.fromDay + 1)
        guard c.dayCount > 0, historyCount >= 1 else { return section }
        let mtd = monthToDateCost(c)
        section.overall = Self.forecast(Self.history(daily.overall.cost_usd, count: historyCount), c, firstDay: historyEnd + 1, actual: mtd.total)
        for (name, series) in daily.by_agent {
            let a = c.table.agents.lookup(name).map(Int.init) ?? -1
            section.by_agent[name] = Self.forecast(
                Self.history(series.cost_usd, count: historyCount), c, firstDay: historyEnd + 1,
                actual: a >= 0 ? mtd.byAgent[a] : 0)
        }
        return section
    }

    /// The last `forecastHistoryDays` of the first `count` values, without the days before the first
    /// spend (a range that starts before the data must not change the fit).
    static func history(_ series: [Double], count: Int) -> [Double] {
        var y = Array(series.prefix(count).suffix(forecastHistoryDays))
        if let first = y.firstIndex(where: { $0 != 0 }) { y.removeFirst(first) }
        return y
    }

    static func forecast(_ y: [Double], _ c: AnalysisContext, firstDay: Int64, actual: Double) -> Analysis.Forecast {
        var result = Analysis.Forecast()
        result.history_days = y.count
        let backtest = Backtest(y, period: 7, horizon: 7)
        var method = backtest?.chosen ?? .seasonalNaive
        var model = method.fit(y, period: 7)
        if model == nil {
            method = .seasonalNaive
            model = SeasonalNaive(y, period: min(7, y.count))
        }
        guard let model else { return result }
        result.method = method.rawValue
        switch model {
        case let m as HoltWinters: result.alpha = m.alpha; result.beta = m.beta; result.gamma = m.gamma; result.period = m.period
        case let m as HoltLinear: result.alpha = m.alpha; result.beta = m.beta
        case let m as SeasonalNaive: result.period = m.period
        default: break
        }
        result.sigma = model.sigma
        if let backtest {
            result.backtest = Analysis.BacktestResult(
                horizon: backtest.horizon, origins: backtest.origins.count, scale: backtest.scale,
                mae: Dictionary(uniqueKeysWithValues: backtest.mae.map { ($0.key.rawValue, $0.value) }),
                mase: Dictionary(uniqueKeysWithValues: backtest.mase.map { ($0.key.rawValue, $0.value) }))
            result.mase = backtest.mase[method]
        }
        let means = model.forecast(30)
        for (k, mean) in means.enumerated() {
            let sd = model.sigma * model.varianceFactor(k + 1).squareRoot()
            result.days.append(
                Analysis.ForecastPoint(
                    date: c.label(day: firstDay + Int64(k)), mean: max(0, mean),
                    lo80: max(0, mean - NormalDistribution.z80 * sd), hi80: max(0, mean + NormalDistribution.z80 * sd),
                    lo95: max(0, mean - NormalDistribution.z95 * sd), hi95: max(0, mean + NormalDistribution.z95 * sd)))
        }
        result.next_7_days_usd = result.days.prefix(7).reduce(0) { $0 + $1.mean }
        result.next_30_days_usd = result.days.reduce(0) { $0 + $1.mean }
        result.month_end = monthEnd(c, points: result.days, firstDay: firstDay, actual: actual).end
        return result
    }

    /// Actual cost of `now`'s month so far, plus the forecast for the rest of it: the rest of
    /// today (its remaining fraction of the day's forecast) and every later day of the month.
    /// Also the first day on which the running total passes `budget`, if given.
    static func monthEnd(
        _ c: AnalysisContext, points: [Analysis.ForecastPoint], firstDay: Int64, actual: Double,
        dailyActual: [Double] = [], budget: Double? = nil
    ) -> (end: Analysis.MonthEnd, overrun: String?) {
        let nowDay = c.nowDay
        let (y, m, _) = UTCDate.civil(days: nowDay)
        let monthStart = UTCDate.days(year: y, month: m, day: 1)
        let nextMonth = m == 12 ? UTCDate.days(year: y + 1, month: 1, day: 1) : UTCDate.days(year: y, month: m + 1, day: 1)
        var projected = actual
        var running = 0.0
        var overrun: String?
        func check(_ day: Int64) {
            if let budget, overrun == nil, running > budget { overrun = c.label(day: day) }
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
                let start = c.calendar.startMicros(ofDay: day), end = c.calendar.startMicros(ofDay: day + 1)
                share = Double(end - c.now) / Double(end - start)
            }
            projected += points[k].mean * share
            running += points[k].mean * share
            check(day)
        }
        let label = String(c.label(day: nowDay).prefix(7))
        return (Analysis.MonthEnd(month: label, actual_usd: actual, projected_usd: projected), overrun)
    }

    /// Cost in `now`'s month up to `now`: total, per agent, and per day of the month (fleet and per agent).
    func monthToDateCost(_ c: AnalysisContext) -> (total: Double, byAgent: [Double], byDay: [Double], byAgentDay: [[Double]]) {
        let t = c.table
        let (y, m, _) = UTCDate.civil(days: c.nowDay)
        let monthStartDay = UTCDate.days(year: y, month: m, day: 1)
        let start = c.calendar.startMicros(ofDay: monthStartDay)
        let days = Int(c.nowDay - monthStartDay) + 1
        var total = 0.0
        var byAgent = [Double](repeating: 0, count: t.agents.count)
        var byDay = [Double](repeating: 0, count: days)
        var byAgentDay = [[Double]](repeating: byDay, count: t.agents.count)
        for i in 0..<t.count where t.ts[i] >= start && t.ts[i] <= c.now {
            let d = Int(Int64(t.day[i]) - monthStartDay)
            total += t.cost[i]
            byAgent[Int(t.agent[i])] += t.cost[i]
            if d >= 0 && d < days {
                byDay[d] += t.cost[i]
                byAgentDay[Int(t.agent[i])][d] += t.cost[i]
            }
        }
        return (total, byAgent, byDay, byAgentDay)
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
                c, points: forecast?.days ?? [], firstDay: firstDay, actual: actual,
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
            let a = c.table.agents.lookup(agent).map(Int.init)
            section.by_agent[agent] = status(
                budget, actual: a.map { mtd.byAgent[$0] } ?? 0, daily: a.map { mtd.byAgentDay[$0] } ?? [],
                forecast: forecasts.by_agent[agent])
        }
        return section
    }
}
