import HomeBaseCore

/// Formats the lines of one transcript file into a byte buffer: the envelope (`id`,
/// `parentId`, `timestamp`) and each entry shape, exactly as OpenClaw/pi write them.
struct SessionWriter {
    var sink = ByteSink(capacity: 1 << 15)
    /// Byte ranges of complete, valid entry lines (what a compaction successor may copy).
    var entryLines: [Range<Int>] = []
    /// Malformed lines written so far (a checkpoint copy repeats them).
    var malformedLines = 0
    private var parent: UInt32?
    private var idSalt: UInt32
    private var idCounter: UInt32 = 0
    /// `parentId` is omitted (not null) on Clawdbot's injected rows.
    private(set) var lastEntryId: UInt32 = 0

    init(idSalt: UInt32) { self.idSalt = idSalt }

    /// A fresh 8-hex entry id, unique within the file (a bijection of a counter).
    mutating func newId() -> UInt32 {
        idCounter &+= 1
        var x = idSalt &+ idCounter &* 0x9E37_79B9
        x ^= x >> 16; x = x &* 0x7FEB_352D; x ^= x >> 15; x = x &* 0x846C_A68B; x ^= x >> 16
        return x
    }

    // MARK: Envelope

    /// Starts an entry line: `{"type":"<type>","id":..,"parentId":..,"timestamp":"..."`.
    private mutating func open(_ type: StaticString, entryMs: Int64, withParent: Bool = true) -> (Int, UInt32) {
        let start = sink.count
        let id = newId()
        sink.raw("{\"type\":\""); sink.raw(type); sink.raw("\",\"id\":\"")
        sink.hex(UInt64(id), digits: 8)
        if withParent {
            if let parent {
                sink.raw("\",\"parentId\":\""); sink.hex(UInt64(parent), digits: 8); sink.raw("\"")
            } else {
                sink.raw("\",\"parentId\":null")
            }
        } else {
            sink.raw("\"")
        }
        sink.raw(",\"timestamp\":\""); sink.isoUTC(entryMs); sink.raw("\"")
        return (start, id)
    }

    private mutating func close(_ opened: (Int, UInt32)) {
        sink.raw("}\n")
        entryLines.append(opened.0..<sink.count)
        parent = opened.1
        lastEntryId = opened.1
    }

    // MARK: Entries

    mutating func header(uuid: (UInt64, UInt64), timeMs: Int64, cwd: String, version: Int, parentSession: [UInt8]?) {
        let start = sink.count
        sink.raw("{\"type\":\"session\",\"version\":"); sink.int(version)
        sink.raw(",\"id\":\""); sink.uuid(uuid.0, uuid.1)
        sink.raw("\",\"timestamp\":\""); sink.isoUTC(timeMs)
        sink.raw("\",\"cwd\":\""); sink.escaped(cwd); sink.raw("\"")
        if let parentSession { sink.raw(",\"parentSession\":\""); sink.raw(parentSession); sink.raw("\"") }
        sink.raw("}\n")
        entryLines.append(start..<sink.count)
        parent = nil
    }

    mutating func modelChange(entryMs: Int64, _ profile: ModelProfile) {
        let o = open("model_change", entryMs: entryMs)
        sink.raw(",\"provider\":\""); sink.raw(profile.providerBytes)
        sink.raw("\",\"modelId\":\""); sink.raw(profile.modelBytes); sink.raw("\"")
        close(o)
    }

    mutating func thinkingLevel(entryMs: Int64, _ level: StaticString) {
        let o = open("thinking_level_change", entryMs: entryMs)
        sink.raw(",\"thinkingLevel\":\""); sink.raw(level); sink.raw("\"")
        close(o)
    }

    /// `custom` entries put `customType`/`data` before the envelope, as the real lines do.
    private mutating func openCustom(_ customType: StaticString, dataMs: Int64) -> Int {
        let start = sink.count
        sink.raw("{\"type\":\"custom\",\"customType\":\""); sink.raw(customType)
        sink.raw("\",\"data\":{\"timestamp\":"); sink.int(dataMs)
        return start
    }

    private mutating func closeCustom(start: Int, entryMs: Int64) {
        let id = newId()
        sink.raw("},\"id\":\""); sink.hex(UInt64(id), digits: 8)
        if let parent {
            sink.raw("\",\"parentId\":\""); sink.hex(UInt64(parent), digits: 8); sink.raw("\"")
        } else {
            sink.raw("\",\"parentId\":null")
        }
        sink.raw(",\"timestamp\":\""); sink.isoUTC(entryMs); sink.raw("\"}\n")
        entryLines.append(start..<sink.count)
        parent = id
        lastEntryId = id
    }

    mutating func modelSnapshot(entryMs: Int64, _ profile: ModelProfile) {
        let start = openCustom("model-snapshot", dataMs: entryMs)
        sink.raw(",\"provider\":\""); sink.raw(profile.providerBytes)
        sink.raw("\",\"modelApi\":\""); sink.raw(profile.apiBytes)
        sink.raw("\",\"modelId\":\""); sink.raw(profile.modelBytes); sink.raw("\"")
        closeCustom(start: start, entryMs: entryMs)
    }

