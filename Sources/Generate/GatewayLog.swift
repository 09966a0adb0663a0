/// One rendered gateway tslog line and the UTC time it sorts by.
struct GeneratedGatewayLine: Sendable {
    let utcMs: Int64
    let sequence: Int
    let level: String
    let bytes: [UInt8]
}

/// Builds gateway tslog JSON lines (positional `"0"`/`"1"`/`"2"`, `_meta`, `time`) for the events
/// behind transcript failures, plus background noise, as the reference describes them.
struct GatewayLog {
    var lines: [GeneratedGatewayLine] = []
    /// Local offset of the gateway host; `time` is UTC `Z` before `upgradeDay`, local after it.
    let offsetMinutes: Int
    let upgradeDay: Int64
    let stream: Int
    private var sequence = 0

    init(offsetMinutes: Int, upgradeDay: Int64, stream: Int) {
        self.offsetMinutes = offsetMinutes
        self.upgradeDay = upgradeDay
        self.stream = stream
    }

    private static let levelIds: [String: Int] = ["DEBUG": 2, "INFO": 3, "WARN": 4, "ERROR": 5]

    /// Appends a subsystem line; `meta` writes a JSON object for `"1"` (then `message` goes in `"2"`).
    mutating func subsystem(
        _ ms: Int64, _ name: StaticString, level: String, meta: ((inout ByteSink) -> Void)? = nil,
        message: (inout ByteSink) -> Void
    ) {
        var s = ByteSink(capacity: 1024)
        s.raw("{\"0\":\"{\\\"subsystem\\\":\\\""); s.raw(name); s.raw("\\\"}\",\"1\":")
        if let meta {
            meta(&s)
            s.raw(",\"2\":\"")
        } else {
            s.raw("\"")
        }
        message(&s)
        s.raw("\",\"_meta\":{\"runtime\":\"node\",\"runtimeVersion\":\"22.22.0\",\"hostname\":\"claw-vps\",\"name\":\"{\\\"subsystem\\\":\\\"")
        s.raw(name)
        s.raw("\\\"}\",\"parentNames\":[\"openclaw\"],\"date\":\""); s.isoUTC(ms)
        finish(&s, ms: ms, level: level, method: "logToFile")
    }

    /// A captured `console.*` line: the text in `"0"`, root logger name.
    mutating func console(_ ms: Int64, level: String, text: StaticString) {
        var s = ByteSink(capacity: 512)
        s.raw("{\"0\":\""); s.raw(text)
        s.raw(
            "\",\"_meta\":{\"runtime\":\"node\",\"runtimeVersion\":\"22.22.0\",\"hostname\":\"claw-vps\",\"name\":\"openclaw\",\"parentNames\":[\"openclaw\"],\"date\":\""
        )
        s.isoUTC(ms)
        finish(&s, ms: ms, level: level, method: level == "ERROR" ? "console.error" : "console.log")
    }

    private mutating func finish(_ s: inout ByteSink, ms: Int64, level: String, method: StaticString) {
        s.raw("\",\"logLevelId\":"); s.int(GatewayLog.levelIds[level] ?? 3)
        s.raw(",\"logLevelName\":\""); s.escaped(level)
        s.raw(
            "\",\"path\":{\"fullFilePath\":\"file:///usr/lib/node_modules/openclaw/dist/entry.js:2366:14\",\"fileName\":\"entry.js\",\"fileNameWithLine\":\"entry.js:2366\",\"fileColumn\":\"14\",\"fileLine\":\"2366\",\"filePath\":\"/usr/lib/node_modules/openclaw/dist/entry.js\",\"filePathWithLine\":\"/usr/lib/node_modules/openclaw/dist/entry.js:2366\",\"method\":\""
        )
        s.raw(method)
        s.raw("\"}},\"time\":\"")
        let day = ms.floorDivided(by: 86_400_000).0
        s.iso(ms + 1, offsetMinutes: day >= upgradeDay ? offsetMinutes : nil)
        s.raw("\"}\n")
        sequence += 1
        lines.append(GeneratedGatewayLine(utcMs: ms, sequence: stream * 100_000_000 + sequence, level: level, bytes: s.bytes))
    }

    // MARK: Events behind transcript rows

