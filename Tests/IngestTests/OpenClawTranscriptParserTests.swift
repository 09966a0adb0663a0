import Testing
@testable import SQLiteStore
@testable import Lake
@testable import Ingest
@testable import TestSupport

/// Rules of the transcript parser, on hand-written lines shaped like the real samples.
@Suite struct OpenClawTranscriptParserTests {
    static let header =
        #"{"type":"session","version":3,"id":"7c1e2a90-55d3-4f0e-9a41-0b6de2f3c811","timestamp":"2026-03-04T09:12:07.418Z","cwd":"/home/ana/.openclaw/workspace"}"#
    static let user =
        #"{"type":"message","id":"5d7e9f01","parentId":"3c3c9f10","timestamp":"2026-03-04T09:12:07.512Z","message":{"role":"user","content":[{"type":"text","text":"Summarize my unread email."}],"timestamp":1772615527498}}"#
    static let userOther =
        #"{"type":"message","id":"5d7e9f02","parentId":"3c3c9f10","timestamp":"2026-03-04T09:20:07.512Z","message":{"role":"user","content":[{"type":"text","text":"Something else."}],"timestamp":1772616007498}}"#

    /// An assistant row; `extra` is spliced into `message`.
    static func assistant(
        id: String, entryTime: String = "2026-03-04T09:12:21.004Z", messageTime: Int64 = 1772615527530,
        provider: String = "anthropic", model: String = "claude-sonnet-4-6", stopReason: String = "toolUse",
        content: String = #"[{"type":"thinking","thinking":"x"},{"type":"toolCall","id":"toolu_01","name":"exec","arguments":{"command":"ls"}}]"#,
        cost: String = "0.0165585", extra: String = ""
    ) -> String {
        #"{"type":"message","id":"\#(id)","parentId":"5d7e9f01","timestamp":"\#(entryTime)","message":{"role":"assistant","content":\#(content),"api":"anthropic-messages","provider":"\#(provider)","model":"\#(model)","usage":{"input":6,"output":141,"cacheRead":18210,"cacheWrite":2390,"totalTokens":20747,"cost":{"input":0.000018,"output":0.002115,"cacheRead":0.005463,"cacheWrite":0.0089625,"total":\#(cost)}},"stopReason":"\#(stopReason)","timestamp":\#(messageTime)\#(extra)}}"#
    }

