/// What `homebase generate` should produce: the period, fleet size, volume and seed.
package struct GeneratorOptions: Sendable, Equatable {
    /// Number of UTC days, ending at `endDay` inclusive.
    package var days: Int = 30
    package var agents: Int = 3
    /// Average LLM calls per agent per day before seasonality, growth and noise.
    package var callsPerDay: Int = 40
    package var seed: UInt64 = 1
    /// Last generated day, in days since 1970-01-01 (UTC).
    package var endDay: Int64
    /// When set, calls and tool-result sizes are scaled so the transcripts come to about this many MB.
    package var targetMB: Int?
    /// With `targetMB`: reach the size with more calls of the usual size (one file of a few KB
    /// per call for each chat session, as a real installation has: 1 GB is ~38 k files) instead of
    /// a realistic call rate with larger tool results (1 GB is ~2 k files of ~500 KB). `--small-files`.
    package var smallFiles = false
    /// JSONL files, the SQLite store, or a half-migrated mix of both (`--store`).
    package var store: SessionStoreLayout = .jsonl
    /// Multiplier on ordinary tool-result and message sizes (set by `targetMB` calibration).
    var sizeScale: Double = 1.0
    /// Adds the five `plant-*` agents carrying one case of each cost-saving recommendation (off: output unchanged).
    package var plantSavings = false
    /// Other fleets the invoices also bill, as if one organisation ran both installations
    /// (`--bill-also`; samples/ bills samples/store's calls this way). Generated in memory only.
    package var billAlso: [GeneratorOptions] = []

    package init(
        days: Int = 30, agents: Int = 3, callsPerDay: Int = 40, seed: UInt64 = 1, endDay: Int64,
        targetMB: Int? = nil
    ) {
        self.days = days
        self.agents = agents
        self.callsPerDay = callsPerDay
        self.seed = seed
        self.endDay = endDay
        self.targetMB = targetMB
    }

    /// Sessions starting before this day (days since epoch) were migrated in the `mixed` layout.
    var migrationDay: Int64 { startDay + Int64(days / 2) }

    /// First generated day (days since epoch).
    var startDay: Int64 { endDay - Int64(days) + 1 }
}
