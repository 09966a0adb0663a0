import SQLiteStore
/// Rolling-origin backtest: for each origin t (the last `maxOrigins` that leave `horizon` days to
/// check), every candidate is refitted on y[0..<t] and forecasts y[t..<t+horizon]. MAE is the mean
/// absolute error over all those forecasts; MASE divides it by the in-sample MAE of the one-step
/// seasonal naive forecast over the whole series (period 7, or 1 for a week or less of history).
package struct Backtest: Sendable, Equatable {
    package var horizon: Int
    /// The training lengths used as origins.
    package var origins: [Int]
    package var mae: [ForecastMethod: Double]
    /// nil when the scale is 0 (a constant or perfectly weekly series).
    package var mase: [ForecastMethod: Double]
    package var scale: Double
    /// The candidate with the lowest MAE (ties go to the simpler model).
    package var chosen: ForecastMethod

    /// Runs the backtest; nil when the series is too short for any candidate to have an origin.
    package init?(_ y: [Double], period: Int = 7, horizon: Int = 7, maxOrigins: Int = 14) {
        let candidates = ForecastMethod.allCases.filter { $0.minimumHistory(period: period) <= y.count - horizon }
        guard !candidates.isEmpty, horizon >= 1 else { return nil }
        let firstOrigin = max(candidates.map { $0.minimumHistory(period: period) }.max() ?? 0, y.count - horizon - maxOrigins + 1)
        let origins = Array(firstOrigin...(y.count - horizon))
        var mae: [ForecastMethod: Double] = [:]
        for method in candidates {
            var total = 0.0, count = 0
            for t in origins {
                guard let model = method.fit(Array(y[0..<t]), period: period) else { continue }
                for (j, f) in model.forecast(horizon).enumerated() {
                    total += abs(y[t + j] - f)
                    count += 1
                }
            }
            if count > 0 { mae[method] = total / Double(count) }
        }
        let lag = y.count > period ? period : 1
        var scaleSum = 0.0
        for t in lag..<y.count { scaleSum += abs(y[t] - y[t - lag]) }
        let scale = y.count > lag ? scaleSum / Double(y.count - lag) : 0
        guard let chosen = mae.keys.sorted().min(by: { mae[$0]! < mae[$1]! }) else { return nil }
        self.horizon = horizon
        self.origins = origins
        self.mae = mae
        self.scale = scale
        mase = scale > 0 ? mae.mapValues { $0 / scale } : [:]
        self.chosen = chosen
    }
}
