import SQLiteStore
/// Turns: a user message, the model's tool rounds (with failed attempts, retries and fallback),
/// tool results, and the rows OpenClaw adds around them.
extension AgentGenerator {
    /// Writes one turn; returns the LLM calls it made (failed attempts included).
    mutating func turnLines(_ w: inout SessionWriter, _ state: inout SessionState, turn: Int, runaway: Bool) -> Int {
        var calls = 0
        let cron = state.features.cron && turn == 0
        state.clock += cron ? Int64(rng.int(20...200)) : Int64(turn == 0 ? rng.int(20...900) : rng.int(15_000...900_000))
        if state.features.clawdbot && turn == 1 {
            // A slash command answered by Clawdbot itself: stopReason "injected", no provider/model.
            let userMs = state.clock
            w.user(entryMs: state.entryTime(userMs + 3), messageMs: userMs) { s in s.raw("/model") }
            w.injected(
                entryMs: userMs + 9,
                text:
                    "Current: deepseek/deepseek-chat\\n\\nSwitch: /model <provider/model>\\nBrowse: /models (providers) or /models <provider> (models)"
            )
            manifest.synthetic_rows += 1
            state.syntheticLines.insert(w.entryLines.count - 1)
            state.clock += 20_000
        }
        let userMs = state.clock
        let userLength = Int(Double(rng.around(160)) * min(options.sizeScale, 4))
        var userText = ByteSink(capacity: userLength + 64)
        if cron {
            userText.raw("[cron:daily-brief] Run the morning briefing.")
        } else {
            if rng.chance(0.15) { userText.raw(rng.pick(TextPool.shared.unicode)); userText.byte(0x20) }
            TextPool.shared.appendProse(userLength, to: &userText, rng: &rng)
            if state.features.loneSurrogate && !state.loneSurrogateDone {
                // Node cut a message in the middle of an emoji: a lone high surrogate escape.
                userText.raw(" … 😀 and then \\ud83d")
                state.loneSurrogateDone = true
                manifest.lone_surrogates += 1
            }
        }
        w.user(entryMs: state.entryTime(userMs + Int64(rng.int(2...15))), messageMs: userMs) { s in s.raw(userText.bytes) }
        state.context += userLength / 4 + 20
        state.clock += Int64(rng.int(5...40))

        let roundsRoll = rng.below(100)
        var rounds = roundsRoll < 30 ? 0 : roundsRoll < 60 ? 1 : roundsRoll < 80 ? 2 : roundsRoll < 92 ? 3 : rng.int(4...8)
        if runaway { rounds = rng.int(6...12) }
        var retried = false
        for round in 0...rounds {
            let isFinal = round == rounds
            // Failed attempts first (rate limits, outages, ...), maybe a fallback model.
            let attempt = failures(&w, &state, userText: userText.bytes, userMs: userMs)
            calls += attempt.calls
            if attempt.calls > 0 { retried = true }
            if attempt.endTurn { break }
            calls += 1
            success(&w, &state, isFinal: isFinal, runaway: runaway)
        }
        if retried { manifest.retried_turns += 1 }
        let profile = ModelProfile.all[state.profile]
        if profile.family == .anthropic && profile.logsCost {
            w.cacheTTL(entryMs: state.entryTime(state.clock + 30), profile)
        }
        if rng.chance(0.2) || state.features.clawdbot {
            var text = ByteSink(capacity: 200)
            TextPool.shared.appendProse(rng.int(40...300), to: &text, rng: &rng)
            w.synthetic(
                entryMs: state.entryTime(state.clock + 120), messageMs: state.clock + 119,
                provider: state.features.clawdbot ? "clawdbot" : "openclaw", model: "delivery-mirror",
                text: text.bytes, idempotencyKey: nil)
            manifest.synthetic_rows += 1
            state.syntheticLines.insert(w.entryLines.count - 1)
            state.clock += 150
        }
        return calls
    }

