import HomeBaseCore
import SQLiteStore

/// Generates every file of one agent (`agents/<id>/sessions/...`) day by day, and counts what
/// it wrote into a manifest. Agents are independent (own PRNG stream), so they run in parallel.
struct AgentGenerator {
    let index: Int
    let agentId: String
    let agentIdBytes: [UInt8]
    let options: GeneratorOptions
    let plan: FleetPlan
    let sessionsDir: String
    /// Where the real installation lived: paths inside the data (`parentSession`, `sessionFile`).
    let homeSessionsDir: String
    var rng: SplitMix64
    var manifest = GenerationManifest()
    /// Each session file's last event (ms since the epoch), to become its modification time.
    var lastWrites: [(name: String, milliseconds: Int64)] = []
    /// Counted calls per UTC day, provider and model: what the provider invoices bill.
    var invoiceUsage: [InvoiceUsage.Key: InvoiceUsage] = [:]
    var gateway: GatewayLog
    var files: [(name: String, bytes: [UInt8])] = []
    var store: [(key: String, sid: (UInt64, UInt64), updatedMs: Int64, profile: Int)] = []
    private var sessionCount = 0
    private let pool = TextPool.shared

    static let names = ["main", "research", "ops", "wechat-assistant", "coder", "homelab", "cron", "comedy", "demo", "anuo"]
    static let primaries = [0, 3, 6, 10, 7, 13]
    static let fallbacks = [3, 5, 9, 11, 8, 15]
    static let hourWeights = [1, 1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 9, 8, 9, 10, 10, 9, 8, 7, 6, 5, 4, 3, 2]
    static let weekdayFactors = [1.0, 1.05, 1.0, 1.1, 0.95, 0.45, 0.35]

    static func name(_ index: Int) -> String {
        index < names.count ? names[index] : "agent-\(index + 1)"
    }

    init(index: Int, options: GeneratorOptions, plan: FleetPlan, stateDir: String) {
        self.index = index
        agentId = AgentGenerator.name(index)
        agentIdBytes = Array(agentId.utf8)
        self.options = options
        self.plan = plan
        sessionsDir = stateDir + "/agents/" + agentId + "/sessions"
        homeSessionsDir = "/home/ana/.openclaw/agents/" + agentId + "/sessions/"
        rng = SplitMix64.derived(seed: options.seed, stream: UInt64(index + 1))
        gateway = GatewayLog(offsetMinutes: 120, upgradeDay: plan.upgradeDay, stream: index + 1)
    }

    var primary: Int { AgentGenerator.primaries[index % AgentGenerator.primaries.count] }
    var fallback: Int { AgentGenerator.fallbacks[index % AgentGenerator.fallbacks.count] }

    // MARK: Days

    /// Generates all days; file bytes are handed to `emit` as soon as each file is complete.
    mutating func run(emit: (String, [UInt8]) throws -> Void) rethrows {
        let agentScale = [1.0, 0.7, 0.5, 0.8, 0.6, 0.4][index % 6] * (1 + 0.1 * Double(index / 6))
        for dayIndex in 0..<options.days {
            let day = options.startDay + Int64(dayIndex)
            let growth = 0.6 + 0.6 * Double(dayIndex) / Double(max(options.days - 1, 1))
            let noise = 0.8 + 0.4 * rng.unit()
            var budget = Int(
                (Double(options.callsPerDay) * AgentGenerator.weekdayFactors[UTCDate.weekday(days: day)]
                    * growth * agentScale * noise).rounded())
            let anomalous = dayIndex == plan.anomalyDayIndex && index == 0
            // Sessions of the day, by start time.
            var starts: [Int64] = []
            var budgets: [Int] = []
            while budget > 0 {
                let calls = min(budget, rng.around(10, spread: 2.5))
                budgets.append(calls)
                budget -= calls
                starts.append(day * 86_400_000 + startOffsetMs())
            }
            if anomalous {
                // A runaway loop: an expensive model re-reading a huge context, many times the usual calls.
                budgets.append(max(options.callsPerDay * 5, 20))
                starts.append(day * 86_400_000 + 13 * 3_600_000 + Int64(rng.below(1_800_000)))
            }
            let order = starts.indices.sorted { (starts[$0], $0) < (starts[$1], $1) }
            for (position, i) in order.enumerated() {
                let isLast = dayIndex == options.days - 1 && position == order.count - 1
                var features = SessionFeatures.forced(index == 0 ? sessionCount : -1) ?? randomFeatures()
                if anomalous && budgets[i] >= max(options.callsPerDay * 5, 20) {
                    features = SessionFeatures()
                    features.forcedProfile = 1
                }
                if isLast { features.successor = false; features.reset = false; features.deleted = false }
                try session(
                    startMs: starts[i], budget: budgets[i], features: features, dayIndex: dayIndex,
                    live: isLast, runaway: anomalous && features.forcedProfile == 1, emit: emit)
            }
        }
        try emit("sessions.json", sessionStore())
        manifest.files["sessions_json", default: 0] += 1
        if index % 2 == 0 {
            try emit("sessions.json.bak.1", sessionStore())
            manifest.files["bak", default: 0] += 1
        }
    }

