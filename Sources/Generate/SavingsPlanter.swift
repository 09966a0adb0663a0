import HomeBaseCore
import SQLiteStore

/// `homebase generate --plant-savings`: five extra agents, each carrying one case a cost-saving
/// recommendation must find (see docs/recommendations.md). They are written after the normal
/// fleet with their own PRNG streams, so every other file stays byte-identical.
enum SavingsPlanter {
    /// The planted agents, in the order of `Recommendation.Kind`.
    static let agents = ["plant-caching", "plant-right-sizing", "plant-retries", "plant-runaway", "plant-cron"]

    /// Writes the planted agents' transcripts under `stateDir` and `planted-savings.json` in `outDir`.
    static func plant(_ options: GeneratorOptions, stateDir: String, outDir: String) throws {
        for (index, agent) in agents.enumerated() {
            var rng = SplitMix64.derived(seed: options.seed, stream: 0x5A_7E00 + UInt64(index))
            let dir = stateDir + "/agents/" + agent + "/sessions"
            try FileOutput.makeDirectories(dir)
            for dayIndex in 0..<options.days {
                let dayMs = (options.startDay + Int64(dayIndex)) * 86_400_000
                for session in sessions(index, dayIndex: dayIndex, days: options.days, dayMs: dayMs, rng: &rng) {
                    try FileOutput.write(session.bytes, to: dir + "/" + session.name)
                }
            }
        }
        try FileOutput.write(Array(note.utf8), to: outDir + "/planted-savings.json")
    }

    static let note = """
        {
          "plant-caching": "prompt_caching: openai/gpt-5.2, 2 sessions a day of 6 calls, prompts of 20k+ tokens sent with no cache reads",
          "plant-right-sizing": "model_right_sizing: anthropic/claude-opus-4-6, 30 answers a day of 40 output tokens, no tools",
          "plant-retries": "retry_waste: anthropic/claude-sonnet-4-6, 20 attempts a day fail with 'terminated' after billing tokens, each retried",
          "plant-runaway": "runaway_session: 3 sessions a day of 6 calls, and one session of 150 calls with a growing context on the middle day",
          "plant-cron": "idle_spend: one scheduled run a day at 06:30 UTC of 5 calls whose prompt grows from 8k to 98k tokens over the period while its output stays 500 tokens"
        }

        """

    /// One planted day of agent `kind` (index into `agents`).
    private static func sessions(
        _ kind: Int, dayIndex: Int, days: Int, dayMs: Int64,
        rng: inout SplitMix64
    ) -> [(name: String, bytes: [UInt8])] {
        let sonnet = ModelProfile.all[0], opus = ModelProfile.all[1], gpt = ModelProfile.all[3]
        var out: [(name: String, bytes: [UInt8])] = []
        func daytime() -> Int64 { dayMs + Int64(rng.int(8 * 3600...20 * 3600)) * 1000 + Int64(rng.below(1000)) }
        switch kind {
        case 0:
            for _ in 0..<2 {
                var s = PlantedSession(rng: &rng, startMs: daytime(), profile: gpt, agentText: "Refactor the billing module.")
                for call in 0..<6 {
                    s.call(
                        prompt: 20_000 + call * 3_000, fresh: 3_000, output: 200, tools: call < 5 ? 1 : 0,
                        uncached: true, rng: &rng)
                }
                out.append(s.finish())
            }
        case 1:
            var s = PlantedSession(rng: &rng, startMs: daytime(), profile: opus, agentText: "Classify this ticket.")
            for turn in 0..<30 {
                if turn > 0 { s.user("Classify the next ticket.", gapMs: 40_000) }
                s.call(prompt: 6_000, fresh: 1_000, output: 40, tools: 0, rng: &rng)
            }
            out.append(s.finish())
        case 2:
            for _ in 0..<4 {
                var s = PlantedSession(rng: &rng, startMs: daytime(), profile: sonnet, agentText: "Summarise the channel.")
                for turn in 0..<5 {
                    if turn > 0 { s.user("And the next thread?", gapMs: 60_000) }
                    s.failedCall(prompt: 20_000, fresh: 3_000, output: 100, error: "terminated", rng: &rng)
                    s.call(prompt: 20_000, fresh: 3_000, output: 300, tools: 0, rng: &rng)
                }
                out.append(s.finish())
            }
        case 3:
            for _ in 0..<3 {
                var s = PlantedSession(rng: &rng, startMs: daytime(), profile: sonnet, agentText: "Check the servers.")
                for call in 0..<6 { s.call(prompt: 8_000 + call * 500, fresh: 500, output: 150, tools: call < 5 ? 1 : 0, rng: &rng) }
                out.append(s.finish())
            }
            if dayIndex == days / 2 {
                var s = PlantedSession(rng: &rng, startMs: dayMs + 14 * 3_600_000, profile: sonnet, agentText: "Watch the logs until it is fixed.")
                for call in 0..<150 { s.call(prompt: 20_000 + call * 1_000, fresh: 1_000, output: 150, tools: 1, rng: &rng) }
                out.append(s.finish())
            }
        default:
            var s = PlantedSession(
                rng: &rng, startMs: dayMs + (6 * 60 + 30) * 60_000 + Int64(rng.int(20...900)), profile: sonnet,
                agentText: "[cron:nightly-digest] Write the morning digest from MEMORY.md.")
            // The memory file it rereads grows from 8k to 98k tokens over the period; the digest does not.
            let memory = 8_000 + 90_000 * dayIndex / max(days - 1, 1)
            for call in 0..<5 {
                s.call(prompt: memory + call * 400, fresh: 400, output: 100, tools: call < 4 ? 1 : 0, rng: &rng)
            }
            out.append(s.finish())
        }
        return out
    }
}

