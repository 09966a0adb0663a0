extension Analysis {
    /// Causal scores of one series (aligned with `range.days` or `anomalies.hours`): `scores` is
    /// the robust z against the baseline, `anomaly_scores` the score in [0, 1] (0.5 at the threshold).
    package struct AnomalySeries: Codable, Sendable, Equatable {
        package var agent_id: String?
        package var metric = ""
        package var scores: [Double?] = []
        package var expected: [Double?] = []
        package var anomaly_scores: [Double?]?
        /// Per point: `scored`, `level_shift`, `missing` or `insufficient_history` (still warming up).
        package var status: [String]?
        /// True when no listed point could be scored (too little history).
        package var insufficient_history: Bool?
    }

    /// A series that had too little history to score any listed point.
    package struct InsufficientHistory: Codable, Sendable, Equatable {
        package var period = ""
        package var agent_id: String?
        package var metric = ""
    }

    package struct AnomalyPoint: Codable, Sendable, Equatable {
        /// `day` or `hour`.
        package var period = ""
        package var at = ""
        package var agent_id: String?
        package var metric = ""
        package var value = 0.0
        package var expected = 0.0
        package var score = 0.0
        /// The anomaly score in [0, 1] (≥ 0.5 for every listed point) and the scorer's status (`scored` or `level_shift`).
        package var anomaly_score: Double?
        package var status: String?
        /// Why the point is listed, as a sentence a reader can check against value and expected.
        package var reason: String?
    }

    package struct AnomalySection: Codable, Sendable, Equatable {
        package var threshold = 3.5
        package var hours: [String] = []
        package var daily: [AnomalySeries] = []
        package var hourly: [AnomalySeries] = []
        /// Points of the analysed days with |score| ≥ threshold and a change of at least the
        /// materiality floor (`minimum`), largest score first; one per scope, metric and time.
        package var flagged: [AnomalyPoint] = []
        /// The materiality floor by metric (`cost_usd` in USD, `calls`, `error_rate` as a fraction, `p95_latency_ms`).
        package var minimum: [String: Double]?
        /// The level-shift rule: `shift_confirm` points in a row at |z| ≥ `shift_z` on one side are the new normal.
        package var shift_z: Double?
        package var shift_confirm: Int?
        /// Days of history before the range fed to the daily series (hours: 28 × 24 before `hours`).
        package var history_days: Int?
        /// Series with too little history to score any listed point ("insufficient history", not a score).
        package var insufficient_history: [InsufficientHistory] = []
    }

    package struct CorrelationStats: Codable, Sendable, Equatable {
        package var n = 0
        package var pearson: Double?
        package var spearman: Double?
    }

    package struct CorrelationSection: Codable, Sendable, Equatable {
        /// Cost (USD) vs latency (ms) of the calls with a known latency, per model.
        package var by_model: [String: CorrelationStats] = [:]
    }

    package struct UnpricedModel: Codable, Sendable, Equatable {
        package var provider = ""
        package var model = ""
        package var calls = 0
    }

    package struct DataQuality: Codable, Sendable, Equatable {
        package var rows_read = 0
        package var parts_read = 0
        package var quarantined_lines = 0
        package var unpriced_calls = 0
        package var unpriced_models: [UnpricedModel] = []
        package var calls_without_latency = 0
        package var gap_days: [String] = []
    }
}
