import Foundation
import Testing
@testable import Ingest
@testable import TestSupport

/// Measures how fast transcript lines are classified (prints a figure, never asserts on time),
/// and checks the result so the measured work cannot be optimised away or go wrong.
@Suite struct JSONScannerThroughputTests {
    /// A toolResult line of about `size` bytes: escaped newlines and quotes, some non-ASCII.
    static func toolResultLine(_ i: Int, size: Int) -> String {
        var text = ""
        text.reserveCapacity(size + 200)
        let row = #"drwxr-xr-x  2 ana ana 4096 Mar  4 09:12 \"workspace\" — résumé\n"#
        while text.utf8.count < size { text += row }
        return
            #"{"type":"message","id":"t\#(i)","parentId":"p","timestamp":"2026-03-04T09:12:21.882Z","message":{"role":"toolResult","toolCallId":"toolu_01","toolName":"exec","content":[{"type":"text","text":"\#(text)"}],"details":{"status":"completed","exitCode":0,"durationMs":861},"isError":false,"timestamp":1772615541880}}"#
    }

    @Test func classifiesLargeToolResultLinesFast() {
        var corpus = ""
        let lines = 96
        for i in 0..<lines {
            corpus += Self.toolResultLine(i, size: 300_000) + "\n"
            corpus += OpenClawTranscriptParserTests.user + "\n"
            corpus += OpenClawTranscriptParserTests.assistant(id: "a\(i)") + "\n"
        }
        let data = Data(corpus.utf8)
        var calls = 0, notCalls = 0, quarantined = 0
        let clock = ContinuousClock()
        var best = Duration.seconds(1000)
        for _ in 0..<3 {
            calls = 0; notCalls = 0; quarantined = 0
            var parser = TranscriptParser(agentId: "main", sourceFile: "bench", fileSessionId: "s")
            let elapsed = clock.measure {
                OpenClawFixtures.forEachLineMemchr(data) { line, number, offset in
                    switch parser.parse(line: line, lineNumber: number, byteOffset: offset) {
                    case .call: calls += 1
                    case .notACall: notCalls += 1
                    case .quarantine: quarantined += 1
                    }
                }
            }
            best = min(best, elapsed)
        }
        // memchr over the same bytes, the floor DESIGN.md quotes ("find every line with memchr")
        var newlines = 0
        let floor = clock.measure {
            OpenClawFixtures.forEachLineMemchr(data) { _, _, _ in newlines += 1 }
        }
        let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
        let floorSeconds = Double(floor.components.seconds) + Double(floor.components.attoseconds) / 1e18
        let gb = Double(data.count) / 1e9
        print(
            String(
                format: "transcript classify: %.1f MB in %.4f s = %.2f GB/s (memchr line split alone: %.2f GB/s)",
                Double(data.count) / 1e6, seconds, gb / seconds, gb / floorSeconds))
        #expect(calls == lines && notCalls == 2 * lines && quarantined == 0)
        #expect(newlines == 3 * lines)
    }

    @Test func parsesTheRealSamplesRepeated() throws {
        var data = Data()
        var expectedCalls = 0
        for e in OpenClawSampleTests.expected {
            data += try Data(contentsOf: URL(fileURLWithPath: OpenClawFixtures.sample(e.file)))
            expectedCalls += e.assistantCalls + e.promptErrors
        }
        let copies = 20
        var corpus = Data()
        for _ in 0..<copies { corpus += data }
        var calls = 0
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            var parser = TranscriptParser(agentId: "main", sourceFile: "bench", fileSessionId: "s")
            OpenClawFixtures.forEachLineMemchr(corpus) { line, number, offset in
                if case .call = parser.parse(line: line, lineNumber: number, byteOffset: offset) { calls += 1 }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(
            String(
                format: "real samples x%d: %.1f MB in %.4f s = %.2f GB/s, %.0f calls/s",
                copies, Double(corpus.count) / 1e6, seconds, Double(corpus.count) / 1e9 / seconds, Double(calls) / seconds))
        #expect(calls == expectedCalls * copies)
    }
}

extension OpenClawFixtures {
    /// Line splitting with `memchr`, as ingest does.
    static func forEachLineMemchr(_ data: Data, _ body: (UnsafeRawBufferPointer, Int64, Int64) -> Void) {
        data.withUnsafeBytes { (all: UnsafeRawBufferPointer) in
            guard let base = all.baseAddress else { return }
            var start = 0
            var number: Int64 = 1
            while start < all.count {
                let end: Int
                if let hit = memchr(base + start, 0x0A, all.count - start) {
                    end = UnsafeRawPointer(hit) - base
                } else {
                    end = all.count
                }
                body(UnsafeRawBufferPointer(rebasing: all[start..<end]), number, Int64(start))
                number += 1
                start = end + 1
            }
        }
    }
}
