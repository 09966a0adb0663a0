import Foundation
import Testing
@testable import SQLiteStore
@testable import Lake
@testable import Ingest
@testable import TestSupport

/// The gateway log parser on the real tslog and console samples and on hand-written lines.
@Suite struct OpenClawGatewayLogTests {
    static func parseFile(_ name: String, format: GatewayLogParser.Format? = nil) throws -> (
        events: [GatewayEvent], ignored: Int, quarantined: [String]
    ) {
        let path = OpenClawFixtures.sample(name)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var parser = format.map { GatewayLogParser(sourceFile: path, format: $0) } ?? GatewayLogParser(sourceFile: path)
        var events: [GatewayEvent] = [], ignored = 0, quarantined: [String] = []
        OpenClawFixtures.forEachLine(data) { line, number, offset in
            switch parser.parse(line: line, lineNumber: number, byteOffset: offset) {
            case let .event(e): events.append(e)
            case .ignored: ignored += 1
            case let .quarantine(reason): quarantined.append("\(number): \(reason)")
            }
        }
        return (events, ignored, quarantined)
    }

    static func parse(_ line: String, file: String = "/tmp/openclaw/openclaw-2026-05-20.log") -> GatewayLine {
        var parser = GatewayLogParser(sourceFile: file)
        var copy = line
        return copy.withUTF8 { parser.parse(line: UnsafeRawBufferPointer($0), lineNumber: 7, byteOffset: 100) }
    }

