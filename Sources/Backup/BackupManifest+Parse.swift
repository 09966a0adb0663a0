import HomeBaseCore

/// MANIFEST.json read with the byte scanner instead of `JSONDecoder`, which was two thirds of
/// listing backups: a nightly lists every archive's manifest (at 22 archives of a year's lake,
/// 1,900 entries each, `backup list` took 0.39 s). It accepts what the `Decodable` conformance
/// accepts (the same required keys and types, unknown keys ignored, `null` for the optional
/// snapshot fields) and says which key is wrong otherwise.
extension BackupManifest {
    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ bytes: [UInt8]) throws -> BackupManifest {
        try bytes.withUnsafeBytes { raw in
            var scanner = JSONScanner(raw)
            let manifest = try parseObject(&scanner)
            do { try scanner.finish() } catch { throw ParseError(description: "\(error)") }
            return manifest
        }
    }

    private static func parseObject(_ s: inout JSONScanner) throws -> BackupManifest {
        var format: String?, archive: String?, created: Int64?, snapshot: Int64??, committed: Int64??, files: [File]?
        try members(&s, "the manifest") { s, key throws in
            switch key {
            case "format": format = try string(&s, key)
            case "archive": archive = try string(&s, key)
            case "created_us": created = try int64(&s, key)
            case "snapshot": snapshot = try optionalInt64(&s, key)
            case "snapshot_committed_us": committed = try optionalInt64(&s, key)
            case "files": files = try parseFiles(&s)
            default: try skip(&s)
            }
        }
        guard let format else { throw missing("format") }
        guard let archive else { throw missing("archive") }
        guard let created else { throw missing("created_us") }
        guard let files else { throw missing("files") }
        var manifest = BackupManifest(
            archive: archive, createdMicros: created, snapshot: snapshot ?? nil, snapshotCommittedMicros: committed ?? nil, files: files)
        manifest.format = format
        return manifest
    }

    private static func parseFiles(_ s: inout JSONScanner) throws -> [File] {
        var files: [File] = []
        do {
            guard try s.beginArray() else { return [] }
        } catch { throw ParseError(description: "key 'files': expected an array (\(error))") }
        // A year's manifest lists ~2,500 files naming a few archives: an archive name equal to
        // the previous entry's is that string again (not a new one, and `decode` checks it once).
        var lastArchive = ""
        repeat {
            var path: String?, size: Int64?, sha256: String?, archive: String?
            try membersBySpan(&s, "a files entry") { s, key throws in
                if s.stringEquals(key, "path") {
                    path = try string(&s, "path")
                } else if s.stringEquals(key, "size") {
                    size = try int64(&s, "size")
                } else if s.stringEquals(key, "sha256") {
                    sha256 = try string(&s, "sha256")
                } else if s.stringEquals(key, "archive") {
                    let span = try value(&s, "archive")
                    guard s.isString(span) else { throw ParseError(description: "key 'archive': expected a string") }
                    archive = s.stringEquals(span, lastArchive) ? lastArchive : s.string(span)
                    lastArchive = archive ?? ""
                } else {
                    try skip(&s)
                }
            }
            guard let path, let size, let sha256, let archive else {
                throw ParseError(description: "entry \(files.count) of 'files' lacks path, size, sha256 or archive")
            }
            files.append(File(path: path, size: size, sha256: sha256, archive: archive))
            do {
                guard try s.afterElement() else { break }
            } catch { throw ParseError(description: "key 'files': \(error)") }
        } while true
        return files
    }

    /// Calls `body` with each member's key, positioned at its value (which `body` must consume).
    private static func members(
        _ s: inout JSONScanner, _ what: String, _ body: (inout JSONScanner, String) throws -> Void
    ) throws {
        try membersBySpan(&s, what) { s, span throws in try body(&s, s.string(span) ?? "") }
    }

    /// The same with each key's span, compared without making a string (`stringEquals`).
    private static func membersBySpan(
        _ s: inout JSONScanner, _ what: String, _ body: (inout JSONScanner, JSONSpan) throws -> Void
    ) throws {
        do {
            guard try s.beginObject() else { return }
        } catch { throw ParseError(description: "\(what) is not an object (\(error))") }
        repeat {
            let key: JSONSpan
            do { key = try s.nextKey() } catch { throw ParseError(description: "\(what): \(error)") }
            try body(&s, key)
            do {
                guard try s.afterMember() else { return }
            } catch { throw ParseError(description: "\(what): \(error)") }
        } while true
    }

    private static func value(_ s: inout JSONScanner, _ key: String) throws -> JSONSpan {
        do { return try s.skipValue() } catch { throw ParseError(description: "key '\(key)': \(error)") }
    }

    private static func skip(_ s: inout JSONScanner) throws { _ = try value(&s, "(ignored)") }

    private static func string(_ s: inout JSONScanner, _ key: String) throws -> String {
        let span = try value(&s, key)
        guard let text = s.string(span) else { throw ParseError(description: "key '\(key)': expected a string") }
        return text
    }

    private static func int64(_ s: inout JSONScanner, _ key: String) throws -> Int64 {
        let span = try value(&s, key)
        guard let number = s.int64(span) else { throw ParseError(description: "key '\(key)': expected a whole number") }
        return number
    }

    /// `.some(nil)` for an explicit null (as `decodeIfPresent` takes it).
    private static func optionalInt64(_ s: inout JSONScanner, _ key: String) throws -> Int64?? {
        let span = try value(&s, key)
        if s.rawText(span) == "null" { return .some(nil) }
        guard let number = s.int64(span) else { throw ParseError(description: "key '\(key)': expected a whole number or null") }
        return .some(number)
    }

    private static func missing(_ key: String) -> ParseError { ParseError(description: "key '\(key)' is missing") }
}
