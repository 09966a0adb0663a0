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
        let reader = LineReader(path: path)
        do {
            switch kind {
            case .transcript:
                var parser = TranscriptParser(agentId: agentId, sourceFile: path, fileSessionId: fileSessionId,
                                              state: parserState.flatMap(TranscriptParser.State.init(encoded:)))
                var acceptedTorn: Int64 = 0
                let committed = try reader.forEachLine(from: startOffset, firstLineNumber: startLine + 1) { line, number, offset, terminated in
                    if line.isEmpty { result.lines += 1; return }
                    let outcome = parser.parse(line: line, lineNumber: number, byteOffset: offset)
                    if !terminated {
                        if case .quarantine = outcome { result.tornPending = true; return }
                        acceptedTorn = Int64(line.count)
                    }
                    result.lines += 1
                    switch outcome {
                    case .call(let call): result.calls.append(call)
                    case .notACall: break
                    case .quarantine(let reason): result.bad.append((number, offset, reason, SourceScan.excerpt(line)))
                    }
                }
                result.endOffset = committed + acceptedTorn
                result.parserState = parser.state.encoded()
                result.quality = parser.quality
            case .gateway:
                var parser = GatewayLogParser(sourceFile: path)
                var acceptedTorn: Int64 = 0
                let committed = try reader.forEachLine(from: startOffset, firstLineNumber: startLine + 1) { line, number, offset, terminated in
                    if line.isEmpty { result.lines += 1; return }
                    let outcome = parser.parse(line: line, lineNumber: number, byteOffset: offset)
                    if !terminated {
                        if case .quarantine = outcome { result.tornPending = true; return }
                        acceptedTorn = Int64(line.count)
                    }
                    result.lines += 1
                    switch outcome {
                    case .event(let event): result.events.append(event)
                    case .ignored: break
                    case .quarantine(let reason): result.bad.append((number, offset, reason, SourceScan.excerpt(line)))
                    }
                }
                result.endOffset = committed + acceptedTorn
            }
        } catch {
            result.failure = "\(error)"
        }
        result.bytes = result.endOffset - startOffset
        result.endLine = startLine + result.lines
        return result
    }

    /// The first KiB of a raw line, cut on a UTF-8 boundary.
    static func excerpt(_ line: UnsafeRawBufferPointer) -> String {
        var end = min(line.count, 1024)
        while end > 0 && end < line.count && (line[end] & 0xC0) == 0x80 { end -= 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: line[0..<end]), as: UTF8.self)
    }
}