    private mutating func startOffsetMs() -> Int64 {
        var r = rng.below(AgentGenerator.hourWeights.reduce(0, +))
        var hour = 0
        while r >= AgentGenerator.hourWeights[hour] { r -= AgentGenerator.hourWeights[hour]; hour += 1 }
        return Int64(hour) * 3_600_000 + Int64(rng.below(3_600_000))
    }

    private mutating func randomFeatures() -> SessionFeatures {
        var f = SessionFeatures()
        f.successor = rng.chance(0.02)
        f.checkpoint = rng.chance(0.03)
        f.trajectory = rng.chance(0.05)
        f.bak = rng.chance(0.01)
        let archive = rng.below(100)
        f.reset = archive < 8
        f.deleted = archive >= 8 && archive < 11
        f.topic = rng.chance(0.03)
        f.malformed = rng.chance(0.005)
        f.rewritten = rng.chance(0.01)
        f.loneSurrogate = rng.chance(0.01)
        f.huge = rng.chance(0.004)
        f.clawdbot = index % 4 == 3 && rng.chance(0.3)
        f.negativeLatency = rng.chance(0.02)
        f.cron = rng.chance(0.12)
        return f
    }

    private mutating func chooseProfile(_ features: SessionFeatures) -> Int {
        if let forced = features.forcedProfile { return forced }
        if features.cron { return rng.chance(0.5) ? 2 : 6 }
        let r = rng.below(100)
        if r < 72 { return primary }
        if r < 80 { return fallback }
        return rng.below(ModelProfile.all.count)
    }

    // MARK: Sessions

