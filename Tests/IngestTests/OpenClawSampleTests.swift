import Foundation
import Testing
@testable import SQLiteStore
@testable import Lake
@testable import Ingest
@testable import TestSupport

/// Every real sample transcript parses without a crash or a quarantined line, and yields the
/// assistant-call count and logged-cost sum the samples README states, plus its prompt errors.
@Suite struct OpenClawSampleTests {
    struct Expected: Sendable, CustomStringConvertible {
        var file: String
        /// "LLM-call rows" column of the README table.
        var assistantCalls: Int
        /// "Σ cost.total (USD)" column (the README rounds to 6 decimals).
        var cost: Double
        /// "Σ input" / "Σ output" columns.
        var input: Int64
        var output: Int64
        /// "error+aborted rows" column.
        var errorRows: Int
        /// `grep -c '"customType":"openclaw:prompt-error"' <file>` (the README counts no prompt errors).
        var promptErrors: Int
        var description: String { file }
    }

    // Figures copied from the table in Fixtures/openclaw-samples/README.md, section "Stats rule":
    // | file | LLM-call rows | Σ cost.total (USD) | Σ input | Σ output | Σ cacheRead / cacheWrite | error+aborted rows | …
    static let expected: [Expected] = [
        // | khalf-code-aibot--clawdbot-session-transcripts.jsonl | 26 | 0.175346 | 156071 | 13889 | 526341 / 0 | 0 | 1 | 2 / 0 |
        Expected(
            file: "khalf-code-aibot--clawdbot-session-transcripts.jsonl", assistantCalls: 26, cost: 0.175346, input: 156071, output: 13889,
            errorRows: 0, promptErrors: 0),
        // | HUSTLERLOGAN-clawdbackup--clawdbot-session-transcripts.jsonl | 63 | 0.025889 | 266795 | 10299 | 1084081 / 3802 | 20 | 0 | 1 / 9 |
        Expected(
            file: "HUSTLERLOGAN-clawdbackup--clawdbot-session-transcripts.jsonl", assistantCalls: 63, cost: 0.025889, input: 266795, output: 10299,
            errorRows: 20, promptErrors: 0),
        // | VerveAILabs-openclaw-backup--session-transcripts.jsonl | 31 | 0.328501 | 197746 | 4367 | 301184 / 0 | 5 | 0 | 1 / 0 |
        Expected(
            file: "VerveAILabs-openclaw-backup--session-transcripts.jsonl", assistantCalls: 31, cost: 0.328501, input: 197746, output: 4367,
            errorRows: 5, promptErrors: 0),
        // | mpast043-openclaws--session-transcripts.jsonl | 45 | 0.537 | 526294 | 6900 | 366208 / 0 | 11 | 5 | 2 / 0 |
        Expected(
            file: "mpast043-openclaws--session-transcripts.jsonl", assistantCalls: 45, cost: 0.537, input: 526294, output: 6900, errorRows: 11,
            promptErrors: 2),
        // | Musk-fanX-openclaw-backup--openclaw-cn-session-transcripts.jsonl | 38 | 0 | 118034 | 9198 | 926528 / 0 | 8 | 31 | 2 / 0 |
        Expected(
            file: "Musk-fanX-openclaw-backup--openclaw-cn-session-transcripts.jsonl", assistantCalls: 38, cost: 0, input: 118034, output: 9198,
            errorRows: 8, promptErrors: 0),
        // | openclaw-openclaw--openclaw-desktop-session.jsonl | 31 | 0.131608 | 57590 | 1269 | 74624 / 0 | 24 | 0 | 1 / 0 |
        Expected(
            file: "openclaw-openclaw--openclaw-desktop-session.jsonl", assistantCalls: 31, cost: 0.131608, input: 57590, output: 1269, errorRows: 24,
            promptErrors: 0),
        // | openclawlaw-cpu-OpenClawLog--session-transcripts.jsonl | 12 | 0 | 0 | 0 | 0 / 0 | 7 | 0 | 2 / 0 |
        Expected(
            file: "openclawlaw-cpu-OpenClawLog--session-transcripts.jsonl", assistantCalls: 12, cost: 0, input: 0, output: 0, errorRows: 7,
            promptErrors: 0),
        // | hochoy18-OPENCLAW_ALL--session-transcripts.jsonl | 47 | 0.146436 | 180023 | 8821 | 514310 / 51286 | 14 | 29 | 3 / 0 |
        Expected(
            file: "hochoy18-OPENCLAW_ALL--session-transcripts.jsonl", assistantCalls: 47, cost: 0.146436, input: 180023, output: 8821, errorRows: 14,
            promptErrors: 3),
        // | 33333cheche-web-chenlu-memory--session-transcripts.jsonl | 38 | 0 | 33469 | 2324 | 724442 / 148166 | 15 | 24 | 1 / 0 |
        Expected(
            file: "33333cheche-web-chenlu-memory--session-transcripts.jsonl", assistantCalls: 38, cost: 0, input: 33469, output: 2324, errorRows: 15,
            promptErrors: 2),
        // | andrewcarterman-ops-andre-ai-harness--session-transcripts.jsonl | 57 | 0 | 1796104 | 11677 | 410048 / 0 | 15 | 48 | 2 / 0 |
        Expected(
            file: "andrewcarterman-ops-andre-ai-harness--session-transcripts.jsonl", assistantCalls: 57, cost: 0, input: 1796104, output: 11677,
            errorRows: 15, promptErrors: 4),
        // | felixchau-pixel-WICCLAW--session-transcripts.jsonl | 29 | 1.360978 | 190 | 10818 | 186443 / 304588 | 10 | 0 | 0 / 0 |
        Expected(
            file: "felixchau-pixel-WICCLAW--session-transcripts.jsonl", assistantCalls: 29, cost: 1.360978, input: 190, output: 10818, errorRows: 10,
            promptErrors: 0),
        // | ReinforcementSleeping-openclaw-backup--session-transcripts.jsonl | 71 | 0 | 1034749 | 13623 | 1557889 / 149487 | 26 | 47 | 4 / 0 |
        Expected(
            file: "ReinforcementSleeping-openclaw-backup--session-transcripts.jsonl", assistantCalls: 71, cost: 0, input: 1034749, output: 13623,
            errorRows: 26, promptErrors: 5),
        // | sirdeuce-nucbox-backup--session-transcripts.jsonl | 57 | 0.050992 | 1324700 | 3068 | 3584 / 0 | 14 | 42 | 1 / 0 |
        Expected(
            file: "sirdeuce-nucbox-backup--session-transcripts.jsonl", assistantCalls: 57, cost: 0.050992, input: 1324700, output: 3068,
            errorRows: 14, promptErrors: 4),
        // | juliuss1907-knowledge-base--session-transcripts.jsonl | 39 | 0.034672 | 252720 | 9298 | 555726 / 0 | 8 | 31 | 0 / 0 |
        Expected(
            file: "juliuss1907-knowledge-base--session-transcripts.jsonl", assistantCalls: 39, cost: 0.034672, input: 252720, output: 9298,
            errorRows: 8, promptErrors: 0)
    ]

