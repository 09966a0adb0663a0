import Foundation
@testable import Lake
@testable import Ingest

/// Helpers shared by the OpenClaw test suites: fixture paths and whole-file parsing.
enum OpenClawFixtures {
    /// `Tests/TestSupport/Fixtures/openclaw-samples/` (copied verbatim from the shared reference).
    static let samplesDirectory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("Fixtures/openclaw-samples").path

    static func sample(_ name: String) -> String { samplesDirectory + "/" + name }

    struct FileResult {
        var calls: [CallRecord] = []
        var quarantined: [(line: Int64, reason: String)] = []
        var notCalls = 0
        var quality = TranscriptQuality()
        var finalState = TranscriptParser.State()
    }

    /// Parses every line of a transcript file with one parser, as ingest does.
    static func parseTranscript(
        _ path: String, agentId: String = "main", startState: TranscriptParser.State? = nil,
        lines range: Range<Int>? = nil
    ) throws -> FileResult {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var parser = TranscriptParser(agentId: agentId, sourceFile: path, fileSessionId: "file-session", state: startState)
        var result = FileResult()
        forEachLine(data) { line, number, offset in
            if let range, !range.contains(Int(number)) { return }
            switch parser.parse(line: line, lineNumber: number, byteOffset: offset) {
            case let .call(call): result.calls.append(call)
            case .notACall: result.notCalls += 1
            case let .quarantine(reason): result.quarantined.append((number, reason))
            }
        }
        result.quality = parser.quality
        result.finalState = parser.state
        return result
    }

    /// Calls `body` with each newline-terminated (or final) line, its 1-based number and byte offset.
    static func forEachLine(_ data: Data, _ body: (UnsafeRawBufferPointer, Int64, Int64) -> Void) {
        data.withUnsafeBytes { (all: UnsafeRawBufferPointer) in
            var start = 0
            var number: Int64 = 1
            while start < all.count {
                var end = start
                while end < all.count && all[end] != 0x0A { end += 1 }
                body(UnsafeRawBufferPointer(rebasing: all[start..<end]), number, Int64(start))
                number += 1
                start = end + 1
            }
        }
    }

    /// Parses one line given as a string.
    static func parse(_ parser: inout TranscriptParser, _ line: String, lineNumber: Int64 = 1) -> TranscriptLine {
        var copy = line
        return copy.withUTF8 { parser.parse(line: UnsafeRawBufferPointer($0), lineNumber: lineNumber, byteOffset: 0) }
    }
}