    private mutating func session(
        startMs: Int64, budget: Int, features: SessionFeatures, dayIndex: Int, live: Bool,
        runaway: Bool, emit: (String, [UInt8]) throws -> Void
    ) rethrows {
        sessionCount += 1
        var state = SessionState(
            sid: (rng.next(), rng.next()), profile: chooseProfile(features), clock: startMs,
            features: features)
        state.context = runaway ? rng.int(120_000...150_000) : rng.int(6_000...22_000)
        var w = SessionWriter(idSalt: UInt32(truncatingIfNeeded: rng.next()))
        let profile = ModelProfile.all[state.profile]
        w.header(
            uuid: state.sid, timeMs: state.clock, cwd: "/home/ana/.openclaw/workspace", version: dayIndex < 3 ? 2 : 3,
            parentSession: nil)
        state.clock += Int64(rng.int(2...15))
        w.modelChange(entryMs: state.clock, profile)
        w.thinkingLevel(entryMs: state.clock, rng.chance(0.5) ? "low" : "high")
        state.clock += Int64(rng.int(1...12))
        w.modelSnapshot(entryMs: state.clock, profile)
        if dayIndex * 2 >= options.days {
            // Newer builds: bootstrap marker and runtime context before the first user message.
            w.bootstrapContext(entryMs: state.clock, runId: (rng.next(), rng.next()), sessionId: state.sid)
            if rng.chance(0.5) { w.runtimeContext(entryMs: state.clock + 1) }
        }
        if features.rewritten { state.rewriteBaseMs = startMs + Int64(rng.int(2...6)) * 86_400_000 + Int64(rng.below(86_400_000)) }

        var callsUsed = 0
        var turn = 0
        while callsUsed < budget {
            callsUsed += turnLines(&w, &state, turn: turn, runaway: runaway)
            turn += 1
            if state.rewriteBaseMs != nil && turn == 1 { state.rewriteBaseMs = nil }
            if features.malformed && turn == 1 { injectMalformed(&w) }
            if state.context > ModelProfile.all[state.profile].contextLimit * 3 / 4 || (features.checkpoint && turn == 1) {
                try compact(&w, &state, emit: emit)
            }
        }

        let sidText = uuidText(state.sid)
        var name = sidText + ".jsonl"
        if features.topic { name = sidText + "-topic-1769386216.470969.jsonl"; manifest.files["topic", default: 0] += 1 }
        if live {
            // The session still being written: a torn last line and a lock file.
            tear(&w, &state)
            try emit(name + ".lock", Array("{\"pid\":48213}".utf8))
            manifest.files["lock", default: 0] += 1
        }
        if features.reset || features.deleted {
            var suffix = ByteSink(capacity: 40)
            suffix.raw(features.reset ? ".reset." : ".deleted.")
            isoFileStamp(state.clock + Int64(rng.int(60_000...86_400_000)), into: &suffix)
            name = sidText + ".jsonl" + String(decoding: suffix.bytes, as: UTF8.self)
            manifest.files[features.reset ? "reset" : "deleted", default: 0] += 1
        } else {
            manifest.files["primary", default: 0] += 1
        }
        manifest.transcript_bytes += Int64(w.sink.count)
        if features.bak {
            var stamp = ByteSink(capacity: 32)
            isoFileStamp(state.clock + 3_600_000, into: &stamp)
            try emit(sidText + ".jsonl.bak." + String(decoding: stamp.bytes, as: UTF8.self), w.sink.bytes)
            manifest.files["bak", default: 0] += 1
        }
        if features.trajectory {
            try emit(sidText + ".trajectory.jsonl", trajectory(state))
            manifest.files["trajectory", default: 0] += 1
        }
        if features.successor && !live {
            try successor(parent: w, state: &state, parentName: name, emit: emit)
        }
        store.append((key: storeKey(features), sid: state.sid, updatedMs: state.clock, profile: state.profile))
        lastWrites.append((name, state.clock))
        try emit(name, w.sink.bytes)
    }

    private mutating func storeKey(_ features: SessionFeatures) -> String {
        if features.cron { return "agent:\(agentId):cron:daily-brief:run:" + hex4() }
        switch rng.below(3) {
        case 0: return "agent:\(agentId):telegram:direct:" + String(5_550_000 + rng.below(1000))
        case 1: return "agent:\(agentId):subagent:" + hex4() + hex4()
        default: return "agent:\(agentId):feishu:group:oc_" + hex4() + hex4()
        }
    }

    private mutating func hex4() -> String {
        var s = ByteSink(capacity: 8)
        s.hex(rng.next(), digits: 4)
        return String(decoding: s.bytes, as: UTF8.self)
    }

    func uuidText(_ id: (UInt64, UInt64)) -> String {
        var s = ByteSink(capacity: 40)
        s.uuid(id.0, id.1)
        return String(decoding: s.bytes, as: UTF8.self)
    }

    /// `2026-03-02T08-15-44.120Z` (ISO with `:` → `-`), the archive-suffix spelling.
    private func isoFileStamp(_ ms: Int64, into sink: inout ByteSink) {
        var s = ByteSink(capacity: 32)
        s.isoUTC(ms)
        sink.raw(s.bytes.map { $0 == UInt8(ascii: ":") ? UInt8(ascii: "-") : $0 })
    }
}