    static func failed(id: String, messageTime: Int64, message: String = "fetch failed") -> String {
        assistant(
            id: id, entryTime: "2026-03-04T09:13:00.000Z", messageTime: messageTime, provider: "ollama", model: "qwen3.5:9b",
            stopReason: "error", content: "[]", cost: "0", extra: #","errorMessage":"\#(message)""#)
    }

    func newParser(_ state: TranscriptParser.State? = nil) -> TranscriptParser {
        TranscriptParser(agentId: "main", sourceFile: "/s/agents/main/sessions/x.jsonl", fileSessionId: "from-file-name", state: state)
    }

    func call(_ line: TranscriptLine, sourceLocation: SourceLocation = #_sourceLocation) -> CallRecord? {
        if case let .call(c) = line { return c }
        Issue.record("expected a call, got \(line)", sourceLocation: sourceLocation)
        return nil
    }

    @Test func assistantRowBecomesACallWithEveryField() throws {
        var p = newParser()
        #expect(OpenClawFixtures.parse(&p, Self.header) == .notACall)
        #expect(OpenClawFixtures.parse(&p, Self.user) == .notACall)
        let c = try #require(call(OpenClawFixtures.parse(&p, Self.assistant(id: "c4d5e6f7"), lineNumber: 3)))
        #expect(c.timestampMicros == 1_772_615_527_530_000)
        #expect(c.agentId == "main")
        #expect(c.sessionId == "7c1e2a90-55d3-4f0e-9a41-0b6de2f3c811")
        #expect(c.entryId == "c4d5e6f7")
        #expect(c.provider == "anthropic" && c.model == "claude-sonnet-4-6" && c.api == "anthropic-messages")
        #expect(c.inputTokens == 6 && c.outputTokens == 141 && c.cacheReadTokens == 18210 && c.cacheWriteTokens == 2390)
        #expect(c.totalTokens == 20747)
        #expect(c.costLoggedUSD == 0.0165585)
        // 09:12:21.004Z = 1772615541004 ms; minus 1772615527530 = 13474 ms
        #expect(c.latencyMs == 13474)
        #expect(c.stopReason == "toolUse" && c.status == "ok" && c.errorClass == nil && c.errorMessage == nil)
        #expect(c.toolCalls == 1)
        #expect(c.retryOf == nil)
        #expect(c.sourceLine == 3 && c.sourceFile == "/s/agents/main/sessions/x.jsonl")
    }

    /// Usage in OpenAI's own names counts cached tokens inside the prompt; pi-ai's `input` does
    /// not. Either way input + cacheRead is the prompt, with nothing negative or counted twice.
    @Test func openAIUsageNamesDoNotDoubleCountCachedTokens() throws {
        func usage(_ u: String) throws -> CallRecord {
            var p = newParser()
            let line =
                #"{"type":"message","id":"u1","timestamp":"2026-03-04T09:12:21.004Z","message":{"role":"assistant","content":[],"api":"openai-completions","provider":"openai","model":"gpt-4o","usage":\#(u),"stopReason":"stop","timestamp":1772615527530}}"#
            return try #require(call(OpenClawFixtures.parse(&p, line)))
        }
        // Chat Completions: prompt 1200 of which 1000 cached → 200 new input + 1000 cache read.
        let chat = try usage(
            #"{"prompt_tokens":1200,"completion_tokens":80,"total_tokens":1280,"prompt_tokens_details":{"cached_tokens":1000},"completion_tokens_details":{"reasoning_tokens":30}}"#
        )
        #expect(chat.inputTokens == 200 && chat.cacheReadTokens == 1000 && chat.outputTokens == 80 && chat.totalTokens == 1280)
        // Responses: input_tokens 500 with input_tokens_details.cached_tokens 400.
        let responses = try usage(#"{"input_tokens":500,"output_tokens":20,"total_tokens":520,"input_tokens_details":{"cached_tokens":400}}"#)
        #expect(responses.inputTokens == 100 && responses.cacheReadTokens == 400 && responses.totalTokens == 520)
        // pi-ai's normalised names: input already excludes cacheRead, nothing subtracted.
        let pi = try usage(#"{"input":200,"output":80,"cacheRead":1000,"cacheWrite":0,"totalTokens":1280}"#)
        #expect(pi.inputTokens == 200 && pi.cacheReadTokens == 1000)
        // Anthropic's raw names: input_tokens excludes the cache, which has its own keys.
        let anthropic = try usage(#"{"input_tokens":6,"output_tokens":141,"cache_read_input_tokens":18210,"cache_creation_input_tokens":2390}"#)
        #expect(anthropic.inputTokens == 6 && anthropic.cacheReadTokens == 18210 && anthropic.cacheWriteTokens == 2390)
        #expect(anthropic.totalTokens == 6 + 141 + 18210 + 2390)
        // A cached count larger than the prompt is not subtracted into a negative input.
        let odd = try usage(#"{"prompt_tokens":10,"completion_tokens":1,"prompt_tokens_details":{"cached_tokens":50}}"#)
        #expect(odd.inputTokens == 10 && odd.cacheReadTokens == 50)
    }

    @Test func sessionIdComesFromFileNameUntilTheHeaderIsSeen() throws {
        var p = newParser()
        let before = try #require(call(OpenClawFixtures.parse(&p, Self.assistant(id: "a1"))))
        #expect(before.sessionId == "from-file-name")
        _ = OpenClawFixtures.parse(&p, Self.header)
        let after = try #require(call(OpenClawFixtures.parse(&p, Self.assistant(id: "a2"))))
        #expect(after.sessionId == "7c1e2a90-55d3-4f0e-9a41-0b6de2f3c811")
        #expect(p.state.sessionId == "7c1e2a90-55d3-4f0e-9a41-0b6de2f3c811")
    }

    @Test func syntheticRowsAreNotCalls() {
        var p = newParser()
        // openclaw delivery-mirror (openclaw-logs.md §2.6.5)
        #expect(
            OpenClawFixtures.parse(&p, Self.assistant(id: "d1", provider: "openclaw", model: "delivery-mirror", stopReason: "stop", cost: "0"))
                == .notACall)
        // clawdbot delivery-mirror (khalf-code, Musk-fanX)
        #expect(
            OpenClawFixtures.parse(&p, Self.assistant(id: "d2", provider: "clawdbot", model: "delivery-mirror", stopReason: "stop", cost: "0"))
                == .notACall)
        // gateway-injected with a different key order, idempotencyKey and openclawAbort (ReinforcementSleeping)
        let injectedNotice =
            #"{"type":"message","id":"14d77ef1","parentId":"a9882ae6","timestamp":"2026-03-04T03:01:26.435Z","message":{"role":"assistant","content":[{"type":"text","text":"[redacted text: 73 chars]"}],"timestamp":1772593286412,"stopReason":"stop","usage":{"input":0,"output":0,"cacheRead":0,"cacheWrite":0,"totalTokens":0,"cost":{"input":0,"output":0,"cacheRead":0,"cacheWrite":0,"total":0}},"api":"openai-responses","provider":"openclaw","model":"gateway-injected","idempotencyKey":"9c3c986f-a7d2-41e1-9b55-53aebf1943a4:assistant","openclawAbort":{"aborted":true,"origin":"rpc","runId":"9c3c986f-a7d2-41e1-9b55-53aebf1943a4"}}}"#
        #expect(OpenClawFixtures.parse(&p, injectedNotice) == .notACall)
        // Clawdbot stopReason "injected", no provider/model/parentId, usage without cost (HUSTLERLOGAN)
        let slashReply =
            #"{"type":"message","id":"6110b82e","timestamp":"2026-02-02T11:50:18.237Z","message":{"role":"assistant","content":[{"type":"text","text":"Current: emergent-claude/claude-sonnet-4-5"}],"timestamp":1770033018237,"stopReason":"injected","usage":{"input":0,"output":0,"totalTokens":0}}}"#
        #expect(OpenClawFixtures.parse(&p, slashReply) == .notACall)
        #expect(p.quality.syntheticRows == 3)
        #expect(p.quality.injectedRows == 1)
        #expect(p.quality.assistantCalls == 0)
        // provider "openclaw" with a real model is not one of the synthetic shapes
        if case .call = OpenClawFixtures.parse(&p, Self.assistant(id: "d3", provider: "openclaw", model: "gpt-5.4")) {
        } else {
            Issue.record("openclaw/gpt-5.4 should be a call")
        }
    }

    @Test func promptErrorIsAFailedCallWithoutUsage() throws {
        var p = newParser()
        let line =
            #"{"type":"custom","customType":"openclaw:prompt-error","data":{"timestamp":1772616002117,"runId":"2f0c1d9e","sessionId":"7c1e2a90","provider":"openai","model":"gpt-5.2","api":"openai-responses","error":"LLM request timed out."},"id":"d00dfeed","parentId":"aa11bb22","timestamp":"2026-03-04T09:20:02.118Z"}"#
        let c = try #require(call(OpenClawFixtures.parse(&p, line)))
        #expect(c.timestampMicros == 1_772_616_002_117_000)
        #expect(c.entryId == "d00dfeed")
        #expect(c.provider == "openai" && c.model == "gpt-5.2" && c.api == "openai-responses")
        #expect(c.status == "error" && c.stopReason == "error" && c.errorClass == "timeout")
        #expect(c.errorMessage == "LLM request timed out.")
        #expect(c.inputTokens == 0 && c.totalTokens == 0 && c.costLoggedUSD == nil && c.latencyMs == nil)
        #expect(p.quality.promptErrors == 1)
        // other custom entries are not calls
        let snapshot =
            #"{"type":"custom","customType":"model-snapshot","data":{"timestamp":1772615527421,"provider":"anthropic","modelApi":"anthropic-messages","modelId":"claude-sonnet-4-6"},"id":"6e1f2a3b","parentId":"4be1d0c7","timestamp":"2026-03-04T09:12:07.421Z"}"#
        #expect(OpenClawFixtures.parse(&p, snapshot) == .notACall)
    }

    @Test func negativeLatencyIsUnknownAndCounted() throws {
        var p = newParser()
        // VerveAILabs line 50: entry time 698 ms before message.timestamp. 2026-03-04T09:12:21.004Z = 1772615541004.
        let c = try #require(
            call(OpenClawFixtures.parse(&p, Self.assistant(id: "n1", entryTime: "2026-03-04T09:12:21.004Z", messageTime: 1_772_615_541_702))))
        #expect(c.latencyMs == nil)
        #expect(c.timestampMicros == 1_772_615_541_702_000)
        #expect(p.quality.negativeLatencies == 1)
    }

    @Test func rewrittenEntryTimestampIsUnknownLatency() throws {
        var p = newParser()
        // sirdeuce lines 101-108: entry time rewritten ~6.6 days after message.timestamp.
        let c = try #require(
            call(OpenClawFixtures.parse(&p, Self.assistant(id: "r1", entryTime: "2026-04-30T08:28:39.016Z", messageTime: 1_777_076_208_922))))
        #expect(c.latencyMs == nil)
        #expect(c.timestampMicros == 1_777_076_208_922_000)
        #expect(p.quality.rewrittenEntryTimestamps == 1)
        // exactly zero latency is kept (Ollama errors are written in the same ms)
        let z = try #require(
            call(OpenClawFixtures.parse(&p, Self.assistant(id: "r2", entryTime: "2026-03-04T09:12:21.004Z", messageTime: 1_772_615_541_004))))
        #expect(z.latencyMs == 0)
    }

