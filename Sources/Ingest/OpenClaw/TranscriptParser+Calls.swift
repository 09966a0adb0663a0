import HomeBaseCore
import Lake
/// Turning a scanned line into a call: synthetic-row exclusion, usage, latency, error class,
/// tool-call count and the retry chain.
extension TranscriptParser {
    /// Block `type`s counted as tool calls (pi's `toolCall`, and the spellings other writers use).
    static let toolCallSpellings: [StaticString] = ["toolCall", "tool_use", "toolUse", "function_call", "tool_call"]

    /// Above this, the entry timestamp was rewritten later (a transcript repair re-appends old
    /// rows days afterwards; sirdeuce sample lines 101-108), so it says nothing about latency.
    /// Real calls in the samples top out at ~610 s (the 600 s embedded-run timeout).
    static let maxPlausibleLatencyMicros: Int64 = 3_600_000_000

    mutating func classify(_ e: Entry, scanner s: JSONScanner, lineNumber: Int64) -> TranscriptLine {
        if s.stringEquals(e.type, "message") {
            if !e.message.isAbsent && s.byte(at: e.message.start) != UInt8(ascii: "{") {
                return quarantineReason("a \"message\" entry whose message is not an object (byte \(e.message.start))")
            }
            if s.stringEquals(e.role, "assistant") { return assistant(e, s, lineNumber: lineNumber) }
            if s.stringEquals(e.role, "user") { noteUserRow(e, s) }
            return .notACall
        }
        if s.stringEquals(e.type, "custom") && s.stringEquals(e.customType, "openclaw:prompt-error") {
            return promptError(e, s, lineNumber: lineNumber)
        }
        if s.stringEquals(e.type, "session"), let id = s.string(e.id) {
            state = State(sessionId: id)
        }
        return .notACall
    }

    private mutating func quarantineReason(_ reason: String) -> TranscriptLine {
        quality.quarantined += 1
        return .quarantine(reason: reason)
    }

    // MARK: User rows (turn boundaries)

    /// A user row ends the turn (and any retry chain), unless it repeats the previous user row
    /// while a failed attempt is pending: failover re-appends the user message before retrying.
    private mutating func noteUserRow(_ e: Entry, _ s: JSONScanner) {
        let hash = Self.contentHash(s, e.content)
        if state.lastFailedEntryId != nil && state.lastUserContentHash == hash {
            quality.duplicateUserRows += 1
        } else {
            state.lastFailedEntryId = nil
            state.lastFailedTimestampMicros = nil
        }
        state.lastUserContentHash = hash
    }

    /// A stable 64-bit hash of a span's raw bytes (persisted in ``State``, so not `Hasher`).
    static func contentHash(_ s: JSONScanner, _ span: JSONSpan) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        var i = span.start
        while i + 8 <= span.end {
            h = (h ^ s.bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
            i += 8
        }
        while i < span.end {
            h = (h ^ UInt64(s.byte(at: i))) &* 0x0000_0100_0000_01B3
            i += 1
        }
        return h ^ UInt64(span.end - span.start)
    }

    // MARK: Assistant rows

    private mutating func assistant(_ e: Entry, _ s: JSONScanner, lineNumber: Int64) -> TranscriptLine {
        if s.stringEquals(e.stopReason, "injected") {
            quality.injectedRows += 1
            return .notACall
        }
        let syntheticProvider =
            s.stringEquals(e.provider, "openclaw") || s.stringEquals(e.provider, "clawdbot")
            || s.stringEquals(e.provider, "moltbot")
        if syntheticProvider && (s.stringEquals(e.model, "delivery-mirror") || s.stringEquals(e.model, "gateway-injected")) {
            quality.syntheticRows += 1
            return .notACall
        }
        guard let startMicros = Self.epochMicros(s, e.messageTimestamp) else {
            let what = e.messageTimestamp.isAbsent ? "has no message.timestamp" : "has a message.timestamp that is not epoch ms"
            return quarantineReason("assistant row \(what); the call cannot be placed in time")
        }
        if let problem = CallRange.timeProblem(startMicros, field: "message.timestamp \(s.rawText(e.messageTimestamp))") {
            return quarantineReason(problem)
        }
        let stopReason = s.string(e.stopReason) ?? ""
        var call = CallRecord(
            timestampMicros: startMicros, agentId: agentId, sessionId: state.sessionId ?? fileSessionId,
            entryId: entryId(e, s, startMicros: startMicros),
            provider: s.string(e.provider) ?? "unknown", model: s.string(e.model) ?? "unknown",
            api: s.string(e.api) ?? "", stopReason: stopReason,
            status: stopReason == "error" || stopReason == "aborted" || stopReason == "timeout" ? "error" : "ok",
            sourceFile: sourceFile, sourceLine: lineNumber)
        if let problem = Self.readUsage(s, e.usage, into: &call) { return quarantineReason(problem) }
        call.toolCalls = Self.countToolCalls(s, e.content)
        call.latencyMs = latency(s, entryTimestamp: e.timestamp, startMicros: startMicros)
        let message = s.string(e.errorMessage)
        call.errorMessage = message.map { UTF8Truncation.truncate($0) }
        if call.status == "error" {
            let status = s.int64(e.errorStatus).map { Int($0) }
            call.errorClass = ErrorClassifier.classify(stopReason: stopReason, message: message, status: status)
        }
        link(&call)
        quality.assistantCalls += 1
        return .call(call)
    }

