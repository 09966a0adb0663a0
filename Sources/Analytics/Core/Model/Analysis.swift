import Detectors
/// Everything `homebase analyze` computes, as written to `analysis.json` (field names are the
/// JSON names, hence snake_case; documented in docs/analysis-json.md). Reports, exports and the
/// e-mail read this tree rather than recomputing anything.
package struct Analysis: Codable, Sendable, Equatable {
    /// Bumped when a field changes meaning or is removed (adding fields does not bump it).
    package var schema_version = 1
    package var generated_at = ""
    package var time_zone = "UTC"
    /// The reference instant of the rolling windows and forecasts, and where it came from.
    package var now = ""
    package var now_source = "data"
    package var snapshot: Int64?
    package var range = DateRange()
    package var windows: [String: Window] = [:]
    package var cost = CostSection()
    package var daily = DailySection()
    package var latency = LatencySection()
    package var throughput = ThroughputSection()
    package var errors = ErrorSection()
    package var retries = RetrySection()
    package var trends = TrendSection()
    package var forecasts = ForecastSection()
    package var budgets = BudgetSection()
    package var anomalies = AnomalySection()
    package var correlation = CorrelationSection()
    package var data_quality = DataQuality()
    /// Logs vs invoices per provider, day and month; absent when no invoice was ingested.
    package var reconciliation: Reconciliation?
    /// Cost-saving recommendations over the range, ranked by monthly saving.
    package var recommendations: [Recommendation]?
    /// Host and gateway health from `host_samples`; absent when no sample is in the window.
    package var health: HealthSection?
    /// Spend, calls and rate-limit errors per API key this month, against its limit; absent when
    /// no key is configured and no invoice names one.
    package var keys: KeyUsageSection?
    /// The rotation audit trail of the imported secrets-manager inventories; absent before the first import.
    package var credential_audit: CredentialAudit?

    package init() {}

    /// The local days analysed (every day from `from` to `to`, with or without calls).
    package struct DateRange: Codable, Sendable, Equatable {
        package var from = ""
        package var to = ""
        package var days: [String] = []
    }

    /// Counts, tokens and money of a set of calls.
    package struct Totals: Codable, Sendable, Equatable {
        package var calls = 0
        package var errors = 0
        package var cost_usd = 0.0
        package var input_tokens: Int64 = 0
        package var output_tokens: Int64 = 0
        package var cache_read_tokens: Int64 = 0
        package var cache_write_tokens: Int64 = 0
        package var total_tokens: Int64 = 0
        package var cost_per_request_usd: Double?
        package var cost_per_1k_tokens_usd: Double?
        package var cache_hit_ratio: Double?
        package var cache_savings_usd = 0.0
        package init() {}
    }

    /// One time window: its bounds and totals overall and per agent, model, provider.
    package struct Window: Codable, Sendable, Equatable {
        package var start = ""
        package var end = ""
        package var total = Totals()
        package var by_agent: [String: Totals] = [:]
        package var by_model: [String: Totals] = [:]
        package var by_provider: [String: Totals] = [:]
    }

    /// Totals over the requested range, by group and by local day.
    package struct CostSection: Codable, Sendable, Equatable {
        package var total = Totals()
        package var by_agent: [String: Totals] = [:]
        package var by_model: [String: Totals] = [:]
        package var by_provider: [String: Totals] = [:]
        package var by_day: [String: Totals] = [:]
    }

    /// Daily series aligned with `range.days`, for charts and the statistics below.
    package struct DailySection: Codable, Sendable, Equatable {
        package var overall = DailySeries()
        package var by_agent: [String: DailySeries] = [:]
    }

    package struct DailySeries: Codable, Sendable, Equatable {
        package var cost_usd: [Double] = []
        package var calls: [Int] = []
        package var errors: [Int] = []
        package var error_rate: [Double?] = []
        package var p95_latency_ms: [Double?] = []
        package var output_tokens: [Int64] = []
    }
}