    @Test func exponentCostAndErrorRowsWithTokens() throws {
        var p = newParser()
        // HUSTLERLOGAN: "total":1.34775e-9
        let c = try #require(call(OpenClawFixtures.parse(&p, Self.assistant(id: "e1", cost: "1.34775e-9"))))
        #expect(c.costLoggedUSD == 1.34775e-9)
        // an error row carrying tokens, cost and content (33333cheche "terminated" with cacheWrite)
        let err = try #require(
            call(
                OpenClawFixtures.parse(
                    &p,
                    Self.assistant(
                        id: "e2", stopReason: "error", content: #"[{"type":"text","text":"partial"}]"#, cost: "2E-3",
                        extra: #","errorMessage":"terminated""#))))
        #expect(err.status == "error" && err.errorClass == "network" && err.errorMessage == "terminated")
        #expect(err.inputTokens == 6 && err.cacheWriteTokens == 2390 && err.costLoggedUSD == 0.002)
        let aborted = try #require(
            call(OpenClawFixtures.parse(&p, Self.assistant(id: "e3", stopReason: "aborted", extra: #","errorMessage":"Request was aborted.""#))))
        #expect(aborted.status == "error" && aborted.errorClass == "aborted")
    }

    @Test func errorStatusFieldIsUsedWhenTextSaysNothing() throws {
        var p = newParser()
        let c = try #require(
            call(OpenClawFixtures.parse(&p, Self.assistant(id: "s1", stopReason: "error", extra: #","errorMessage":"boom","errorStatus":529"#))))
        #expect(c.errorClass == "overloaded")
    }

    @Test func errorMessageIsTruncatedToOneKiBOnAUTF8Boundary() throws {
        var p = newParser()
        // 400 three-byte characters = 1200 bytes; 1024 is not a boundary (1023 is).
        let long = String(repeating: "请", count: 400)
        let c = try #require(call(OpenClawFixtures.parse(&p, Self.assistant(id: "t1", stopReason: "error", extra: #","errorMessage":"\#(long)""#))))
        #expect(c.errorMessage?.utf8.count == 1023)
        #expect(c.errorMessage == String(repeating: "请", count: 341))
    }

    @Test func toolCallSpellingsAreCounted() throws {
        var p = newParser()
        let content =
            #"[{"type":"toolCall","id":"a","name":"exec","arguments":{},"partialArgs":"{"},{"type":"tool_use","id":"b"},{"type":"text","text":"toolCall"},{"type":"toolUse"},"toolCall",{"name":"toolCall"},{"type":"toolCall","thoughtSignature":"x"}]"#
        let c = try #require(call(OpenClawFixtures.parse(&p, Self.assistant(id: "k1", stopReason: "stop", content: content))))
        #expect(c.toolCalls == 4)
        let none = try #require(call(OpenClawFixtures.parse(&p, Self.assistant(id: "k2", content: #""plain text content""#))))
        #expect(none.toolCalls == 0)
    }

    @Test func retryChainsLinkToThePreviousFailedAttempt() throws {
        var p = newParser()
        _ = OpenClawFixtures.parse(&p, Self.user)
        let a = try #require(call(OpenClawFixtures.parse(&p, Self.failed(id: "f1", messageTime: 1))))
        let b = try #require(call(OpenClawFixtures.parse(&p, Self.failed(id: "f2", messageTime: 2))))
        let ok = try #require(call(OpenClawFixtures.parse(&p, Self.assistant(id: "ok1"))))
        let next = try #require(call(OpenClawFixtures.parse(&p, Self.assistant(id: "ok2"))))
        #expect(a.retryOf == nil)
        #expect(b.retryOf == "f1")
        #expect(ok.retryOf == "f2")
        #expect(next.retryOf == nil)
        // a new user message ends the turn: a call after it is not a retry
        _ = OpenClawFixtures.parse(&p, Self.failed(id: "f3", messageTime: 3))
        _ = OpenClawFixtures.parse(&p, Self.userOther)
        let fresh = try #require(call(OpenClawFixtures.parse(&p, Self.assistant(id: "ok3"))))
        #expect(fresh.retryOf == nil)
    }

    @Test func duplicatedUserRowOfAFailoverKeepsTheChain() throws {
        // desktop sample lines 5-12: user, 4× fetch failed, model-snapshot, the same user row again, success.
        var p = newParser()
        _ = OpenClawFixtures.parse(&p, Self.user)
        _ = OpenClawFixtures.parse(&p, Self.failed(id: "f1", messageTime: 1))
        let again = Self.user.replacingOccurrences(of: "5d7e9f01", with: "5d7e9f99")
        _ = OpenClawFixtures.parse(&p, again)
        let ok = try #require(call(OpenClawFixtures.parse(&p, Self.assistant(id: "ok"))))
        #expect(ok.retryOf == "f1")
        #expect(p.quality.duplicateUserRows == 1)
    }

    @Test func abortedRowAfterItsPromptErrorIsTheSameAttemptNotARetry() throws {
        // ReinforcementSleeping lines 57-59: user, prompt-error "aborted" recorded at …825404,
        // then the aborted stream's row that started at …822505 (before the prompt error).
        var p = newParser()
        _ = OpenClawFixtures.parse(&p, Self.user)
        let pe =
            #"{"type":"custom","customType":"openclaw:prompt-error","data":{"timestamp":1772517825404,"runId":"r","sessionId":"s","provider":"minimax-portal","model":"MiniMax-M2.5","api":"anthropic-messages","error":"aborted"},"id":"pe000001","parentId":"u","timestamp":"2026-03-03T06:03:45.404Z"}"#
        let first = try #require(call(OpenClawFixtures.parse(&p, pe)))
        #expect(first.errorClass == "aborted" && first.retryOf == nil)
        let aborted = try #require(
            call(
                OpenClawFixtures.parse(
                    &p,
                    Self.assistant(
                        id: "ab000001", entryTime: "2026-03-03T06:03:45.500Z", messageTime: 1_772_517_822_505, stopReason: "aborted",
                        extra: #","errorMessage":"Request was aborted.""#))))
        #expect(aborted.retryOf == nil)
        // a later attempt retries the aborted row (the latest failure of the turn)
        let later = try #require(
            call(OpenClawFixtures.parse(&p, Self.assistant(id: "ok000001", entryTime: "2026-03-03T06:04:00.000Z", messageTime: 1_772_517_830_000))))
        #expect(later.retryOf == "ab000001")
    }

    @Test func retryChainSurvivesAStateRoundTrip() throws {
        var first = newParser()
        _ = OpenClawFixtures.parse(&first, Self.header)
        _ = OpenClawFixtures.parse(&first, Self.user)
        _ = OpenClawFixtures.parse(&first, Self.failed(id: "f1", messageTime: 1))
        let encoded = first.state.encoded()
        let restored = try #require(TranscriptParser.State(encoded: encoded))
        #expect(restored == first.state)
        var second = newParser(restored)
        let c = try #require(call(OpenClawFixtures.parse(&second, Self.failed(id: "f2", messageTime: 2))))
        #expect(c.retryOf == "f1")
        #expect(c.sessionId == "7c1e2a90-55d3-4f0e-9a41-0b6de2f3c811")
        // the duplicate-user memory survives too
        let restoredAgain = TranscriptParser.State(encoded: second.state.encoded())
        #expect(restoredAgain == second.state)
        var third = newParser(restoredAgain)
        _ = OpenClawFixtures.parse(&third, Self.user.replacingOccurrences(of: "5d7e9f01", with: "aaaaaaaa"))
        let ok = try #require(call(OpenClawFixtures.parse(&third, Self.assistant(id: "ok"))))
        #expect(ok.retryOf == "f2")
        #expect(TranscriptParser.State(encoded: "garbage") == nil)
        #expect(TranscriptParser.State(encoded: #"{"v":2}"#) == nil)
        let odd = TranscriptParser.State(
            sessionId: "a\"b\\c\n", lastFailedEntryId: "x", lastFailedTimestampMicros: -5, lastUserContentHash: UInt64.max)
        #expect(TranscriptParser.State(encoded: odd.encoded()) == odd)
    }

    @Test func loneSurrogateEscapesDecodeToReplacementCharacter() throws {
        var p = newParser()
        // Node cuts text mid-emoji and writes a lone high surrogate; the line is valid JSON.
        let c = try #require(
            call(
                OpenClawFixtures.parse(
                    &p,
                    Self.assistant(
                        id: "u1", stopReason: "error", content: #"[{"type":"text","text":"cut \ud83d"}]"#,
                        extra: #","errorMessage":"x \ud83d y \ude00 z \ud83d\ude00""#))))
        #expect(c.errorMessage == "x \u{FFFD} y \u{FFFD} z 😀")
    }

    @Test func brokenLinesAreQuarantinedWithAPosition() {
        var p = newParser()
        let torn = String(Self.user.prefix(60))
        guard case let .quarantine(reason) = OpenClawFixtures.parse(&p, torn) else { Issue.record("torn line accepted"); return }
        #expect(reason == "invalid JSON: unexpected end of input (torn or truncated line) at byte 60 (file offset 60)")
        guard case let .quarantine(r2) = OpenClawFixtures.parse(&p, #"{"type":"message","id":01}"#) else { Issue.record("bad number"); return }
        #expect(r2.contains("at byte 24"), "\(r2)")
        guard case let .quarantine(r3) = OpenClawFixtures.parse(&p, #"[1,2]"#) else { Issue.record("array accepted"); return }
        #expect(r3.contains("an array, not an object"))
        guard case let .quarantine(r4) = OpenClawFixtures.parse(&p, #"{"type":"message","message":"hi"}"#) else {
            Issue.record("string message"); return
        }
        #expect(r4.contains("not an object"))
        let noTime =
            #"{"type":"message","id":"x","timestamp":"2026-03-04T09:12:21.004Z","message":{"role":"assistant","content":[],"provider":"a","model":"b","stopReason":"stop"}}"#
        guard case let .quarantine(r5) = OpenClawFixtures.parse(&p, noTime) else { Issue.record("no timestamp accepted"); return }
        #expect(r5.contains("no message.timestamp"))
        guard case let .quarantine(r6) = OpenClawFixtures.parse(&p, Self.user + "}") else { Issue.record("trailing data"); return }
        #expect(r6.contains("unexpected data after the JSON value"))
        #expect(p.quality.quarantined == 6)
        #expect(OpenClawFixtures.parse(&p, "   ") == .notACall)
    }

    @Test func quarantineReasonNamesFileOffset() {
        var p = newParser()
        var line = Array(#"{"type":"x",}"#.utf8)
        let result = line.withUnsafeMutableBytes { p.parse(line: UnsafeRawBufferPointer($0), lineNumber: 9, byteOffset: 1000) }
        guard case let .quarantine(reason) = result else { Issue.record("accepted"); return }
        #expect(reason == "invalid JSON: expected a string key at byte 12 (found '}') (file offset 1012)")
    }

    @Test func missingEntryIdIsSynthesisedFromTheEventTime() throws {
        var p = newParser()
        let line = Self.assistant(id: "zz").replacingOccurrences(of: #""id":"zz","#, with: "")
        let c = try #require(call(OpenClawFixtures.parse(&p, line)))
        #expect(c.entryId == "ts:1772615527530")
        #expect(p.quality.synthesizedEntryIds == 1)
    }
}