    // MARK: Prompt errors

    private mutating func promptError(_ e: Entry, _ s: JSONScanner, lineNumber: Int64) -> TranscriptLine {
        let startMicros: Int64
        if let micros = Self.epochMicros(s, e.dataTimestamp) {
            startMicros = micros
        } else if let micros = Self.isoMicros(s, e.timestamp) {
            startMicros = micros
        } else {
            return quarantineReason("openclaw:prompt-error entry without data.timestamp or entry timestamp")
        }
        if let problem = CallRange.timeProblem(startMicros, field: "prompt-error timestamp") { return quarantineReason(problem) }
        let message = s.string(e.dataError)
        var call = CallRecord(
            timestampMicros: startMicros, agentId: agentId, sessionId: state.sessionId ?? fileSessionId,
            entryId: entryId(e, s, startMicros: startMicros),
            provider: s.string(e.dataProvider) ?? "unknown", model: s.string(e.dataModel) ?? "unknown",
            api: s.string(e.dataApi) ?? "", stopReason: "error", status: "error",
            sourceFile: sourceFile, sourceLine: lineNumber)
        call.errorMessage = message.map { UTF8Truncation.truncate($0) }
        call.errorClass = ErrorClassifier.classify(stopReason: "error", message: message, status: nil)
        // No latency: data.timestamp is when the failure was recorded, not when the request began.
        link(&call)
        quality.promptErrors += 1
        return .call(call)
    }

    // MARK: Shared pieces

    /// Sets `retryOf` from the pending failed attempt of this turn, then updates the chain.
    ///
    /// A call that started before the pending failure was recorded is that same attempt, not a
    /// retry: OpenClaw writes a prompt error ("aborted") and then the aborted stream's row, whose
    /// `message.timestamp` is earlier (ReinforcementSleeping sample lines 58-59, hochoy18 69-70).
    private mutating func link(_ call: inout CallRecord) {
        if let pendingAt = state.lastFailedTimestampMicros, call.timestampMicros < pendingAt {
            call.retryOf = nil
        } else {
            call.retryOf = state.lastFailedEntryId
        }
        if call.status == "error" {
            state.lastFailedEntryId = call.entryId
            state.lastFailedTimestampMicros = call.timestampMicros
        } else {
            state.lastFailedEntryId = nil
            state.lastFailedTimestampMicros = nil
        }
    }

    private mutating func entryId(_ e: Entry, _ s: JSONScanner, startMicros: Int64) -> String {
        if let id = s.string(e.id) { return id }
        quality.synthesizedEntryIds += 1
        return "ts:\(startMicros / 1000)"
    }

    private mutating func latency(_ s: JSONScanner, entryTimestamp: JSONSpan, startMicros: Int64) -> Double? {
        guard let end = Self.isoMicros(s, entryTimestamp) else {
            quality.missingEntryTimestamps += 1
            return nil
        }
        let (micros, overflow) = end.subtractingReportingOverflow(startMicros)
        if overflow || micros < 0 {
            quality.negativeLatencies += 1
            return nil
        }
        if micros > Self.maxPlausibleLatencyMicros {
            quality.rewrittenEntryTimestamps += 1
            return nil
        }
        return Double(micros) / 1000
    }

    /// Epoch ms (number, possibly fractional) → µs; an ISO string is accepted too.
    static func epochMicros(_ s: JSONScanner, _ span: JSONSpan) -> Int64? {
        if s.isIntegerLiteral(span), let ms = s.int64(span) {
            let (v, overflow) = ms.multipliedReportingOverflow(by: 1000)
            return overflow ? nil : v
        }
        if let ms = s.double(span), ms.isFinite, abs(ms) < 9e15 { return Int64((ms * 1000).rounded()) }
        return isoMicros(s, span)
    }

    static func isoMicros(_ s: JSONScanner, _ span: JSONSpan) -> Int64? {
        guard s.isString(span) else { return nil }
        if span.escaped { return ISO8601Time.micros(s.decodeStringBytes(span)) }
        return ISO8601Time.micros(UnsafeRawBufferPointer(rebasing: s.bytes[(span.start + 1)..<(span.end - 1)]))
    }

