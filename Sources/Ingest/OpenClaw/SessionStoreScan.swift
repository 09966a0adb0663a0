import SQLiteStore
import Codecs
import Lake
/// Feeds the events of one SQLite-store session through ``TranscriptParser``, each `event_json`
/// as if it were one JSONL line (`seq` standing for the line number). Pure, so it is easy to test.
package enum SessionStoreScan {
    /// What a batch of events gave.
    package struct Batch: Sendable {
        package var calls: [CallRecord] = []
        package var bad: [(seq: Int64, reason: String, excerpt: String)] = []
        /// The last event looked at (the new high-water mark once absorbed).
        package var last: SessionStoreReader.Position
        package var events = 0
        package var bytes: Int64 = 0
    }

    /// Parses `events` in order with `parser` (which carries the session's state between batches).
    package static func parse(_ events: [SessionStoreReader.Event], after: SessionStoreReader.Position, parser: inout TranscriptParser) -> Batch {
        var batch = Batch(last: after)
        for event in events {
            batch.last = .init(seq: event.seq, rowid: event.rowid)
            batch.events += 1
            batch.bytes += Int64(event.body.count)
            let body: [UInt8]
            do { body = try decoded(event.body) } catch {
                batch.bad.append(
                    (event.seq, "event seq \(event.seq): zstd-compressed body that does not decode (\(error)); not counted", hexExcerpt(event.body)))
                continue
            }
            if let reason = undecodable(body) {
                batch.bad.append((event.seq, reason, hexExcerpt(body)))
                continue
            }
            let outcome = body.withUnsafeBytes { parser.parse(line: $0, lineNumber: event.seq, byteOffset: 0) }
            switch outcome {
            case .call(let call): batch.calls.append(call)
            case .notACall: break
            case .quarantine(let reason):
                let excerpt = body.withUnsafeBytes { SourceScan.excerpt($0) }
                batch.bad.append((event.seq, "event seq \(event.seq): " + reason, excerpt))
            }
        }
        return batch
    }

    /// Why a body cannot be parsed as a transcript line at all, or nil when it can be tried.
    /// (A zstd-compressed body is decoded before this check; see ``decoded(_:)``.)
    package static func undecodable(_ body: [UInt8]) -> String? {
        if body.starts(with: [0x1F, 0x8B]) {
            return "gzip-compressed event body (magic 1f 8b); not a JSON transcript line, not counted"
        }
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return "empty event body (NULL or blank event_json)"
        }
        return nil
    }

    /// A body as written, or zstd-decoded when it starts with the zstd magic (some builds
    /// compress event bodies). Throws when a compressed body does not decode.
    package static func decoded(_ body: [UInt8]) throws -> [UInt8] {
        guard ZstdDecoder.hasMagic(body) else { return body }
        var source = try ZstdByteSource(MemoryByteSource(body))
        defer { source.release() }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            if got == 0 { return out }
            out.append(contentsOf: chunk[0..<got])
        }
    }

    /// The first 32 bytes of a body in hex, for the quarantine table (binary bodies are not text).
    static func hexExcerpt(_ body: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        for byte in body.prefix(32) { text.append(digits[Int(byte >> 4)]); text.append(digits[Int(byte & 15)]) }
        return "hex:" + text + (body.count > 32 ? "…" : "")
    }
}

extension SessionStoreScan {
    /// Everything one session's new events gave, read with one reader; pure data, so sessions
    /// can be read in parallel and absorbed in order afterwards.
    package struct SessionRead: Sendable {
        package var batch: Batch
        /// Body of the last event read (its hash is remembered to notice a replaced store).
        package var lastBody: [UInt8] = []
        package var parserState: String
        package var quality: TranscriptQuality
        /// Set when reading stopped early; what was read before it is still good.
        package var failure: String?
    }

    /// Reads the events of `session` after `from` (up to its `maxSeq` when planned), in batches
    /// of `batchSize`, each batch one short read transaction.
    package static func read(
        _ session: SessionStoreReader.Session, from: SessionStoreReader.Position, parserState: String?, agentId: String,
        reader: SessionStoreReader, batchSize: Int
    ) -> SessionRead {
        var parser = TranscriptParser(
            agentId: agentId, sourceFile: reader.path, fileSessionId: session.id,
            state: parserState.flatMap(TranscriptParser.State.init(encoded:)))
        var total = Batch(last: from)
        var lastBody: [UInt8] = []
        var failure: String?
        do {
            // Each page moves strictly forward in (seq, rowid), so this ends whatever the rows hold.
            while true {
                let events = try reader.events(session: session.id, after: total.last, through: session.maxSeq, limit: batchSize)
                guard let final = events.last else { break }
                let batch = parse(events, after: total.last, parser: &parser)
                total.calls += batch.calls
                total.bad += batch.bad
                total.events += batch.events
                total.bytes += batch.bytes
                total.last = batch.last
                lastBody = final.body
                if events.count < batchSize || !reader.hasRowid && final.seq == session.maxSeq { break }
            }
        } catch {
            failure = "\(error) (session \(session.id), read up to seq \(total.last.seq))"
        }
        return SessionRead(batch: total, lastBody: lastBody, parserState: parser.state.encoded(), quality: parser.quality, failure: failure)
    }
}
