import SQLiteStore
import Lake
/// Reads one archived transcript of an OpenClaw SQLite store (`session_transcript_archives`):
/// the blob is streamed from the database, zstd-decoded when its encoding says so, split into
/// lines and parsed like a JSONL file, while its SHA-256 is checked against `archive_sha256`.
/// A row whose checksum or frame does not check out gives no calls at all (never half-counted).
package enum SessionArchiveScan {
    /// What one archive row gave.
    package struct ArchiveRead: Sendable {
        package var calls: [CallRecord] = []
        package var bad: [(line: Int64, offset: Int64, reason: String, excerpt: String)] = []
        package var lines: Int64 = 0
        package var bytes: Int64 = 0
        package var quality = TranscriptQuality()
        /// Why the row was not counted, or nil.
        package var failure: String?
    }

    /// `<store>#<archive_name>`: the lineage written into `source_file` for calls read from a row.
    package static func sourceName(store: String, archive: SessionStoreReader.Archive) -> String {
        store + "#" + archive.name
    }

    package static func read(_ archive: SessionStoreReader.Archive, agentId: String, reader: SessionStoreReader) -> ArchiveRead {
        var result = ArchiveRead()
        let where_ = "archive row \(archive.name) (session \(archive.sessionId), generation \(archive.generation))"
        guard archive.encoding == "identity" || archive.encoding == "zstd" else {
            result.failure =
                "\(reader.path): \(where_) has encoding '\(archive.encoding)'; Home Base reads identity and zstd. "
                + "Not counted: upgrade Home Base or export the session from OpenClaw"
            return result
        }
        let sourceFile = sourceName(store: reader.path, archive: archive)
        var parser = TranscriptParser(agentId: agentId, sourceFile: sourceFile, fileSessionId: archive.sessionId)
        func body(_ line: UnsafeRawBufferPointer, _ number: Int64, _ offset: Int64, _ terminated: Bool) {
            result.lines += 1
            if line.isEmpty { return }
            switch parser.parse(line: line, lineNumber: number, byteOffset: offset) {
            case .call(let call): result.calls.append(call)
            case .notACall: break
            case .quarantine(let reason): result.bad.append((number, offset, reason, SourceScan.excerpt(line)))
            }
        }
        do {
            let blob = try reader.archiveBlob(rowid: archive.rowid)
            var raw = HashingByteSource(BlobByteSource(blob))
            let stored: String
            let decoded: String
            if archive.encoding == "zstd" {
                var source = try ZstdByteSource(raw)
                defer { source.release() }
                var hashed = HashingByteSource(source)
                _ = try LineReader.forEachLine(of: &hashed, startingAt: 0, firstLineNumber: 1, bufferSize: 1 << 20, body)
                source = hashed.inner
                raw = source.inner
                decoded = hashed.hash.finalizeHex()
                result.bytes = source.decodedBytes
            } else {
                _ = try LineReader.forEachLine(of: &raw, startingAt: 0, firstLineNumber: 1, bufferSize: 1 << 20, body)
                decoded = ""
                result.bytes = Int64(blob.count)
            }
            stored = raw.hash.finalizeHex()
            // OpenClaw records the SHA-256 of the archive; either the stored or the decoded bytes match.
            if archive.sha256 != stored && archive.sha256 != decoded {
                result.failure =
                    "\(reader.path): \(where_): SHA-256 \(stored) does not match archive_sha256 \(archive.sha256); "
                    + "the archive is damaged, its calls are not counted (a published copy in sessions/ is read if it exists)"
            }
        } catch {
            result.failure =
                "\(reader.path): \(where_): \(error); the archive is damaged, its calls are not counted "
                + "(a published copy in sessions/ is read if it exists)"
        }
        if result.failure != nil { result.calls = []; result.bad = [] }
        result.quality = parser.quality
        return result
    }
}