    /// Reads `usage` (pi names, plus the aliases OpenClaw's own `normalizeUsage` accepts).
    /// Returns why the line cannot be stored (a token count or cost out of range, see
    /// ``CallRange``), or nil. Values that are not numbers at all (null, strings) read as absent.
    static func readUsage(_ s: JSONScanner, _ span: JSONSpan, into call: inout CallRecord) -> String? {
        guard !span.isAbsent, s.byte(at: span.start) == UInt8(ascii: "{") else { return nil }
        var u = JSONScanner(s.bytes, span: span)
        var total: Int64?
        // Raw OpenAI usage (`prompt_tokens`/`input_tokens` with `cached_tokens`, top-level or in
        // `*_tokens_details`) counts cached tokens inside the input; pi-ai's `input` does not.
        var rawInput = false
        var openAICached: Int64?
        var problem: String?
        func tokens(_ value: JSONSpan, _ key: JSONSpan) -> Int64 {
            guard u.isNumber(value) else { return 0 }
            let v = u.int64(value)
            if problem == nil, let why = CallRange.tokenProblem(v, raw: u.rawText(value), field: "usage." + (u.string(key) ?? "?")) {
                problem = why
            }
            return v ?? 0
        }
        func cost(_ value: JSONSpan, field: String) -> Double? {
            guard u.isNumber(value) else { return nil }
            let v = u.double(value)
            if problem == nil, let why = CallRange.costProblem(v, raw: u.rawText(value), field: field) { problem = why }
            return v
        }
        do throws(JSONScanError) {
            guard try u.beginObject() else { return nil }
            repeat {
                let key = try u.nextKey()
                if (u.stringEquals(key, "prompt_tokens_details") || u.stringEquals(key, "input_tokens_details"))
                    && u.peekToken() == UInt8(ascii: "{")
                {
                    guard try u.beginObject() else { continue }
                    repeat {
                        let detailKey = try u.nextKey()
                        let value = try u.skipValue(depth: 4)
                        if u.stringEquals(detailKey, "cached_tokens") { openAICached = tokens(value, detailKey) }
                    } while try u.afterMember()
                    continue
                }
                if u.stringEquals(key, "cost") && u.peekToken() == UInt8(ascii: "{") {
                    guard try u.beginObject() else { continue }
                    repeat {
                        let costKey = try u.nextKey()
                        let value = try u.skipValue(depth: 4)
                        if u.stringEquals(costKey, "total") { call.costLoggedUSD = cost(value, field: "usage.cost.total") }
                    } while try u.afterMember()
                    continue
                }
                let value = try u.skipValue(depth: 3)
                if u.stringEquals(key, "input") || u.stringEquals(key, "inputTokens") {
                    call.inputTokens = tokens(value, key)
                } else if u.stringEquals(key, "input_tokens") || u.stringEquals(key, "prompt_tokens") {
                    call.inputTokens = tokens(value, key)
                    rawInput = true
                } else if u.stringEquals(key, "output") || u.stringEquals(key, "outputTokens")
                    || u.stringEquals(key, "output_tokens") || u.stringEquals(key, "completion_tokens")
                {
                    call.outputTokens = tokens(value, key)
                } else if u.stringEquals(key, "cacheRead") || u.stringEquals(key, "cache_read_input_tokens")
                    || u.stringEquals(key, "cacheReadTokens")
                {
                    call.cacheReadTokens = tokens(value, key)
                } else if u.stringEquals(key, "cached_tokens") {
                    openAICached = tokens(value, key)
                } else if u.stringEquals(key, "cacheWrite") || u.stringEquals(key, "cache_creation_input_tokens")
                    || u.stringEquals(key, "cacheWriteTokens")
                {
                    call.cacheWriteTokens = tokens(value, key)
                } else if u.stringEquals(key, "totalTokens") || u.stringEquals(key, "total_tokens") {
                    if u.isNumber(value) { total = tokens(value, key) }
                } else if u.stringEquals(key, "cost") {
                    call.costLoggedUSD = cost(value, field: "usage.cost")  // flat number form
                }
            } while try u.afterMember()
        } catch {
            return nil  // unreachable: the span was validated by the line scan
        }
        if let problem { return problem }
        if let cached = openAICached, call.cacheReadTokens == 0 {
            call.cacheReadTokens = cached
            // Only a raw input includes the cached tokens; never subtract into a negative count.
            if rawInput && cached >= 0 && cached <= call.inputTokens { call.inputTokens -= cached }
        }
        // Each part is at most CallRange.maxTokens, so the sum cannot overflow.
        call.totalTokens = total ?? (call.inputTokens + call.outputTokens + call.cacheReadTokens + call.cacheWriteTokens)
        return nil
    }

    /// Number of content blocks whose `type` is a tool-call spelling.
    static func countToolCalls(_ s: JSONScanner, _ span: JSONSpan) -> Int32 {
        guard !span.isAbsent, s.byte(at: span.start) == UInt8(ascii: "[") else { return 0 }
        var c = JSONScanner(s.bytes, span: span)
        var count: Int32 = 0
        do throws(JSONScanError) {
            guard try c.beginArray() else { return 0 }
            repeat {
                guard c.peekToken() == UInt8(ascii: "{") else {
                    try c.skipValue(depth: 3)
                    continue
                }
                guard try c.beginObject() else { continue }
                repeat {
                    let key = try c.nextKey()
                    let value = try c.skipValue(depth: 4)
                    if c.stringEquals(key, "type") && toolCallSpellings.contains(where: { c.stringEquals(value, $0) }) {
                        count += 1
                    }
                } while try c.afterMember()
            } while try c.afterElement()
        } catch {
            return count
        }
        return count
    }
}