    static func event(_ line: String, file: String = "/tmp/openclaw/openclaw-2026-05-20.log", sourceLocation: SourceLocation = #_sourceLocation)
        -> GatewayEvent?
    {
        if case let .event(e) = parse(line, file: file) { return e }
        Issue.record("no event from \(line.prefix(80))", sourceLocation: sourceLocation)
        return nil
    }

    static let tslogSamples = [
        "hochoy18-OPENCLAW_ALL--gateway-tslog-via-toolresult.jsonl",
        "andrewcarterman-ops-andre-ai-harness--gateway-tslog-via-toolresult.jsonl",
        "Musk-fanX-openclaw-backup--gateway-tslog-via-toolresult.jsonl"
    ]

    /// Python counts, independently, the WARN/ERROR/FATAL lines of a tslog file.
    static func pythonWarnErrorCount(_ path: String) throws -> Int {
        let code = """
            import json, sys
            n = sum(1 for l in open(sys.argv[1], encoding='utf-8') if l.strip() and json.loads(l)['_meta'].get('logLevelName') in ('WARN', 'ERROR', 'FATAL'))
            print(n)
            """
        let (status, out, err) = PythonOracle.launch("/usr/bin/env", ["python3", "-c", code, path], stdin: nil)
        let n = Int(out.trimmingCharacters(in: .whitespacesAndNewlines))
        try #require(status == 0 && n != nil, "python3 failed: \(err)")
        return n ?? -1
    }

    @Test(arguments: tslogSamples)
    func realTslogSampleYieldsOneEventPerWarnOrErrorLine(_ name: String) throws {
        // The README: 100 / 52 / 42 lines. None of their INFO/DEBUG lines is an LLM failure,
        // so the events are exactly the WARN/ERROR lines.
        let r = try Self.parseFile(name)
        #expect(r.quarantined.isEmpty, "\(r.quarantined)")
        #expect(r.events.count == (try Self.pythonWarnErrorCount(OpenClawFixtures.sample(name))))
        #expect(r.events.count + r.ignored == ["hochoy18": 100, "andrewca": 52, "Musk-fan": 42][String(name.prefix(8))])
        #expect(r.events.allSatisfy { ["WARN", "ERROR"].contains($0.level) })
    }

    @Test func tslogSubsystemsTimesAndANSI() throws {
        let r = try Self.parseFile("andrewcarterman-ops-andre-ai-harness--gateway-tslog-via-toolresult.jsonl")
        // "[tools] edit failed: …" lines carry the subsystem in the message text (_meta.name "openclaw").
        let tools = r.events.filter { $0.subsystem == "tools" }
        #expect(tools.count == 6)
        #expect(tools.allSatisfy { $0.message.hasPrefix("[tools] edit failed") && $0.level == "ERROR" })
        // gateway/ws WARN lines: subsystem from "0", message from "2", ANSI escapes removed.
        let ws = r.events.filter { $0.subsystem == "gateway/ws" }
        #expect(ws.count == 22)
        #expect(r.events.allSatisfy { !$0.message.contains("\u{1B}") })
        // times are local with an offset (+02:00), stored as UTC µs
        #expect(r.events.allSatisfy { $0.timestampMicros > 1_775_340_000_000_000 && $0.timestampMicros < 1_775_440_000_000_000 })
    }

    @Test func consoleSamplesYieldTheRecognisedLines() throws {
        // grep -c '^20.*<phrase>' on the .err.log: embedded run timeout 29, timed out during
        // compaction 14, lane task error 22, lane wait exceeded 9, blocked model 3; 0 in the .log.
        let err = try Self.parseFile("mpast043-openclaws--gateway-console.err.log")
        #expect(err.quarantined.isEmpty)
        func count(_ event: String) -> Int { err.events.filter { $0.event == event }.count }
        #expect(count("timeout") == 29 + 14)
        #expect(count("lane_error") == 22)
        #expect(count("lane_wait") == 9)
        #expect(count("model_blocked") == 3)
        #expect(err.events.count == 77)
        #expect(err.events.filter { $0.event == "lane_error" }.allSatisfy { ["context_overflow", "auth"].contains($0.reason ?? "") })
        let timeout = try #require(err.events.first { $0.event == "timeout" })
        #expect(timeout.runId == "8798513d-2efc-4cbf-a621-7f1ad287d0d0")
        #expect(timeout.subsystem == "agent/embedded")
        let out = try Self.parseFile("mpast043-openclaws--gateway-console.log")
        #expect(out.quarantined.isEmpty && out.events.isEmpty && out.ignored == 98)
        // the -05:00 lines after the upgrade are placed on the UTC axis: 17:17:04.159-05:00 = 22:17:04.159Z
        let shifted = try #require(err.events.first { $0.message.contains("No API key") })
        #expect(shifted.timestampMicros == 1_771_712_224_159_000)
    }

    @Test func failoverDecisionWithMetaObject() throws {
        let line =
            #"{"0":"{\"subsystem\":\"agent/embedded\"}","1":{"event":"embedded_run_failover_decision","tags":["error_handling","failover"],"runId":"9b1a0c2d-3e4f-5061-7283-94a5b6c7d8e9","stage":"assistant","decision":"rotate_profile","failoverReason":"rate_limit","provider":"anthropic","model":"claude-opus-4-6","rawErrorPreview":"429 {\"type\":\"error\"}","httpCode":"429","providerErrorType":"rate_limit_error"},"2":"embedded run failover decision","_meta":{"runtime":"node","name":"{\"subsystem\":\"agent/embedded\"}","parentNames":["openclaw"],"date":"2026-05-20T08:11:02.507Z","logLevelId":4,"logLevelName":"WARN","path":{"method":"logToFile"}},"time":"2026-05-20T10:11:02.508+02:00"}"#
        let e = try #require(Self.event(line))
        #expect(e.event == "failover_decision" && e.level == "WARN" && e.subsystem == "agent/embedded")
        #expect(e.provider == "anthropic" && e.model == "claude-opus-4-6" && e.reason == "rate_limit" && e.httpStatus == 429)
        #expect(e.runId == "9b1a0c2d-3e4f-5061-7283-94a5b6c7d8e9")
        #expect(e.message == "embedded run failover decision")
        #expect(e.timestampMicros == 1_779_264_662_508_000)  // Python: fromisoformat(...).timestamp()
        #expect(e.sourceLine == 7)
    }

    @Test func modelFallbackLaneErrorAgentEndAndModelFetch() throws {
        let fallback =
            #"{"0":"{\"subsystem\":\"model-fallback/decision\"}","1":{"event":"model_fallback_decision","decision":"candidate_failed","requestedProvider":"anthropic","requestedModel":"claude-opus-4-6","candidateProvider":"anthropic","candidateModel":"claude-opus-4-6","attempt":1,"total":2,"reason":"rate_limit","status":429,"nextCandidateProvider":"openai"},"2":"model fallback decision","_meta":{"logLevelId":4,"logLevelName":"WARN"},"time":"2026-05-20T10:11:02.530+02:00"}"#
        let f = try #require(Self.event(fallback))
        #expect(f.event == "model_fallback" && f.provider == "anthropic" && f.reason == "rate_limit" && f.httpStatus == 429)

        let lane =
            #"{"0":"{\"subsystem\":\"diagnostic\"}","1":"lane task error: lane=session:agent:main:main durationMs=60012 error=\"FailoverError: LLM request timed out.\"","_meta":{"logLevelId":5,"logLevelName":"ERROR"},"time":"2026-05-20T10:15:00.020+02:00"}"#
        let l = try #require(Self.event(lane))
        #expect(l.event == "lane_error" && l.reason == "timeout" && l.level == "ERROR" && l.subsystem == "diagnostic")

        let agentEnd =
            #"{"0":"{\"subsystem\":\"agent/embedded\"}","1":"embedded run agent end: runId=2f0c1d9e-8a7b-4c6d-9e5f-1a2b3c4d5e6f isError=true error=429 status code (no body)","_meta":{"name":"{\"subsystem\":\"agent/embedded\"}","date":"2026-02-28T10:04:11.220Z","logLevelId":4,"logLevelName":"WARN"},"time":"2026-02-28T10:04:11.221Z"}"#
        let a = try #require(Self.event(agentEnd))
        #expect(a.event == "agent_error" && a.runId == "2f0c1d9e-8a7b-4c6d-9e5f-1a2b3c4d5e6f" && a.reason == "rate_limit")

        let fetch =
            #"{"0":"{\"subsystem\":\"provider-transport-fetch\"}","1":"[model-fetch] response provider=openrouter api=openai-completions model=openai/gpt-oss-20b status=429 elapsedMs=812 contentType=application/json","_meta":{"logLevelId":3,"logLevelName":"INFO"},"time":"2026-06-16T02:17:58.001+02:00"}"#
        let m = try #require(Self.event(fetch))
        #expect(m.event == "rate_limit" && m.level == "INFO" && m.provider == "openrouter" && m.model == "openai/gpt-oss-20b" && m.httpStatus == 429)
        // the same line with status=200 is ordinary info
        #expect(Self.parse(fetch.replacingOccurrences(of: "status=429", with: "status=200")) == .ignored)

        let failed =
            #"{"0":"Gateway failed to start: another gateway instance is already listening","_meta":{"name":"openclaw","date":"2026-02-06T00:00:18.859Z","logLevelId":5,"logLevelName":"ERROR","path":{"method":"console.error"}},"time":"2026-02-06T00:00:18.861Z"}"#
        let g = try #require(Self.event(failed))
        #expect(g.event == "error" && g.subsystem == nil && g.message.hasPrefix("Gateway failed to start"))
    }

    @Test func ignoredAndQuarantinedLines() {
        let info =
            #"{"0":"{\"module\":\"cron\"}","1":{"nextAt":1773792000000},"2":"cron: timer armed","_meta":{"logLevelName":"DEBUG","date":"2026-03-17T14:56:05.836Z"},"time":"2026-03-17T22:56:05.836+08:00"}"#
        #expect(Self.parse(info) == .ignored)
        #expect(Self.parse("") == .ignored)
        guard case let .quarantine(r1) = Self.parse("openclaw requires Node >=22.12.0.") else { Issue.record("text accepted"); return }
        #expect(r1.contains("not a JSON log line") && r1.contains("file offset 100"))
        guard case let .quarantine(r2) = Self.parse(#"{"a":1}"#) else { Issue.record("no _meta accepted"); return }
        #expect(r2.contains("_meta"))
        let torn = #"{"0":"x","_meta":{"logLevelName":"WARN"}"#
        guard case let .quarantine(r3) = Self.parse(torn) else { Issue.record("torn accepted"); return }
        #expect(
            r3.contains("unexpected end of input (torn or truncated line) at byte \(torn.utf8.count)")
                && r3.contains("file offset \(100 + torn.utf8.count)"))
        guard case let .quarantine(r4) = Self.parse(#"{"0":"x","_meta":{"logLevelName":"WARN"}}"#) else { Issue.record("no time accepted"); return }
        #expect(r4.contains("time"))
        // the same plain text in a console-format file is a continuation line
        #expect(Self.parse("openclaw requires Node >=22.12.0.", file: "/Users/u/.openclaw/logs/gateway.err.log") == .ignored)
    }

    @Test func keyValuesAndANSIHelpers() {
        let kv = GatewayLogParser.keyValues(#"lane task error: lane=main durationMs=16 error="FailoverError: "x" y""#)
        #expect(kv["lane"] == "main" && kv["durationMs"] == "16" && kv["error"] == #"FailoverError: "x" y"#)
        #expect(GatewayLogParser.stripANSI("\u{1B}[38;2;255;176;32mTimed out\u{1B}[39m ok") == "Timed out ok")
        // Keys and values beside multi-byte text (read byte by byte): non-ASCII bytes count as
        // letters, so a key glued to a dash or emoji is another key (`—model`, never `model`), the
        // first of a repeated key wins, and a quoted value runs to the last quote of the line.
        let unicode = GatewayLogParser.keyValues("modèl=ü provider=anthropic —model=x 😀reason=y status=429 model=claude-3.5 model=other")
        #expect(unicode == ["modèl": "ü", "provider": "anthropic", "—model": "x", "😀reason": "y", "status": "429", "model": "claude-3.5"])
        let quoted = GatewayLogParser.keyValues(#"error="Ärger: "x" — y" runId=run-7 reason=π"#)
        #expect(quoted == ["error": #"Ärger: "x" — y"#, "runId": "run-7", "reason": "π"])
        #expect(GatewayLogParser.keyValues(#"a="no close"#) == ["a": "no close"])
        #expect(GatewayLogParser.keyValues("=1 9x=2 _y=3 ok=") == ["ok": ""])
    }
}
