/// The figures of a rolling-origin backtest, for analysis.json and `homebase forecast --backtest`.
package struct BacktestResult: Sendable, Equatable, Codable {
    /// Longest forecast step checked.
    package var horizon: Int
    package var historyDays: Int
    /// Forecast origins (training lengths) used: `origins` of them, the first at `firstOrigin` days.
    package var origins: Int
    package var firstOrigin: Int
    /// The method with the lowest MASE against seasonal naive (ties to the simpler).
    package var chosen: DailyForecastMethod
    /// Every candidate's figures, simplest first.
    package var methods: [MethodScore]

    enum CodingKeys: String, CodingKey {
        case horizon, origins, chosen, methods
        case historyDays = "history_days", firstOrigin = "first_origin"
    }

    /// One method's backtest figures over all (origin, step) pairs whose day is in the history.
    package struct MethodScore: Sendable, Equatable, Codable {
        package var method: DailyForecastMethod
        package var pairs: Int
        package var mae: Double
        /// Mean of |error| / (in-sample mean |y[i] − y[i−7]| of the origin's training days); nil when that is 0.
        package var maseSeasonalNaive: Double?
        /// The same with lag 1 (against naive).
        package var maseNaive: Double?
        /// Mean of 200·|error| / (|actual| + |forecast|), in percent (0 when both are 0).
        package var smape: Double
        /// MAE over the seasonal naive method's MAE on the same pairs.
        package var maeRatioToSeasonalNaive: Double?
        /// Share (0…1) of actuals inside the 80 % and 95 % intervals, each interval built only from
        /// errors known at its origin; nil when no pair had an interval.
        package var coverage80: Double?
        package var coverage95: Double?
        package var coveragePairs: Int
        /// MAE by step (index 0 is one day ahead).
        package var maeByStep: [Double]

        enum CodingKeys: String, CodingKey {
            case method, pairs, mae, smape
            case maseSeasonalNaive = "mase_seasonal_naive", maseNaive = "mase_naive",
                maeRatioToSeasonalNaive = "mae_ratio_to_seasonal_naive", coverage80 = "coverage_80",
                coverage95 = "coverage_95", coveragePairs = "coverage_pairs", maeByStep = "mae_by_step"
        }
    }

    /// The chosen method's figures.
    package var chosenScore: MethodScore? { methods.first { $0.method == chosen } }
}
