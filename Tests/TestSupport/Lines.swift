import Foundation
@testable import SQLiteStore

/// Hand-written transcript lines in the shapes of `reference/openclaw-logs.md`, with the expected
/// values worked out by hand in the comments.
enum Lines {
    static let header = #"{"type":"session","version":3,"id":"sess-1","timestamp":"2026-02-09T17:46:57.329Z","cwd":"/w"}"#
    static func user(_ id: String, _ ms: Int64) -> String {
        #"{"type":"message","id":"\#(id)","parentId":null,"timestamp":"2026-02-09T17:46:57.400Z","message":{"role":"user","content":[{"type":"text","text":"hi"}],"timestamp":\#(ms)}}"#
    }
    static func assistant(
        _ id: String, ms: Int64, entry: String, provider: String, model: String, stop: String = "stop",
        input: Int = 0, output: Int = 0, cacheRead: Int = 0, cost: String = "0", tools: Int = 0, error: String? = nil
    ) -> String {
        let content = (0..<tools).map { #"{"type":"toolCall","id":"t\#($0)","name":"exec","arguments":{"cmd":"ls"}}"# }.joined(separator: ",")
        let errorField = error.map { #","errorMessage":"\#($0)""# } ?? ""
        return
            #"{"type":"message","id":"\#(id)","parentId":"p","timestamp":"\#(entry)","message":{"role":"assistant","content":[\#(content)],"api":"x-api","provider":"\#(provider)","model":"\#(model)","usage":{"input":\#(input),"output":\#(output),"cacheRead":\#(cacheRead),"cacheWrite":0,"totalTokens":\#(input + output + cacheRead),"cost":{"input":0,"output":0,"cacheRead":0,"cacheWrite":0,"total":\#(cost)}},"stopReason":"\#(stop)","timestamp":\#(ms)\#(errorField)}}"#
    }

    /// Calls: a1 (429, rate_limit), a2 (retry of a1, ok, logged $0.0045, 2 tool calls, latency 3500 ms),
    /// a3 (cost 0 → priced: (2000×3 + 100×15 + 10000×0.3)/1e6 = $0.0105, latency 5000 ms), pe1 (prompt
    /// error, timeout), a5 (unknown model → unpriced). Not calls: user rows, the delivery-mirror row.
    /// One malformed line (quarantined), one torn last line (left for the next run).
    static let session =
        [
            header,
            user("u1", 1_770_659_217_400),
            assistant(
                "a1", ms: 1_770_659_217_424, entry: "2026-02-09T17:46:59.487Z", provider: "openai", model: "gpt-4o",
                stop: "error", error: "429 Too Many Requests: rate limit reached"),
            assistant(
                "a2", ms: 1_770_659_220_000, entry: "2026-02-09T17:47:03.500Z", provider: "openai", model: "gpt-4o",
                stop: "toolUse", input: 1000, output: 200, cost: "4.5e-3", tools: 2),
            #"{"type":"message","id":"r1","parentId":"a2","timestamp":"2026-02-09T17:47:04.000Z","message":{"role":"toolResult","toolCallId":"t0","toolName":"exec","content":[{"type":"text","text":"ok"}],"isError":false,"timestamp":1770659224000}}"#,
            assistant(
                "a3", ms: 1_770_659_230_000, entry: "2026-02-09T17:47:15.000Z", provider: "anthropic", model: "claude-sonnet-4-5",
                input: 2000, output: 100, cacheRead: 10000),
            assistant("m1", ms: 1_770_659_231_000, entry: "2026-02-09T17:47:16.000Z", provider: "openclaw", model: "delivery-mirror"),
            #"{"type":"custom","customType":"openclaw:prompt-error","data":{"timestamp":1770659240000,"runId":"r-1","sessionId":"sess-1","provider":"anthropic","model":"claude-sonnet-4-5","api":"anthropic-messages","error":"Request timed out."},"id":"pe1","parentId":"m1","timestamp":"2026-02-09T17:47:20.000Z"}"#,
            #"{"type":"message","id":"#,
            user("u2", 1_770_659_249_000),
            assistant(
                "a5", ms: 1_770_659_250_000, entry: "2026-02-09T17:47:31.000Z", provider: "custom-x", model: "mystery",
                input: 10, output: 10)
        ].joined(separator: "\n") + "\n"
    static let tornStart =
        #"{"type":"message","id":"a9","parentId":"a5","timestamp":"2026-02-10T01:00:01.000Z","message":{"role":"assistant","content":[],"#
    static let tornEnd =
        #""api":"x","provider":"openai","model":"gpt-4o-mini","usage":{"input":100,"output":50,"cacheRead":0,"cacheWrite":0,"totalTokens":150,"cost":{"total":0.00012}},"stopReason":"stop","timestamp":1770685200000}}"#
        + "\n"
}
