import Foundation
import Codecs
import Lake

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
    /// A `.zst` file: decoded on the fly, always from its first byte (offsets in the summary and
    /// quarantine are offsets in the decoded stream).
    package var compressed = false
    /// An archive never grows, so a final line without its newline is quarantined if it does not
    /// parse instead of being left for a writer that will never finish it.
    package var final = false
    /// The summary's bucket for a transcript (nil for gateway logs).
    package var sourceKind: SourceKindCounts.Kind?

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
        /// Bytes decoded from a `.zst` file (its `bytes` counts the compressed size).
        package var decodedBytes: Int64 = 0
        /// The fingerprint of a file the plan did not open (an empty `fingerprint`), read here.
        package var fingerprint: String?
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
                var parser = TranscriptParser(
                    agentId: agentId, sourceFile: path, fileSessionId: fileSessionId,
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
    private func readLines(
        into result: inout Result,
        _ parse: (UnsafeRawBufferPointer, Int64, Int64) -> LineOutcome
    ) throws {
        var acceptedTorn: Int64 = 0
        let final = final
        func body(_ rawLine: UnsafeRawBufferPointer, _ number: Int64, _ rawOffset: Int64, _ terminated: Bool) {
            // A UTF-8 byte order mark at the start of the file is not part of the first line.
            let (line, offset) = SourceScan.strippingBOM(rawLine, offset: rawOffset)
            if line.isEmpty { result.lines += 1; return }
            let outcome = parse(line, number, offset)
            if !terminated {
                if case .bad = outcome, !final { result.tornPending = true; return }
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
        // A `.zst` file is always decoded from its start.
        var file = try FileByteSource(path: path, offset: compressed ? 0 : startOffset)
        defer { file.close() }  // the zstd source below reads through the same descriptor
        if fingerprint.isEmpty {  // a new file: its fingerprint from the descriptor it is read through
            let head = file.head()
            result.fingerprint = Ingestor.fingerprint(head, length: head.count)
        }
        guard compressed else {
            let committed = try LineReader.forEachLine(of: &file, from: startOffset, firstLineNumber: startLine + 1, body)
            result.endOffset = committed + acceptedTorn
            return
        }
        var source = try ZstdByteSource(file)
        defer { source.release() }
        do {
            _ = try LineReader.forEachLine(of: &source, startingAt: 0, firstLineNumber: 1, bufferSize: 1 << 20, body)
        } catch let failure as ZstdDecoder.Failure {
            throw LineReader.Failure(
                path: path,
                message: "\(failure) after \(source.decodedBytes) decoded bytes; "
                    + "the archive is damaged (check it with zstd -t), its calls are not counted until a good copy is read")
        }
        result.endOffset = size
        result.decodedBytes = source.decodedBytes
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
