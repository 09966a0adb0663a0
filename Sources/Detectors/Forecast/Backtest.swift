/// Rolling-origin backtest of the daily methods: from each origin t (the last `maxOrigins`
/// training lengths that every candidate can fit) each method forecasts days t+1…t+horizon
/// (those inside the history) from y[0..<t]; errors give MAE, MASE against seasonal naive and
/// naive (scaled by the origin's own training days), sMAPE, and the coverage of 80 %/95 %
/// intervals built, at each origin, only from the errors already known then.
package struct Backtest: Sendable {
    package struct Configuration: Sendable, Equatable, Codable {
        package var horizon = 7
        package var maxOrigins = 60
        /// Holt–Winters parameters are searched again every `refitEvery` origins (in between only the recursions run).
        package var refitEvery = 7
        /// Fewest past errors an interval is built from.
        package var minimumPool = 20
        /// Clip forecasts and intervals at 0 (nil: when the training days have no negative value).
        package var nonNegative: Bool?
        package var methods = DailyForecastMethod.allCases

        package init(horizon: Int = 7) { self.horizon = horizon }
    }

    /// One forecast checked against the history.
    package struct Record: Sendable, Equatable {
        package var method: DailyForecastMethod
        /// Training length: the forecast uses y[0..<origin].
        package var origin: Int
        /// 1 is the day after the origin's last day.
        package var step: Int
        package var actual: Double
        package var forecast: Double
        /// (lo80, hi80, lo95, hi95) when enough errors were known at the origin.
        package var interval: (Double, Double, Double, Double)?

        package static func == (a: Record, b: Record) -> Bool {
            a.method == b.method && a.origin == b.origin && a.step == b.step && a.actual == b.actual && a.forecast == b.forecast
                && a.interval?.0 == b.interval?.0 && a.interval?.1 == b.interval?.1 && a.interval?.2 == b.interval?.2
                && a.interval?.3 == b.interval?.3
        }
    }

    package let configuration: Configuration
    package var result: BacktestResult
    /// Every forecast checked, by method, origin and step.
    package var records: [Record]
    /// The errors of each method, to build the intervals of a forecast from the end of the history.
    var pools: [DailyForecastMethod: ErrorPool]

    /// Runs the backtest on `y`; nil when no candidate leaves an origin.
    package init?(_ y: [Double], configuration: Configuration = Configuration()) {
        let n = y.count, horizon = max(1, configuration.horizon)
        let candidates = configuration.methods.sorted().filter { $0.minimumHistory < n }
        guard let needed = candidates.map(\.minimumHistory).max() else { return nil }
        let firstOrigin = max(needed, n - max(1, configuration.maxOrigins))
        let origins = Array(firstOrigin..<n)
        guard !origins.isEmpty else { return nil }
        self.configuration = configuration
        let scale7 = Self.lagScales(y, lag: 7), scale1 = Self.lagScales(y, lag: 1)
        var records: [Record] = []
        var pools: [DailyForecastMethod: ErrorPool] = [:]
        var scores: [BacktestResult.MethodScore] = []
        for method in candidates {
            var pool = ErrorPool(steps: horizon, minimum: configuration.minimumPool)
            var parameters: DampedHoltWinters.Parameters?
            var methodRecords: [Record] = []
            for (k, t) in origins.enumerated() {
                let training = Array(y[0..<t])
                if method == .dampedHoltWinters, k % max(1, configuration.refitEvery) == 0 || parameters == nil {
                    parameters = DampedHoltWinters.fit(training)?.parameters
                }
                let clip = configuration.nonNegative ?? training.allSatisfy { $0 >= 0 }
                let steps = min(horizon, n - t)
                let forecast = method.forecast(training, horizon: steps, parameters: parameters).map { clip ? max(0, $0) : $0 }
                let snapshot = pool.snapshot(knownBy: t)
                for (j, f) in forecast.enumerated() {
                    let interval = snapshot?.offsets(step: j + 1).map { o in
                        Self.clipped((f + o.lo80, f + o.hi80, f + o.lo95, f + o.hi95), clip)
                    }
                    methodRecords.append(Record(method: method, origin: t, step: j + 1, actual: y[t + j], forecast: f, interval: interval))
                }
                for (j, f) in forecast.enumerated() { pool.add(step: j + 1, origin: t, error: y[t + j] - f) }
            }
            pools[method] = pool
            scores.append(Self.score(method, methodRecords, horizon: horizon, scale7: scale7, scale1: scale1))
            records += methodRecords
        }
        if let naiveMAE = scores.first(where: { $0.method == .seasonalNaive })?.mae, naiveMAE > 0 {
            for i in scores.indices { scores[i].maeRatioToSeasonalNaive = scores[i].mae / naiveMAE }
        }
        var chosen = scores[0]
        for s in scores.dropFirst() where Self.key(s) < Self.key(chosen) { chosen = s }
        result = BacktestResult(
            horizon: horizon, historyDays: n, origins: origins.count, firstOrigin: firstOrigin,
            chosen: chosen.method, methods: scores)
        self.records = records
        self.pools = pools
    }

    /// What the picker minimises: MASE against seasonal naive, or MAE when that is undefined.
    private static func key(_ s: BacktestResult.MethodScore) -> Double { s.maseSeasonalNaive ?? s.mae }

    private static func clipped(_ i: (Double, Double, Double, Double), _ clip: Bool) -> (Double, Double, Double, Double) {
        clip ? (max(0, i.0), max(0, i.1), max(0, i.2), max(0, i.3)) : i
    }

    /// scale[t] = mean |y[i] − y[i−lag]| over i in lag..<t (nil when t ≤ lag).
    static func lagScales(_ y: [Double], lag: Int) -> [Double?] {
        var result = [Double?](repeating: nil, count: y.count + 1)
        var sum = 0.0
        for t in 0...y.count {
            if t > lag { sum += abs(y[t - 1] - y[t - 1 - lag]); result[t] = sum / Double(t - lag) }
        }
        return result
    }

    static func score(_ method: DailyForecastMethod, _ records: [Record], horizon: Int, scale7: [Double?], scale1: [Double?])
        -> BacktestResult.MethodScore
    {
        var absSum = 0.0, smapeSum = 0.0
        var mase7 = 0.0, mase7Count = 0, mase1 = 0.0, mase1Count = 0
        var in80 = 0, in95 = 0, covered = 0
        var stepSum = [Double](repeating: 0, count: horizon), stepCount = [Int](repeating: 0, count: horizon)
        for r in records {
            let e = abs(r.actual - r.forecast)
            absSum += e
            let denominator = abs(r.actual) + abs(r.forecast)
            smapeSum += denominator > 0 ? 200 * e / denominator : 0
            if let s = scale7[r.origin], s > 0 { mase7 += e / s; mase7Count += 1 }
            if let s = scale1[r.origin], s > 0 { mase1 += e / s; mase1Count += 1 }
            stepSum[r.step - 1] += e
            stepCount[r.step - 1] += 1
            if let i = r.interval {
                covered += 1
                if r.actual >= i.0 && r.actual <= i.1 { in80 += 1 }
                if r.actual >= i.2 && r.actual <= i.3 { in95 += 1 }
            }
        }
        let n = Double(max(records.count, 1))
        return BacktestResult.MethodScore(
            method: method, pairs: records.count, mae: absSum / n,
            maseSeasonalNaive: mase7Count > 0 ? mase7 / Double(mase7Count) : nil,
            maseNaive: mase1Count > 0 ? mase1 / Double(mase1Count) : nil,
            smape: smapeSum / n, maeRatioToSeasonalNaive: nil,
            coverage80: covered > 0 ? Double(in80) / Double(covered) : nil,
            coverage95: covered > 0 ? Double(in95) / Double(covered) : nil,
            coveragePairs: covered,
            maeByStep: zip(stepSum, stepCount).filter { $0.1 > 0 }.map { $0.0 / Double($0.1) })
    }
}
