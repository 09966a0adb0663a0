import Foundation

/// One raw file to read in this run, from where the catalog says the last run stopped.
package struct SourceScan: Sendable {
    package enum Kind: String, Sendable { case transcript, gateway }

    package var kind: Kind
    package var path: String
    package var agentId: String
    package var fileSessionId: String
    package var size: Int64
    package var mtimeNanos: Int64
    package var fingerprint: String
    package var startOffset: Int64
    package var startLine: Int64
    package var parserState: String?

    /// What reading one file produced; pure data, so files can be read in parallel.
    package struct Result: Sendable {
        package var calls: [CallRecord] = []
        package var events: [GatewayEvent] = []
        package var bad: [(line: Int64, offset: Int64, reason: String, excerpt: String)] = []
        package var endOffset: Int64 = 0
        package var endLine: Int64 = 0
        package var parserState: String?
        package var bytes: Int64 = 0
        package var lines: Int64 = 0
        package var tornPending = false
        package var quality = TranscriptQuality()
        package var failure: String?
    }

    /// Reads the file from `startOffset`. A final line without a newline is taken when it is a
    /// complete JSON line, and otherwise left for the next run (a writer is still busy with it).
    package func read() -> Result {
        var result = Result()
        result.endOffset = startOffset
        result.endLine = startLine
        do {
            switch kind {
            case .transcript:
                var parser = TranscriptParser(agentId: agentId, sourceFile: path, fileSessionId: fileSessionId,
                                              state: parserState.flatMap(TranscriptParser.State.init(encoded:)))
                try readLines(into: &result) { line, number, offset in
                    switch parser.parse(line: line, lineNumber: number, byteOffset: offset) {
                    case .call(let call): .call(call)
                    case .notACall: .skip
                    case .quarantine(let reason): .bad(reason)
                    }
                }
                result.parserState = parser.state.encoded()
                result.quality = parser.quality
            case .gateway:
                var parser = GatewayLogParser(sourceFile: path)
                try readLines(into: &result) { line, number, offset in
                    switch parser.parse(line: line, lineNumber: number, byteOffset: offset) {
                    case .event(let event): .event(event)
                    case .ignored: .skip
                    case .quarantine(let reason): .bad(reason)
                    }
                }
            }
        } catch {
            result.failure = "\(error)"
        }
        result.bytes = result.endOffset - startOffset
        result.endLine = startLine + result.lines
        return result
    }

    /// What one line gave, whatever the file kind.
    private enum LineOutcome {
        case call(CallRecord), event(GatewayEvent), skip, bad(String)
    }

    /// The line loop shared by every file kind: collects outcomes, quarantines bad lines, and
    /// takes a final unterminated line only when it parses (otherwise it waits for the writer).
    private func readLines(into result: inout Result,
                           _ parse: (UnsafeRawBufferPointer, Int64, Int64) -> LineOutcome) throws {
        var acceptedTorn: Int64 = 0
        let committed = try LineReader(path: path).forEachLine(from: startOffset, firstLineNumber: startLine + 1) {
            rawLine, number, rawOffset, terminated in
            // A UTF-8 byte order mark at the start of the file is not part of the first line.
            let (line, offset) = SourceScan.strippingBOM(rawLine, offset: rawOffset)
            if line.isEmpty { result.lines += 1; return }
            let outcome = parse(line, number, offset)
            if !terminated {
                if case .bad = outcome { result.tornPending = true; return }
                acceptedTorn = Int64(line.count)
            }
            result.lines += 1
            switch outcome {
            case .call(let call): result.calls.append(call)
            case .event(let event): result.events.append(event)
            case .skip: break
            case .bad(let reason): result.bad.append((number, offset, reason, SourceScan.excerpt(line)))
            }
        }
        result.endOffset = committed + acceptedTorn
    }

    /// `line` without a leading UTF-8 BOM when it is the first line of the file (offset 0).
    static func strippingBOM(_ line: UnsafeRawBufferPointer, offset: Int64) -> (UnsafeRawBufferPointer, Int64) {
        guard offset == 0, line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF else { return (line, offset) }
        return (UnsafeRawBufferPointer(rebasing: line[3...]), 3)
    }

    /// The first KiB of a raw line, cut on a UTF-8 boundary.
    static func excerpt(_ line: UnsafeRawBufferPointer) -> String {
        var end = min(line.count, 1024)
        while end > 0 && end < line.count && (line[end] & 0xC0) == 0x80 { end -= 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: line[0..<end]), as: UTF8.self)
    }
}
