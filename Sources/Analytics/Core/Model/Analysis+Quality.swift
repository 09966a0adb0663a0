extension Analysis {
    /// Robust z-scores of one series (aligned with `range.days` or `anomalies.hours`).
    package struct AnomalySeries: Codable, Sendable, Equatable {
        package var agent_id: String?
        package var metric = ""
        package var scores: [Double?] = []
        package var expected: [Double?] = []
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