    /// Zero or more failed attempts before the successful one; `endTurn` when the turn gives up.
    private mutating func failures(
        _ w: inout SessionWriter, _ state: inout SessionState, userText: [UInt8],
        userMs: Int64
    ) -> (calls: Int, endTurn: Bool) {
        var calls = 0
        let forced = state.forcedErrorCursor < state.features.forcedErrors.count
        let errorRate = plan.outageDay(state.clock, agent: index) ? 0.35 : 0.04
        guard forced || rng.chance(errorRate) else { return (0, false) }
        let runId = (rng.next(), rng.next())
        var backoff: Int64 = 2_000
        while true {
            var profile = ModelProfile.all[state.profile]
            let shapeIndex: Int
            if state.forcedErrorCursor < state.features.forcedErrors.count {
                shapeIndex = state.features.forcedErrors[state.forcedErrorCursor]
                state.forcedErrorCursor += 1
            } else {
                shapeIndex = rng.pick(plan.shapes[familyIndex(profile.family)])
            }
            let shape = ErrorShape.all[shapeIndex]
            let start = state.clock
            let duration: Int64 =
                shape.errorClass == "timeout"
                ? Int64(rng.int(60_000...600_000))
                : Int64(rng.int(1...2_500))
            calls += 1
            manifest.errors_by_class[shape.errorClass, default: 0] += 1
            switch shape.kind {
            case .promptError:
                w.promptError(
                    entryMs: state.entryTime(start + duration + 1), dataMs: start + duration, runId: runId,
                    sessionId: state.sid, profile, error: shape.escaped)
                state.callLines.insert(w.entryLines.count - 1)
                record(profile: profile, startMs: start + duration, draft: nil, isError: true, promptError: true)
                if shape.errorClass == "timeout" { gateway.timeout(start + duration, runId: runId, sessionId: state.sid, agentId: agentIdBytes) }
            case .errorRow, .abortedRow:
                var draft = CallDraft(
                    profile: profile, promptTokens: state.context, newTokens: 500,
                    output: shape.kind == .abortedRow ? rng.int(5...400) : 0,
                    stop: shape.kind == .abortedRow ? .aborted : .error, startMs: start, rng: &rng)
                if !shape.carriesUsage { draft.zeroUsage() }
                draft.errorMessage = shape.escaped
                let entry = start + duration
                w.assistant(entryMs: state.entryTime(entry), call: draft) { s in
                    if shape.carriesUsage && shape.kind == .abortedRow {
                        s.raw("{\"type\":\"toolCall\",\"id\":\"toolu_01"); s.hex(rng.next(), digits: 16)
                        s.raw(
                            "\",\"name\":\"write\",\"arguments\":{},\"partialArgs\":\"{\\\"path\\\":\\\"/home/ana/notes.md\\\",\\\"content\\\":\\\"# Notes"
                        )
                        s.raw("\"}")
                    } else if shape.carriesUsage {
                        s.raw("{\"type\":\"text\",\"text\":\"Let me check the calen\"}")
                    }
                }
                state.callLines.insert(w.entryLines.count - 1)
                record(profile: profile, startMs: start, draft: draft, isError: true, promptError: false)
            }
            gateway.agentEnd(start + duration + 2, runId: runId, profile: profile, error: shape.escaped)
            if shape.errorClass == "rate_limit" {
                gateway.modelFetch429(start + duration, profile: profile, elapsedMs: Int(duration))
            }
            state.clock = start + duration + 5
            if shape.kind == .abortedRow || (shape.kind == .promptError && shape.errorClass == "aborted") {
                return (calls, true)  // the user stopped the run
            }
            let more = state.forcedErrorCursor < state.features.forcedErrors.count
            if shape.retryable && (more || (backoff <= 8_000 && rng.chance(0.35))) {
                state.clock += backoff
                backoff *= 2
                continue
            }
            if shape.retryable || rng.chance(0.6) || more {
                if !shape.retryable || rng.chance(0.5) {
                    // Model fallback: snapshot of the new model, the user row repeated, then the answer.
                    let next = fallback == state.profile ? 3 : fallback
                    let target = ModelProfile.all[next]
                    gateway.failover(
                        state.clock, runId: runId, from: profile, to: target, reason: shape.errorClass,
                        error: shape.escaped)
                    state.profile = next
                    profile = target
                    state.clock += Int64(rng.int(5...50))
                    w.modelSnapshot(entryMs: state.entryTime(state.clock), profile)
                    if rng.chance(0.6) {
                        w.user(entryMs: state.entryTime(state.clock + 4), messageMs: userMs) { s in s.raw(userText) }
                    }
                    state.clock += 10
                }
                if more { continue }
                return (calls, false)
            }
            // Surface the error: OpenClaw tells the channel, the turn ends.
            var notice = ByteSink(capacity: 200)
            notice.raw("⚠️ Agent failed before reply: ")
            notice.raw(shape.escaped.prefix(80).last == 0x5C ? Array(shape.escaped.prefix(79)) : Array(shape.escaped.prefix(80)))
            trimPartialUTF8(&notice)
            let injectedKey = rng.chance(0.3) ? (rng.next(), rng.next()) : nil
            w.synthetic(
                entryMs: state.entryTime(state.clock + 40), messageMs: state.clock + 20, provider: "openclaw",
                model: "gateway-injected", text: notice.bytes, idempotencyKey: injectedKey)
            manifest.synthetic_rows += 1
            state.syntheticLines.insert(w.entryLines.count - 1)
            return (calls, true)
        }
    }