/// One planted transcript: a header, the model, the first user message, then calls in time order.
private struct PlantedSession {
    var writer: SessionWriter
    let sid: (UInt64, UInt64)
    let profile: ModelProfile
    var clock: Int64

    init(rng: inout SplitMix64, startMs: Int64, profile: ModelProfile, agentText: String) {
        sid = (rng.next(), rng.next())
        self.profile = profile
        writer = SessionWriter(idSalt: UInt32(truncatingIfNeeded: rng.next()))
        clock = startMs - 20
        writer.header(uuid: sid, timeMs: clock, cwd: "/home/ana/.openclaw/workspace", version: 3, parentSession: nil)
        writer.modelChange(entryMs: clock + 2, profile)
        clock = startMs - 10
        user(agentText, gapMs: 0)
    }

    mutating func user(_ text: String, gapMs: Int64) {
        clock += gapMs
        let at = clock
        writer.user(entryMs: at + 3, messageMs: at) { s in s.escaped(text) }
        clock += 10
    }

    /// A successful call; `uncached` sends the whole prompt as input with no cache reads.
    mutating func call(prompt: Int, fresh: Int, output: Int, tools: Int, uncached: Bool = false, rng: inout SplitMix64) {
        var draft = CallDraft(
            profile: profile, promptTokens: prompt, newTokens: fresh, output: output,
            stop: tools > 0 ? .toolUse : .stop, startMs: clock, rng: &rng)
        if uncached {
            draft.input = Int64(prompt); draft.cacheRead = 0; draft.cacheWrite = 0
            draft.price()
        }
        let end = clock + 1_500 + Int64(output) * 10
        let callId = rng.next()
        writer.assistant(entryMs: end, call: draft) { s in
            s.raw("{\"type\":\"text\",\"text\":\"Done.\"}")
            if tools > 0 {
                s.raw(",{\"type\":\"toolCall\",\"id\":\"toolu_01"); s.hex(callId, digits: 16)
                s.raw("\",\"name\":\"exec\",\"arguments\":{\"command\":\"ls\"}}")
            }
        }
        clock = end + 5
        if tools > 0 {
            writer.toolResult(
                entryMs: clock + 402, messageMs: clock + 400, callId: callId, toolName: "exec", isError: false,
                detailsError: false, durationMs: 400
            ) { s in s.raw("ok") }
            clock += 410
        }
    }

    /// A failed attempt that still billed its tokens (the stream was cut), retried by the next call.
    mutating func failedCall(prompt: Int, fresh: Int, output: Int, error: String, rng: inout SplitMix64) {
        var draft = CallDraft(
            profile: profile, promptTokens: prompt, newTokens: fresh, output: output, stop: .error,
            startMs: clock, rng: &rng)
        draft.errorMessage = ByteSink.jsonEscape(error)
        let end = clock + 3_000
        writer.assistant(entryMs: end, call: draft) { s in s.raw("{\"type\":\"text\",\"text\":\"Let me check the thre\"}") }
        clock = end + 2_000
    }

    func finish() -> (name: String, bytes: [UInt8]) {
        var name = ByteSink(capacity: 48)
        name.uuid(sid.0, sid.1)
        name.raw(".jsonl")
        return (String(decoding: name.bytes, as: UTF8.self), writer.sink.bytes)
    }
}