    mutating func cacheTTL(entryMs: Int64, _ profile: ModelProfile) {
        let start = openCustom("openclaw.cache-ttl", dataMs: entryMs)
        sink.raw(",\"provider\":\""); sink.raw(profile.providerBytes)
        sink.raw("\",\"modelId\":\""); sink.raw(profile.modelBytes); sink.raw("\"")
        closeCustom(start: start, entryMs: entryMs)
    }

    mutating func bootstrapContext(entryMs: Int64, runId: (UInt64, UInt64), sessionId: (UInt64, UInt64)) {
        let start = openCustom("openclaw:bootstrap-context:full", dataMs: entryMs)
        sink.raw(",\"runId\":\""); sink.uuid(runId.0, runId.1)
        sink.raw("\",\"sessionId\":\""); sink.uuid(sessionId.0, sessionId.1); sink.raw("\"")
        closeCustom(start: start, entryMs: entryMs)
    }

    /// A failure in the prompt phase: one failed LLM call with no usage.
    mutating func promptError(
        entryMs: Int64, dataMs: Int64, runId: (UInt64, UInt64), sessionId: (UInt64, UInt64),
        _ profile: ModelProfile, error: [UInt8]
    ) {
        let start = openCustom("openclaw:prompt-error", dataMs: dataMs)
        sink.raw(",\"runId\":\""); sink.uuid(runId.0, runId.1)
        sink.raw("\",\"sessionId\":\""); sink.uuid(sessionId.0, sessionId.1)
        sink.raw("\",\"provider\":\""); sink.raw(profile.providerBytes)
        sink.raw("\",\"model\":\""); sink.raw(profile.modelBytes)
        sink.raw("\",\"api\":\""); sink.raw(profile.apiBytes)
        sink.raw("\",\"error\":\""); sink.raw(error); sink.raw("\"")
        closeCustom(start: start, entryMs: entryMs)
    }

    mutating func runtimeContext(entryMs: Int64) {
        let o = open("custom_message", entryMs: entryMs)
        sink.raw(
            ",\"customType\":\"openclaw.runtime-context\",\"content\":\"Conversation info (untrusted metadata): channel=telegram chat=direct\",\"display\":false,\"details\":{\"source\":\"telegram\"}"
        )
        close(o)
    }

    mutating func compaction(
        entryMs: Int64, tokensBefore: Int, firstKept: UInt32?, fromHook: Bool,
        pool: TextPool, rng: inout SplitMix64
    ) {
        let o = open("compaction", entryMs: entryMs)
        sink.raw(",\"summary\":\"## Goal\\n")
        pool.appendProse(rng.int(200...900), to: &sink, rng: &rng)
        sink.raw("\"")
        if let firstKept { sink.raw(",\"firstKeptEntryId\":\""); sink.hex(UInt64(firstKept), digits: 8); sink.raw("\"") }
        sink.raw(",\"tokensBefore\":"); sink.int(tokensBefore)
        sink.raw(",\"details\":{\"readFiles\":[\"/home/ana/.openclaw/workspace/MEMORY.md\"],\"modifiedFiles\":[]},\"fromHook\":")
        sink.raw(fromHook ? "true" : "false")
        close(o)
    }