    private func familyIndex(_ family: ModelProfile.Family) -> Int {
        switch family {
        case .anthropic: return 0
        case .openai: return 1
        case .google: return 2
        case .compat: return 3
        }
    }

    private func trimPartialUTF8(_ sink: inout ByteSink) {
        // Drop a trailing incomplete UTF-8 sequence and a dangling backslash.
        var end = sink.bytes.count
        var back = end - 1
        while back > 0 && (sink.bytes[back] & 0xC0) == 0x80 { back -= 1 }
        let lead = sink.bytes[back]
        let need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        if end - back < need { end = back }
        var backslashes = 0
        while end - backslashes > 0 && sink.bytes[end - backslashes - 1] == 0x5C { backslashes += 1 }
        if backslashes % 2 == 1 { end -= 1 }
        sink.bytes.removeSubrange(end...)
    }

    /// One successful call (tool use or the final answer) and, for tool use, its tool results.
    private mutating func success(_ w: inout SessionWriter, _ state: inout SessionState, isFinal: Bool, runaway: Bool) {
        let profile = ModelProfile.all[state.profile]
        let output = isFinal ? rng.around(350) : rng.around(120)
        var stop: CallDraft.Stop = isFinal ? (rng.chance(0.03) ? .length : .stop) : .toolUse
        let toolCalls = isFinal ? 0 : (rng.chance(0.75) ? 1 : rng.int(2...3))
        if !isFinal && profile.family == .compat && rng.chance(0.1) { stop = .stop }  // toolCall with stop
        let start = state.clock
        var draft = CallDraft(
            profile: profile, promptTokens: state.context, newTokens: rng.int(200...3000), output: output,
            stop: stop, startMs: start, rng: &rng)
        let duration = Int64(600 + output * rng.int(8...30) + rng.below(4000))
        var entry = start + duration
        if state.features.negativeLatency && !state.negativeLatencyDone && state.rewriteBaseMs == nil {
            entry = start - Int64(rng.int(50...900))
            state.negativeLatencyDone = true
            manifest.negative_latency_calls += 1
        }
        let thinking = (profile.family == .anthropic || profile.family == .google) && rng.chance(0.4)
        var callIds: [UInt64] = []
        for _ in 0..<toolCalls { callIds.append(rng.next()) }
        let textLength = Int(Double(isFinal ? output * 3 : rng.int(0...120)) * min(options.sizeScale, 4))
        let entryMs = state.entryTime(entry)
        if state.rewriteBaseMs != nil { manifest.rewritten_entries += 1 }
        w.assistant(entryMs: entryMs, call: draft) { s in
            if thinking {
                s.raw("{\"type\":\"thinking\",\"thinking\":\"")
                TextPool.shared.appendProse(rng.int(100...1500), to: &s, rng: &rng)
                s.raw("\",\"thinkingSignature\":\"")
                s.hex(rng.next(), digits: 16); s.hex(rng.next(), digits: 16)
                s.raw("\"}")
                if textLength > 0 || toolCalls > 0 { s.byte(0x2C) }
            }
            if textLength > 0 {
                s.raw("{\"type\":\"text\",\"text\":\"")
                TextPool.shared.appendProse(textLength, to: &s, rng: &rng)
                s.raw("\"}")
                if toolCalls > 0 { s.byte(0x2C) }
            }
            for (k, id) in callIds.enumerated() {
                if k > 0 { s.byte(0x2C) }
                s.raw("{\"type\":\"toolCall\",\"id\":\"toolu_01"); s.hex(id, digits: 16)
                s.raw("\",\"name\":\"exec\",\"arguments\":{\"command\":\"")
                TextPool.shared.appendProse(rng.int(10...80), to: &s, rng: &rng)
                s.raw("\"}}")
            }
        }
        state.callLines.insert(w.entryLines.count - 1)
        record(profile: profile, startMs: start, draft: draft, isError: false, promptError: false)
        if draft.costTotal > 0 && draft.costTotal < 1_000_000_000 { manifest.exponent_costs += 1 }
        state.clock = max(entry, start + duration) + Int64(rng.int(3...40))
        state.context += output + 50
        draft.output = 0
        for id in callIds {
            var size = Int(Double(rng.around(1_000, spread: 3)) * options.sizeScale)
            if runaway { size = Int(Double(rng.int(8_000...25_000)) * min(options.sizeScale, 1)) }
            if (state.features.huge && !state.hugeDone) || rng.chance(0.0005) {
                size = rng.int(120_000...400_000)
                state.hugeDone = true
                manifest.huge_tool_results += 1
            }
            let toolMs = Int64(rng.around(900, spread: 4))
            state.clock += toolMs
            let isError = rng.chance(0.04)
            w.toolResult(
                entryMs: state.entryTime(state.clock + 2), messageMs: state.clock, callId: id, toolName: "exec",
                isError: isError, detailsError: isError || rng.chance(0.02), durationMs: Int(toolMs)
            ) { s in
                TextPool.shared.appendProse(size, to: &s, rng: &rng)
            }
            state.context += min(size / 4, 30_000)
        }
    }

