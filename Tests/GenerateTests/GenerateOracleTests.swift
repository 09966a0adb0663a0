import Foundation
import Testing
@testable import TestSupport

/// The independent oracle (`Tests/tools/oracle_transcripts.py`): checked by hand on a tiny state
/// directory, then compared with what the generator says it wrote.
@Suite struct GenerateOracleTests {
    @Test func oracleAgreesWithTheGeneratorsManifest() throws {
        let (dir, manifest) = try GenerateFixture.generate(GenerateFixture.options(days: 28, agents: 5, callsPerDay: 25, seed: 3))
        defer { dir.remove() }
        let oracle = try GenerateFixture.oracle(dir.path)
        #expect(oracle["calls"] as? Int == manifest.calls)
        #expect(manifest.calls > 1_500)
        #expect(oracle["calls_by_agent"] as? [String: Int] == manifest.calls_by_agent)
        #expect(oracle["calls_by_provider"] as? [String: Int] == manifest.calls_by_provider)
        #expect(oracle["calls_by_model"] as? [String: Int] == manifest.calls_by_model)
        #expect(oracle["calls_by_provider_model"] as? [String: [String: Int]] == manifest.calls_by_provider_model)
        #expect(oracle["calls_by_day"] as? [String: Int] == manifest.calls_by_day)
        let tokens = oracle["tokens"] as? [String: Int] ?? [:]
        #expect(tokens["input"].map(Int64.init) == manifest.tokens.input)
        #expect(tokens["output"].map(Int64.init) == manifest.tokens.output)
        #expect(tokens["cache_read"].map(Int64.init) == manifest.tokens.cache_read)
        #expect(tokens["cache_write"].map(Int64.init) == manifest.tokens.cache_write)
        #expect(tokens["total"].map(Int64.init) == manifest.tokens.total)
        let cost = oracle["cost_logged_usd"] as? Double ?? -1
        #expect(abs(cost - manifest.costLoggedUSD) <= 1e-9 * max(1, cost))
        #expect(oracle["calls_with_logged_cost"] as? Int == manifest.calls_with_logged_cost)
        for key in [
            "error_calls", "prompt_errors", "synthetic_rows", "negative_latency_calls", "duplicate_entries",
            "malformed_lines", "torn_lines"
        ] {
            let mirror = Mirror(reflecting: manifest).children.first { $0.label == key }?.value as? Int
            #expect(oracle[key] as? Int == mirror, "\(key)")
        }
        let files = oracle["files"] as? [String: Int] ?? [:]
        let f = manifest.files
        #expect(
            files["included"] == (f["primary"] ?? 0) + (f["reset"] ?? 0) + (f["deleted"] ?? 0) + (f["successor"] ?? 0)
                + (f["checkpoint"] ?? 0))
        #expect(
            files["excluded"] == (f["trajectory"] ?? 0) + (f["bak"] ?? 0)
                + (f["lock"] ?? 0) + (f["sessions_json"] ?? 0))
    }

    /// Every count below was worked out by hand from the lines written here.
    @Test func oracleCountsATinyHandWrittenStateDirectory() throws {
        let dir = TemporaryDirectory("homebase-oracle")
        defer { dir.remove() }
        let a1 = dir.path + "/agents/a1/sessions", a2 = dir.path + "/agents/a2/sessions"
        try FileManager.default.createDirectory(atPath: a1, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: a2, withIntermediateDirectories: true)
        func write(_ path: String, _ lines: [String], newlineAtEnd: Bool = true) {
            let text = lines.joined(separator: "\n") + (newlineAtEnd ? "\n" : "")
            FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        }
        let zero =
            #""usage":{"input":0,"output":0,"cacheRead":0,"cacheWrite":0,"totalTokens":0,"cost":{"input":0,"output":0,"cacheRead":0,"cacheWrite":0,"total":0}}"#
        // Day 2026-03-04 (1772615527000 = 09:12:07Z).
        let ok =
            #"{"type":"message","id":"aaaa0001","parentId":"u1","timestamp":"2026-03-04T09:12:21.004Z","message":{"role":"assistant","content":[],"api":"anthropic-messages","provider":"anthropic","model":"claude-sonnet-4-6","usage":{"input":10,"output":20,"cacheRead":100,"cacheWrite":5,"totalTokens":135,"cost":{"input":0.1,"output":0.2,"cacheRead":0.1,"cacheWrite":0.1,"total":0.5}},"stopReason":"toolUse","timestamp":1772615527530}}"#
        write(
            a1 + "/s1.jsonl",
            [
                #"{"type":"session","version":3,"id":"s1","timestamp":"2026-03-04T09:12:07.418Z","cwd":"/w"}"#,
                #"{"type":"message","id":"u1","parentId":null,"timestamp":"2026-03-04T09:12:07.512Z","message":{"role":"user","content":"hi 😀 \ud83d","timestamp":1772615527498}}"#,
                ok,
                #"{"type":"message","id":"aaaa0002","parentId":"aaaa0001","timestamp":"2026-03-04T09:12:30.000Z","message":{"role":"assistant","content":[],"api":"anthropic-messages","provider":"anthropic","model":"claude-sonnet-4-6","#
                    + zero + #","stopReason":"error","timestamp":1772615549000,"errorMessage":"429 429 Too Many Requests"}}"#,
                #"{"type":"message","id":"aaaa0003","parentId":"aaaa0002","timestamp":"2026-03-04T09:12:31.000Z","message":{"role":"assistant","content":[{"type":"text","text":"sent"}],"api":"openai-responses","provider":"openclaw","model":"delivery-mirror","#
                    + zero + #","stopReason":"stop","timestamp":1772615550999}}"#,
                #"{"type":"custom","customType":"openclaw:prompt-error","data":{"timestamp":1772616002117,"runId":"r","sessionId":"s1","provider":"openai","model":"gpt-5.2","api":"openai-responses","error":"LLM request timed out."},"id":"aaaa0004","parentId":"aaaa0003","timestamp":"2026-03-04T09:20:02.118Z"}"#,
                #"{"type":"message","id":"aaaa0005","parentId":"aaaa00"#,  // malformed (crash mid-append)
                #"{"type":"message","id":"aaaa0006","parentId":"aaaa0004","timestamp":"2026-03-04T09:30:00.000Z","message":{"role":"assis"#  // torn
            ], newlineAtEnd: false)
        // Checkpoint copy: read like every copy, its assistant row is a duplicate of `ok`.
        write(a1 + "/s1.checkpoint.0b6de2f3-c811-4f0e-9a41-7c1e2a9055d3.jsonl", [ok])
        // Compaction successor: repeats `ok` (a duplicate) and adds one openrouter call on 2026-03-05
        // with an exponent cost and a negative latency (entry 500 ms before start).
        write(
            a1 + "/2026-03-05T10-00-00-000Z_b8f2d6aa-3c10-4d7e-b5e9-91c04e7f2a6d.jsonl",
            [
                #"{"type":"session","version":3,"id":"b8f2d6aa","timestamp":"2026-03-05T10:00:00.000Z","cwd":"/w","parentSession":"/home/ana/.openclaw/agents/a1/sessions/s1.jsonl"}"#,
                ok,
                #"{"type":"message","id":"bbbb0001","parentId":"aaaa0001","timestamp":"2026-03-05T10:00:01.000Z","message":{"role":"assistant","content":[],"api":"openai-completions","provider":"openrouter","model":"moonshotai/kimi-k2.5","usage":{"input":1000,"output":50,"cacheRead":0,"cacheWrite":0,"totalTokens":1050,"cost":{"input":1e-9,"output":3.4775e-10,"cacheRead":0,"cacheWrite":0,"total":1.34775e-9}},"stopReason":"stop","timestamp":1772704801500}}"#
            ])
        // Reset archive: a google call with tokens but cost 0, and a Clawdbot injected reply.
        write(
            a1 + "/s2.jsonl.reset.2026-03-06T08-15-44.120Z",
            [
                #"{"type":"session","version":3,"id":"s2","timestamp":"2026-03-06T08:00:00.000Z","cwd":"/w"}"#,
                #"{"type":"message","id":"cccc0001","parentId":null,"timestamp":"2026-03-06T08:00:03.000Z","message":{"role":"assistant","content":[],"api":"google-generative-ai","provider":"google","model":"gemini-2.5-flash","usage":{"input":50,"output":7,"cacheRead":0,"cacheWrite":0,"totalTokens":57,"cost":{"input":0,"output":0,"cacheRead":0,"cacheWrite":0,"total":0}},"stopReason":"stop","timestamp":1772784001000}}"#,
                #"{"type":"message","id":"cccc0002","timestamp":"2026-03-06T08:01:00.000Z","message":{"role":"assistant","content":[{"type":"text","text":"Current: x"}],"timestamp":1772784060000,"stopReason":"injected","usage":{"input":0,"output":0,"totalTokens":0}}}"#
            ])
        // Agent a2: an aborted row with tokens and cost (counted), a clawdbot mirror (not), and
        // look-alike rows in files that must be skipped.
        let aborted =
            #"{"type":"message","id":"dddd0001","parentId":null,"timestamp":"2026-03-06T23:59:59.000Z","message":{"role":"assistant","content":[],"api":"anthropic-messages","provider":"anthropic","model":"claude-opus-4-6","usage":{"input":7,"output":3,"cacheRead":0,"cacheWrite":0,"totalTokens":10,"cost":{"input":0.05,"output":0.2,"cacheRead":0,"cacheWrite":0,"total":0.25}},"stopReason":"aborted","timestamp":1772841598000,"errorMessage":"Request was aborted."}}"#
        write(
            a2 + "/x.jsonl",
            [
                #"{"type":"session","version":3,"id":"x","timestamp":"2026-03-06T23:59:00.000Z","cwd":"/w"}"#,
                aborted,
                #"{"type":"message","id":"dddd0002","parentId":"dddd0001","timestamp":"2026-03-07T00:00:01.000Z","message":{"role":"assistant","content":[],"api":"openai-responses","provider":"clawdbot","model":"delivery-mirror","#
                    + zero + #","stopReason":"stop","timestamp":1772841600999}}"#
            ])
        write(a2 + "/x.trajectory.jsonl", [aborted])
        write(a2 + "/x.jsonl.bak.2026-03-07T00-00-00.000Z", [aborted])
        write(a2 + "/sessions.json", ["{}"])

        let out = try GenerateFixture.oracle(dir.path)
        // a1: ok, error, prompt error (s1) + openrouter (successor) + google (reset) = 5; a2: aborted = 1.
        #expect(out["calls"] as? Int == 6)
        #expect(out["calls_by_agent"] as? [String: Int] == ["a1": 5, "a2": 1])
        #expect(out["calls_by_provider"] as? [String: Int] == ["anthropic": 3, "openai": 1, "openrouter": 1, "google": 1])
        #expect(
            out["calls_by_model"] as? [String: Int] == [
                "claude-sonnet-4-6": 2, "gpt-5.2": 1, "moonshotai/kimi-k2.5": 1,
                "gemini-2.5-flash": 1, "claude-opus-4-6": 1
            ])
        #expect(out["calls_by_day"] as? [String: Int] == ["2026-03-04": 3, "2026-03-05": 1, "2026-03-06": 2])
        #expect(
            out["tokens"] as? [String: Int] == [
                "input": 10 + 1000 + 50 + 7, "output": 20 + 50 + 7 + 3,
                "cache_read": 100, "cache_write": 5, "total": 135 + 1050 + 57 + 10
            ])
        let cost = out["cost_logged_usd"] as? Double ?? 0
        #expect(abs(cost - 0.75000000134775) < 1e-15)
        #expect(out["calls_with_logged_cost"] as? Int == 3)
        #expect(out["error_calls"] as? Int == 3)  // error row, prompt error, aborted row
        #expect(out["prompt_errors"] as? Int == 1)
        #expect(out["synthetic_rows"] as? Int == 3)  // openclaw mirror, injected, clawdbot mirror
        #expect(out["negative_latency_calls"] as? Int == 1)
        #expect(out["duplicate_entries"] as? Int == 2)  // ok in the checkpoint copy and in the successor
        #expect(out["malformed_lines"] as? Int == 1)
        #expect(out["torn_lines"] as? Int == 1)
        #expect(out["files"] as? [String: Int] == ["included": 5, "excluded": 3])
        let byDay = out["cost_logged_by_day_usd"] as? [String: Double] ?? [:]
        #expect(abs((byDay["2026-03-04"] ?? 0) - 0.5) < 1e-15 && abs((byDay["2026-03-06"] ?? 0) - 0.25) < 1e-15)
    }
}
