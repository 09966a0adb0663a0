import HomeBaseCore
import SQLiteStore
/// Idle spend: a scheduled (cron) job whose cost per run grew while its output did not.
///
/// The lake has no session keys (`agent:<id>:cron:<job>:run:<id>` lives in `sessions.json`), so a
/// scheduled job is recognised by its schedule: sessions of one agent whose first call starts in
/// the same slot of the UTC day on many days.
enum IdleSpendRule {
    static func find(_ context: RuleContext, sessions: [SessionStats]) -> [Recommendation] {
        let calls = context.calls, options = context.options
        let slotMicros = Int64(max(options.scheduleSlotMinutes, 1)) * 60_000_000
        struct Key: Hashable, Comparable {
            var agent: Int32, slot: Int64
            static func < (a: Key, b: Key) -> Bool { (a.agent, a.slot) < (b.agent, b.slot) }
        }
        var jobs: [Key: [SessionStats]] = [:]
        for session in sessions {
            let ofDay = session.start - session.day * 86_400_000_000
            jobs[Key(agent: session.agent, slot: ofDay / slotMicros), default: []].append(session)
        }
        var found: [Recommendation] = []
        for (key, runs) in jobs.sorted(by: { $0.key < $1.key }) {
            let days = Set(runs.map(\.day))
            guard let firstDay = days.min(), let lastDay = days.max() else { continue }
            let span = lastDay - firstDay + 1
            guard span >= 14, days.count >= options.scheduleMinRuns,
                Double(days.count) >= options.scheduleMinCoverage * Double(span)
            else { continue }
            let first = runs.filter { $0.day <= firstDay + 6 }, last = runs.filter { $0.day >= lastDay - 6 }
            let c1 = first.reduce(0) { $0 + $1.cost } / Double(first.count)
            let c2 = last.reduce(0) { $0 + $1.cost } / Double(last.count)
            let o1 = Double(first.reduce(Int64(0)) { $0 + $1.output }) / Double(first.count)
            let o2 = Double(last.reduce(Int64(0)) { $0 + $1.output }) / Double(last.count)
            guard c1 > 0, c2 > c1 * (1 + options.idleMinCostGrowth), o2 <= o1 * (1 + options.idleMaxOutputGrowth) else { continue }
            let runsPerDay = Double(last.count) / 7
            let total = runs.reduce(0) { $0 + $1.cost }
            let agent = calls.name(key.agent)
            let slotStart = key.slot * Int64(max(options.scheduleSlotMinutes, 1))
            let schedule = pad(slotStart / 60) + ":" + pad(slotStart % 60) + " UTC"
            var evidence = RecommendationEvidence(
                period: context.period, calls: runs.reduce(0) { $0 + $1.calls },
                groupCalls: sessions.filter { $0.agent == key.agent }.reduce(0) { $0 + $1.calls },
                costUSD: total, costAfterUSD: Double(runs.count) * c1)
            evidence.sessions = SessionStats.top(runs, calls)
            evidence.schedule = schedule
            evidence.runs = runs.count
            evidence.firstWeekCostPerRunUSD = c1
            evidence.lastWeekCostPerRunUSD = c2
            evidence.firstWeekOutputPerRun = o1
            evidence.lastWeekOutputPerRun = o2
            evidence.lastWeekRunsPerDay = runsPerDay
            found.append(
                Recommendation(
                    kind: .idleSpend,
                    title: "Trim the context of agent \(agent)'s scheduled run at \(schedule): cost per run grew "
                        + "\(RecommendationText.percent(c2 / c1 - 1)) while its output did not",
                    agent: agent, evidence: evidence,
                    monthlySavingUSD: (c2 - c1) * runsPerDay * 30,
                    assumptions: [
                        "Scheduled job: sessions of the agent whose first call starts in the \(options.scheduleSlotMinutes)-minute slot \(schedule), on \(days.count) of the \(span) days from \(UTCDate.dateString(days: firstDay)) to \(UTCDate.dateString(days: lastDay)) (the lake has no cron session keys; the schedule is the signal).",
                        "Grew: mean cost per run in its last 7 days > \(RecommendationText.number(1 + options.idleMinCostGrowth))× its first 7 days, while mean output tokens per run grew at most \(RecommendationText.percent(options.idleMaxOutputGrowth)).",
                        "Saving = (last-week cost per run − first-week cost per run) × last-week runs per day × 30 days, as if the context were trimmed back to the first week's size.",
                        "cost_after_usd prices every run of the period at the first week's cost per run."
                    ],
                    upperBound: false))
        }
        return found
    }

    private static func pad(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