    /// Counts one LLM call in the manifest.
    mutating func record(profile: ModelProfile, startMs: Int64, draft: CallDraft?, isError: Bool, promptError: Bool) {
        manifest.calls += 1
        manifest.calls_by_agent[agentId, default: 0] += 1
        manifest.calls_by_provider[profile.provider, default: 0] += 1
        manifest.calls_by_model[profile.model, default: 0] += 1
        manifest.calls_by_provider_model[profile.provider, default: [:]][profile.model, default: 0] += 1
        var day = ByteSink(capacity: 10)
        day.date(startMs.floorDivided(by: 86_400_000).0)
        let dayKey = String(decoding: day.bytes, as: UTF8.self)
        manifest.calls_by_day[dayKey, default: 0] += 1
        if isError { manifest.error_calls += 1 }
        if promptError { manifest.prompt_errors += 1 }
        if profile.model == ModelProfile.all[ModelProfile.unpricedIndex].model { manifest.unpriced_calls += 1 }
        guard let draft else { return }
        invoiceUsage[
            InvoiceUsage.Key(day: startMs.floorDivided(by: 86_400_000).0, provider: profile.provider, model: profile.model), default: InvoiceUsage()
        ]
        .add(draft)
        manifest.tokens.input += draft.input
        manifest.tokens.output += draft.output
        manifest.tokens.cache_read += draft.cacheRead
        manifest.tokens.cache_write += draft.cacheWrite
        manifest.tokens.total += draft.totalTokens
        if draft.costTotal > 0 {
            manifest.cost_logged_femto_usd += Int128(draft.costTotal)
            manifest.cost_logged_by_day_femto_usd[dayKey, default: 0] += Int128(draft.costTotal)
            manifest.calls_with_logged_cost += 1
        } else if draft.totalTokens > 0 {
            manifest.zero_cost_calls_with_tokens += 1
        }
    }
}
