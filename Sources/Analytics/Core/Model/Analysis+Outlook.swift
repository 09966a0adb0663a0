import Detectors
extension Analysis {
    /// Theil–Sen slope and Mann–Kendall test of one daily series.
    package struct Trend: Codable, Sendable, Equatable {
        package var n = 0
        package var slope_per_day = 0.0
        package var intercept = 0.0
        package var mann_kendall_s = 0
        package var z = 0.0
        package var p_value = 1.0
        /// `up` or `down` when p < 0.05 and the slope has that sign, else `stable`.
        package var direction = "stable"
    }

    package struct TrendSet: Codable, Sendable, Equatable {
        package var cost_usd: Trend?
        package var calls: Trend?
        package var error_rate: Trend?
        package var p95_latency_ms: Trend?
    }

    package struct TrendSection: Codable, Sendable, Equatable {
        package var overall = TrendSet()
        package var by_agent: [String: TrendSet] = [:]
    }

    package struct ForecastPoint: Codable, Sendable, Equatable {
        package var date = ""
        package var mean = 0.0
        package var lo80 = 0.0
        package var hi80 = 0.0
        package var lo95 = 0.0
        package var hi95 = 0.0
    }

    /// The rolling-origin backtest that chose a forecast's method (Detectors' `Backtest`).
    package struct BacktestResult: Codable, Sendable, Equatable {
        package var horizon = 7
        package var origins = 0
        /// In-sample mean |y[t] − y[t−7]| of the whole history (0 with a week or less).
        package var scale = 0.0
        /// By method: mean absolute error over every (origin, step) checked.
        package var mae: [String: Double] = [:]
        /// By method: MASE against seasonal naive (methods whose MASE is undefined are left out).
        package var mase: [String: Double] = [:]
        package var history_days: Int?
        package var first_origin: Int?
        package var chosen: String?
        /// Every candidate's figures: MASE against seasonal naive and naive, sMAPE, MAE by step, 80/95 % coverage.
        package var methods: [Detectors.BacktestResult.MethodScore]?

        package init() {}

        package init(_ b: Detectors.BacktestResult, scale: Double?) {
            horizon = b.horizon
            origins = b.origins
            self.scale = scale ?? 0
            mae = Dictionary(uniqueKeysWithValues: b.methods.map { ($0.method.rawValue, $0.mae) })
            mase = Dictionary(uniqueKeysWithValues: b.methods.compactMap { m in m.maseSeasonalNaive.map { (m.method.rawValue, $0) } })
            history_days = b.historyDays
            first_origin = b.firstOrigin
            chosen = b.chosen.rawValue
            methods = b.methods
        }
    }

    package struct MonthEnd: Codable, Sendable, Equatable {
        package var month = ""
        package var actual_usd = 0.0
        package var projected_usd = 0.0
    }

    /// Daily cost forecast of one scope.
    package struct Forecast: Codable, Sendable, Equatable {
        package var method = ""
        package var alpha: Double?
        package var beta: Double?
        package var gamma: Double?
        /// Damped Holt–Winters' trend damping.
        package var phi: Double?
        package var period: Int?
        package var history_days = 0
        package var sigma = 0.0
        package var backtest: BacktestResult?
        /// The chosen method's backtest MASE against seasonal naive (nil without a backtest or when the scale is 0).
        package var mase: Double?
        /// How much to trust the projection: the chosen method's backtest MASE against naive,
        /// sMAPE (percent) and the share of actuals inside its 80 % / 95 % intervals.
        package var mase_naive: Double?
        package var smape: Double?
        package var coverage_80: Double?
        package var coverage_95: Double?
        /// `backtest_errors` (quantiles of the method's own backtest errors) or `random_walk` (too few errors yet).
        package var intervals: String?
        package var days: [ForecastPoint] = []
        package var next_7_days_usd = 0.0
        package var next_30_days_usd = 0.0
        package var month_end = MonthEnd()
    }

    package struct ForecastSection: Codable, Sendable, Equatable {
        package var overall: Forecast?
        package var by_agent: [String: Forecast] = [:]
        package init() {}
    }

    package struct BudgetStatus: Codable, Sendable, Equatable {
        package var budget_usd = 0.0
        package var actual_usd = 0.0
        package var projected_usd = 0.0
        package var percent_used = 0.0
        package var projected_percent = 0.0
        /// First local day on which actual plus forecast cost passes the budget, if it does this month.
        package var overrun_date: String?
        /// `ok`, `projected_over` or `over`.
        package var status = "ok"
    }

    package struct BudgetSection: Codable, Sendable, Equatable {
        package var month = ""
        package var overall: BudgetStatus?
        package var by_agent: [String: BudgetStatus] = [:]
        package init() {}
    }
}
