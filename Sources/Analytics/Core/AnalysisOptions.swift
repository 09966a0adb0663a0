import HostHealth
import Lake
import Config
/// Everything an analysis depends on besides the lake: the single place budgets, the time zone
/// and the clock come in (from flags today, from the config file later).
package struct AnalysisOptions: Sendable {
    package var dataDir: String
    /// First and last local day analysed (`YYYY-MM-DD`); nil: the first / last day with data.
    package var from: String?
    package var to: String?
    /// IANA time-zone name the days are bucketed in.
    package var timeZone = "UTC"
    /// The reference instant (µs) of the rolling windows; nil: the latest call read.
    package var now: Int64?
    /// When the analysis was made (µs), for `generated_at` only.
    package var generatedAt: Int64
    /// Monthly budget in USD for the whole fleet, and per agent id.
    package var budgetUSD: Double?
    package var agentBudgetsUSD: [String: Double] = [:]
    /// Robust z-score at or above which a point is listed as an anomaly.
    package var anomalyThreshold = 3.5
    /// The scorer's level-shift rule (`anomalies.shift_z`, `anomalies.shift_confirm`).
    package var anomalyShiftZ = 3.0
    package var anomalyShiftConfirm = 3
    /// Materiality floor: a point is listed only when it is this far from what was expected, in
    /// dollars (cost), calls (calls), rate points (error rate, 0.05 = 5 points) or milliseconds (p95).
    package var anomalyMinimumUSD = 0.25
    package var anomalyMinimumCalls = 10.0
    package var anomalyMinimumErrorRate = 0.05
    package var anomalyMinimumLatencyMs = 1000.0
    /// Read this snapshot instead of the newest.
    package var asOf: Int64?
    /// Start from the sums the previous analysis saved for the lake's settled parts and save them
    /// for the next (`AnalysisCheckpoint`); false reads every part.
    package var resumeFromSavedState = true
    package var slowestSessions = 10
    /// Reconciliation against ingested invoices: relative tolerance and the smallest gap flagged.
    package var reconcileTolerance = 0.02
    package var reconcileMinimumGapUSD = 0.01
    /// Thresholds and the floor of the recommendations; the extra price file they price with.
    package var recommendations = RecommendationOptions()
    package var priceFile: String?
    package var priceOverrides: [String: ModelPrice] = [:]
    /// Keep only this agent's calls (reports for one agent); nil: the whole fleet.
    package var agent: String?
    /// The health rules (config `health`) and the days of samples before `generatedAt` the
    /// System health section covers at least (from the first analysed day when that is earlier,
    /// at most 92 days).
    package var healthRules = HealthRules()
    package var healthDays = 7
    /// False: the section is computed but lists no alerts (`health.alerts.enabled`).
    package var healthAlerts = true
    /// The instant health is judged at (gaps, memory window); nil: `generatedAt`.
    package var healthNow: Int64?
    /// The credential inventory (config `credentials`): per-key usage and monthly limits, and
    /// `alerts.budget_percent`, from which a key's status is `near`.
    package var keys: [HomeBaseConfig.Credential] = []
    /// Forecasts fitted earlier in this process (the nightly shares one with its reports); nil: fit each.
    package var forecastMemo: ForecastMemo?
    /// The last days' parts as decoded by the nightly's analysis, kept by it and taken by its
    /// reports' analyses (`DecodedParts`); nil: every analysis decodes its own.
    package var decodedParts: DecodedParts?
    package var keyNearPercent: Double? = 90

    package init(dataDir: String, generatedAt: Int64) {
        self.dataDir = dataDir
        self.generatedAt = generatedAt
    }
}

extension AnalysisOptions {
    /// The config's anomaly threshold and materiality floor (`alerts.anomaly_score`, `anomaly_min_usd`,
    /// `anomaly_min_calls`), the same for `analyze`, `report` and `nightly` so their anomalies agree.
    package mutating func applyAnomalyRules(_ rules: HomeBaseConfig.AlertRules) {
        anomalyThreshold = rules.anomalyAlertZ ?? rules.anomalyScore ?? anomalyThreshold
        anomalyShiftZ = rules.anomalyShiftZ ?? anomalyShiftZ
        anomalyShiftConfirm = rules.anomalyShiftConfirm ?? anomalyShiftConfirm
        anomalyMinimumUSD = rules.anomalyMinimumUSD ?? anomalyMinimumUSD
        anomalyMinimumCalls = rules.anomalyMinimumCalls ?? anomalyMinimumCalls
    }

    /// The config's `health` interval and alert thresholds, the same for `analyze`, `report` and `nightly`.
    package mutating func applyHealth(_ health: HomeBaseConfig.HealthSettings) {
        var rules = health.alerts.rules
        rules.expectedIntervalSeconds = health.intervalSeconds
        healthRules = rules
        healthAlerts = health.alerts.enabled
    }
}

extension AnalysisOptions {
    /// The config's part of an analysis (time zone, budgets, anomaly and reconciliation rules,
    /// prices): the one mapping `analyze`, `report`, `nightly` and `doctor` share, so their numbers agree.
    package init(config: HomeBaseConfig, dataDir: String? = nil, generatedAt: Int64) {
        self.init(dataDir: dataDir ?? config.dataDir, generatedAt: generatedAt)
        timeZone = config.timeZone
        budgetUSD = config.budgets.monthlyUSD
        agentBudgetsUSD = config.budgets.agents
        keys = config.credentials
        keyNearPercent = config.alerts.budgetPercent
        applyAnomalyRules(config.alerts)
        applyHealth(config.health)
        reconcileTolerance = (config.alerts.reconciliationGapPercent ?? 2) / 100
        priceFile = config.priceFile
        priceOverrides = config.priceOverrides
    }
}