    @Test(arguments: expected)
    func sampleFileMatchesReadme(_ expected: Expected) throws {
        let result = try OpenClawFixtures.parseTranscript(OpenClawFixtures.sample(expected.file))
        #expect(result.quarantined.isEmpty, "\(result.quarantined)")
        #expect(result.quality.assistantCalls == expected.assistantCalls)
        #expect(result.quality.promptErrors == expected.promptErrors)
        #expect(result.calls.count == expected.assistantCalls + expected.promptErrors)
        let cost = result.calls.reduce(0.0) { $0 + ($1.costLoggedUSD ?? 0) }
        #expect(abs(cost - expected.cost) < 0.0000005, "Σ cost \(cost)")
        #expect(result.calls.reduce(0) { $0 + $1.inputTokens } == expected.input)
        #expect(result.calls.reduce(0) { $0 + $1.outputTokens } == expected.output)
        // Error rows among assistant calls, plus every prompt error, have status error.
        #expect(result.calls.filter { $0.status == "error" }.count == expected.errorRows + expected.promptErrors)
        for call in result.calls where call.status == "error" {
            #expect(call.errorClass.map { ErrorClassifier.classes.contains($0) } == true)
        }
    }

    /// Reading a file in pieces, persisting ``TranscriptParser/State`` as text between them,
    /// gives exactly the calls of one pass (incremental ingest).
    @Test(arguments: expected)
    func incrementalReadsMatchOnePass(_ expected: Expected) throws {
        let path = OpenClawFixtures.sample(expected.file)
        let whole = try OpenClawFixtures.parseTranscript(path)
        let lineCount = whole.calls.count + whole.notCalls + whole.quarantined.count
        var calls: [CallRecord] = []
        var state: TranscriptParser.State?
        var start = 1
        var step = 1
        while start <= lineCount {
            let piece = try OpenClawFixtures.parseTranscript(path, startState: state, lines: start..<(start + step))
            calls += piece.calls
            let restored = TranscriptParser.State(encoded: piece.finalState.encoded())
            #expect(restored == piece.finalState)
            state = restored
            start += step
            step = step % 7 + 1  // pieces of 1…7 lines
        }
        #expect(calls == whole.calls)
        #expect(calls.contains { $0.retryOf != nil } == whole.calls.contains { $0.retryOf != nil })
    }

