import HomeBaseCore

/// Fleet-wide decisions made once from the seed: the anomalous day, the provider outage,
/// the day the gateway was upgraded, and which error texts each provider family can produce.
struct FleetPlan: Sendable {
    /// Day index (0-based) of the cost spike (agent 0 runs away on an expensive model).
    let anomalyDayIndex: Int
    /// First day (epoch days) whose gateway `time` fields carry a local offset instead of `Z`.
    let upgradeDay: Int64
    /// Epoch day of a provider outage (error rate up for every agent), or nil for short runs.
    let outageDay: Int64?
    /// Error-shape indices per family (anthropic, openai, google, compat).
    let shapes: [[Int]]

    init(options: GeneratorOptions) {
        var rng = SplitMix64.derived(seed: options.seed, stream: 0)
        let days = options.days
        anomalyDayIndex = days >= 7 ? days * 2 / 3 + rng.below(max(days / 6, 1)) : days - 1
        upgradeDay = options.startDay + Int64(days / 3)
        outageDay = days >= 10 ? options.startDay + Int64(days / 4 + rng.below(max(days / 4, 1))) : nil
        shapes = [ModelProfile.Family.anthropic, .openai, .google, .compat].map { ErrorShape.candidates(for: $0) }
    }

    /// Whether `ms` falls in the outage window (a four-hour afternoon).
    func outageDay(_ ms: Int64, agent: Int) -> Bool {
        guard let outageDay else { return false }
        let (day, offset) = ms.floorDivided(by: 86_400_000)
        return day == outageDay && offset >= 13 * 3_600_000 && offset < 17 * 3_600_000
    }
}