    mutating func agentEnd(_ ms: Int64, runId: (UInt64, UInt64), profile: ModelProfile, error: [UInt8]) {
        subsystem(ms, "agent/embedded", level: "WARN") { s in
            s.raw("embedded run agent end: runId="); s.uuid(runId.0, runId.1)
            s.raw(" isError=true model="); s.raw(profile.modelBytes)
            s.raw(" provider="); s.raw(profile.providerBytes)
            s.raw(" error="); s.raw(error)
        }
    }

    mutating func modelFetch429(_ ms: Int64, profile: ModelProfile, elapsedMs: Int) {
        subsystem(ms, "provider-transport-fetch", level: "INFO") { s in
            s.raw("[model-fetch] response provider="); s.raw(profile.providerBytes)
            s.raw(" api="); s.raw(profile.apiBytes); s.raw(" model="); s.raw(profile.modelBytes)
            s.raw(" status=429 elapsedMs="); s.int(elapsedMs); s.raw(" contentType=application/json")
        }
    }

    mutating func timeout(_ ms: Int64, runId: (UInt64, UInt64), sessionId: (UInt64, UInt64), agentId: [UInt8]) {
        subsystem(ms, "agent/embedded", level: "WARN") { s in
            s.raw("embedded run timeout: runId="); s.uuid(runId.0, runId.1)
            s.raw(" sessionId="); s.uuid(sessionId.0, sessionId.1); s.raw(" timeoutMs=600000")
        }
        subsystem(ms + 12, "diagnostic", level: "ERROR") { s in
            s.raw("lane task error: lane=session:agent:"); s.raw(agentId)
            s.raw(":main durationMs=600012 error=\\\"FailoverError: LLM request timed out.\\\"")
        }
    }

    mutating func failover(
        _ ms: Int64, runId: (UInt64, UInt64), from: ModelProfile, to: ModelProfile,
        reason: String, error: [UInt8]
    ) {
        subsystem(
            ms, "agent/embedded", level: "WARN",
            meta: { s in
                s.raw(
                    "{\"event\":\"embedded_run_failover_decision\",\"tags\":[\"error_handling\",\"failover\",\"assistant\",\"fallback_model\"],\"runId\":\""
                )
                s.uuid(runId.0, runId.1)
                s.raw("\",\"stage\":\"assistant\",\"decision\":\"fallback_model\",\"failoverReason\":\""); s.escaped(reason)
                s.raw("\",\"provider\":\""); s.raw(from.providerBytes); s.raw("\",\"model\":\""); s.raw(from.modelBytes)
                s.raw("\",\"fallbackConfigured\":true,\"timedOut\":false,\"aborted\":false,\"rawErrorPreview\":\"")
                let preview = error.prefix(160)
                var cut = preview.endIndex
                while cut > preview.startIndex && cut < error.endIndex && (error[cut] & 0xC0) == 0x80 { cut -= 1 }
                var backslashes = 0  // an odd run of trailing backslashes would split an escape
                while cut - backslashes > preview.startIndex && error[cut - backslashes - 1] == 0x5C { backslashes += 1 }
                if backslashes % 2 == 1 { cut -= 1 }
                s.raw(error[preview.startIndex..<cut]); s.raw("\"}")
            }
        ) { s in s.raw("embedded run failover decision") }
        subsystem(
            ms + 3, "model-fallback/decision", level: "WARN",
            meta: { s in
                s.raw("{\"event\":\"model_fallback_decision\",\"tags\":[\"error_handling\",\"model_fallback\",\"candidate_failed\"],\"runId\":\"")
                s.uuid(runId.0, runId.1)
                s.raw("\",\"decision\":\"candidate_failed\",\"requestedProvider\":\""); s.raw(from.providerBytes)
                s.raw("\",\"requestedModel\":\""); s.raw(from.modelBytes)
                s.raw("\",\"candidateProvider\":\""); s.raw(from.providerBytes)
                s.raw("\",\"candidateModel\":\""); s.raw(from.modelBytes)
                s.raw("\",\"attempt\":1,\"total\":2,\"reason\":\""); s.escaped(reason)
                s.raw("\",\"nextCandidateProvider\":\""); s.raw(to.providerBytes)
                s.raw("\",\"nextCandidateModel\":\""); s.raw(to.modelBytes)
                s.raw("\",\"isPrimary\":true,\"fallbackConfigured\":true}")
            }
        ) { s in s.raw("model fallback decision") }
    }
}