    /// The desktop sample's failover pattern (README: 4 `fetch failed` rows 2 s/4 s/8 s apart,
    /// a model-snapshot, the user row repeated, then the fallback model's answer; 6 times).
    @Test func desktopSampleRetryChains() throws {
        let r = try OpenClawFixtures.parseTranscript(OpenClawFixtures.sample("openclaw-openclaw--openclaw-desktop-session.jsonl"))
        let byLine = Dictionary(uniqueKeysWithValues: r.calls.map { ($0.sourceLine, $0) })
        // Entry ids read off lines 6-12 of the file.
        #expect(byLine[6]?.retryOf == nil)
        #expect(byLine[7]?.retryOf == "9a533f48")
        #expect(byLine[8]?.retryOf == "54edd41e")
        #expect(byLine[9]?.retryOf == "4564b7ed")
        #expect(byLine[12]?.retryOf == "2db2f550")  // across the duplicated user row (line 11)
        #expect(byLine[12]?.provider == "openai-codex" && byLine[12]?.status == "ok")
        #expect(byLine[18]?.retryOf == nil)  // the turn's next call after a success
        #expect(r.calls.filter { $0.retryOf != nil }.count == 6 * 4)
        #expect(r.quality.duplicateUserRows == 6)
        #expect(r.calls.filter { $0.status == "error" }.allSatisfy { $0.errorClass == "network" })
        // the gateway-injected notice on line 2 is skipped
        #expect(r.quality.syntheticRows == 1 && byLine[2] == nil)
    }

    /// VerveAILabs line 50 has its entry timestamp 698 ms before message.timestamp.
    @Test func verveNegativeLatency() throws {
        let r = try OpenClawFixtures.parseTranscript(OpenClawFixtures.sample("VerveAILabs-openclaw-backup--session-transcripts.jsonl"))
        #expect(r.quality.negativeLatencies == 1)
        #expect(r.calls.first { $0.sourceLine == 50 }?.latencyMs == nil)
        // sirdeuce lines 101-108: rewritten entries, latency unknown
        let s = try OpenClawFixtures.parseTranscript(OpenClawFixtures.sample("sirdeuce-nucbox-backup--session-transcripts.jsonl"))
        #expect(s.quality.rewrittenEntryTimestamps == 5)
        #expect(s.calls.filter { (101...108).contains($0.sourceLine) && $0.latencyMs != nil && $0.stopReason != "error" }.isEmpty)
    }
}