    /// A user message; `body` writes the escaped text.
    mutating func user(entryMs: Int64, messageMs: Int64, body: (inout ByteSink) -> Void) {
        let o = open("message", entryMs: entryMs)
        sink.raw(",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"")
        body(&sink)
        sink.raw("\"}],\"timestamp\":"); sink.int(messageMs); sink.raw("}")
        close(o)
    }

    /// A toolResult message; `body` writes the escaped output text.
    mutating func toolResult(
        entryMs: Int64, messageMs: Int64, callId: UInt64, toolName: StaticString,
        isError: Bool, detailsError: Bool, durationMs: Int, body: (inout ByteSink) -> Void
    ) {
        let o = open("message", entryMs: entryMs)
        sink.raw(",\"message\":{\"role\":\"toolResult\",\"toolCallId\":\"toolu_01"); sink.hex(callId, digits: 16)
        sink.raw("\",\"toolName\":\""); sink.raw(toolName)
        sink.raw("\",\"content\":[{\"type\":\"text\",\"text\":\"")
        body(&sink)
        sink.raw("\"}],\"details\":{\"status\":\""); sink.raw(detailsError ? "error" : "completed")
        sink.raw("\",\"exitCode\":"); sink.int(detailsError ? 1 : 0)
        sink.raw(",\"durationMs\":"); sink.int(durationMs)
        sink.raw(",\"cwd\":\"/home/ana/.openclaw/workspace\"},\"isError\":"); sink.raw(isError ? "true" : "false")
        sink.raw(",\"timestamp\":"); sink.int(messageMs); sink.raw("}")
        close(o)
    }

    /// An OpenClaw-synthesised assistant row (not an LLM call): delivery mirror or notice.
    mutating func synthetic(
        entryMs: Int64, messageMs: Int64, provider: StaticString, model: StaticString,
        text: [UInt8], idempotencyKey: (UInt64, UInt64)?
    ) {
        let o = open("message", entryMs: entryMs)
        sink.raw(",\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"")
        sink.raw(text)
        if model.description == "gateway-injected" {
            // Key order of injected notices differs from real LLM rows (timestamp, stopReason, usage, api, ...).
            sink.raw("\"}],\"timestamp\":"); sink.int(messageMs)
            sink.raw(
                ",\"stopReason\":\"stop\",\"usage\":{\"input\":0,\"output\":0,\"cacheRead\":0,\"cacheWrite\":0,\"totalTokens\":0,\"cost\":{\"input\":0,\"output\":0,\"cacheRead\":0,\"cacheWrite\":0,\"total\":0}},\"api\":\"openai-responses\",\"provider\":\""
            )
            sink.raw(provider); sink.raw("\",\"model\":\""); sink.raw(model); sink.raw("\"")
            if let key = idempotencyKey {
                sink.raw(",\"idempotencyKey\":\""); sink.uuid(key.0, key.1)
                sink.raw(":assistant\",\"openclawAbort\":{\"aborted\":true,\"origin\":\"rpc\",\"runId\":\"")
                sink.uuid(key.0, key.1); sink.raw("\"}")
            }
            sink.raw("}")
        } else {
            sink.raw("\"}],\"api\":\"openai-responses\",\"provider\":\""); sink.raw(provider)
            sink.raw("\",\"model\":\""); sink.raw(model)
            sink.raw(
                "\",\"usage\":{\"input\":0,\"output\":0,\"cacheRead\":0,\"cacheWrite\":0,\"totalTokens\":0,\"cost\":{\"input\":0,\"output\":0,\"cacheRead\":0,\"cacheWrite\":0,\"total\":0}},\"stopReason\":\"stop\",\"timestamp\":"
            )
            sink.int(messageMs); sink.raw("}")
        }
        close(o)
    }

    /// A Clawdbot slash-command reply: `stopReason:"injected"`, no provider/model, no parentId.
    mutating func injected(entryMs: Int64, text: StaticString) {
        let o = open("message", entryMs: entryMs, withParent: false)
        sink.raw(",\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\""); sink.raw(text)
        sink.raw("\"}],\"timestamp\":"); sink.int(entryMs)
        sink.raw(",\"stopReason\":\"injected\",\"usage\":{\"input\":0,\"output\":0,\"totalTokens\":0}}")
        close(o)
    }

    /// An assistant row: one LLM call. `content` writes the content array body.
    mutating func assistant(entryMs: Int64, call: CallDraft, content: (inout ByteSink) -> Void) {
        let o = open("message", entryMs: entryMs)
        let profile = call.profile
        sink.raw(",\"message\":{\"role\":\"assistant\",\"content\":[")
        content(&sink)
        sink.raw("],\"api\":\""); sink.raw(profile.apiBytes)
        sink.raw("\",\"provider\":\""); sink.raw(profile.providerBytes)
        sink.raw("\",\"model\":\""); sink.raw(profile.modelBytes)
        sink.raw("\",\"usage\":{\"input\":"); sink.int(call.input)
        sink.raw(",\"output\":"); sink.int(call.output)
        sink.raw(",\"cacheRead\":"); sink.int(call.cacheRead)
        sink.raw(",\"cacheWrite\":"); sink.int(call.cacheWrite)
        sink.raw(",\"totalTokens\":"); sink.int(call.totalTokens)
        sink.raw(",\"cost\":{\"input\":"); sink.decimal(call.costInput, scale: 15)
        sink.raw(",\"output\":"); sink.decimal(call.costOutput, scale: 15)
        sink.raw(",\"cacheRead\":"); sink.decimal(call.costCacheRead, scale: 15)
        sink.raw(",\"cacheWrite\":"); sink.decimal(call.costCacheWrite, scale: 15)
        sink.raw(",\"total\":"); sink.decimal(call.costTotal, scale: 15)
        sink.raw("}},\"stopReason\":\""); sink.raw(call.stopReason.bytes)
        sink.raw("\",\"timestamp\":"); sink.int(call.startMs)
        if let error = call.errorMessage { sink.raw(",\"errorMessage\":\""); sink.raw(error); sink.raw("\"") }
        if !profile.responseIdPrefix.isEmpty && call.errorMessage == nil {
            sink.raw(",\"responseId\":\""); sink.raw(call.responseIdPrefixBytes); sink.hex(call.responseId, digits: 16)
            sink.raw("\"")
        }
        sink.raw("}")
        close(o)
    }

    /// Appends a copy of an existing valid line (a compaction successor's kept entries).
    mutating func copyLine(_ line: ArraySlice<UInt8>) {
        let start = sink.count
        sink.raw(line)
        entryLines.append(start..<sink.count)
    }
}
