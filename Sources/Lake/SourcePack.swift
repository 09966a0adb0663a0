import HomeBaseCore

/// The transcripts of one directory as the catalog keeps them: one `source_packs` BLOB instead of
/// a `sources` row per file. An installation writes one file per chat session, a year of a fleet
/// is ~200 k files, and their rows (the path, the parser state as JSON) made the catalog a third
/// of the lake's size; a record here is ~35 bytes. A file is found by a 64-bit hash of its name
/// (`nameHash`); a record is kept only when it gives back its `SourceState` exactly (`state`),
/// anything else stays a row.
package struct SourcePack: Equatable, Sendable {
    /// One file's state: what a `sources` row holds, the path and kind aside.
    package struct Record: Equatable, Sendable {
        var size: Int64
        var mtimeNanos: Int64
        var offset: Int64
        var lineCount: Int64
        var fingerprintHash: UInt64
        var fingerprintLength: Int64
        /// Whether the parser state is present (`{"v":1…}`), and what it carries.
        var hasState: Bool
        /// The state's session id is the name's first `sessionPrefix` bytes.
        var sessionPrefix: Int?
        var userHash: UInt64?
        /// The last failed call waiting for its retry (entry id, start µs).
        var failedEntry: String?
        var failedAt: Int64?
        /// Marked by a restore to an earlier snapshot: read again from the start.
        var restored: Bool
        package var updatedSnapshot: Int64
    }

    package var records: [UInt64: Record] = [:]

    package init() {}

    /// The part of `path` a pack is kept under, and the file's name.
    package static func split(_ path: String) -> (dir: String, name: Substring) {
        // By bytes: a search by Characters was a tenth of a run that found nothing new.
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return ("", path[...]) }
        return (String(path[..<slash]), path[path.utf8.index(after: slash)...])
    }

    package static func nameHash(_ name: Substring) -> UInt64 {
        var hash = FNV1a()
        hash.add(name.utf8)
        return hash.value
    }

    /// The fingerprint's text for a restored record: never equal to a real one (no `<n>:`), so
    /// the file is read again from the start.
    static let restoredFingerprint = "restored"

    // MARK: Records and states

    /// The record for `state` (of a file named `name`), or nil when a record cannot give it back
    /// byte for byte (a fingerprint or parser state of another shape, such as a failed call's).
    package static func record(_ state: SourceState, name: Substring, snapshot: Int64) -> Record? {
        guard let colon = state.fingerprint.firstIndex(of: ":"),
            let length = Int64(state.fingerprint[..<colon]),
            let hash = UInt64(state.fingerprint[state.fingerprint.index(after: colon)...], radix: 16)
        else { return nil }
        var record = Record(
            size: state.size, mtimeNanos: state.mtimeNanos, offset: state.offset, lineCount: state.lineCount,
            fingerprintHash: hash, fingerprintLength: length, hasState: state.parserState != nil,
            sessionPrefix: nil, userHash: nil, failedEntry: nil, failedAt: nil, restored: false, updatedSnapshot: snapshot)
        if let text = state.parserState, !record.parseState(text, name: name) { return nil }
        return record.state(path: state.path, name: name, kind: state.kind) == state ? record : nil
    }
}

extension SourcePack.Record {
    /// Takes the parts of `{"v":1[,"session":"<name prefix>"][,"failed":"…"][,"failedAt":n][,"user":"<hex>"]}`,
    /// the transcript parser's state; false for any other text.
    fileprivate mutating func parseState(_ text: String, name: Substring) -> Bool {
        var rest = Substring(text)
        guard rest.hasPrefix("{\"v\":1"), rest.hasSuffix("}") else { return false }
        rest = rest.dropFirst(6).dropLast()
        /// The quoted text after `key`, taken off `rest` (no escapes: those do not give the same text back).
        func quoted(_ key: String) -> Substring?? {
            guard rest.hasPrefix(key) else { return .some(nil) }
            rest = rest.dropFirst(key.count)
            guard let end = rest.firstIndex(of: "\"") else { return nil }
            defer { rest = rest[rest.index(after: end)...] }
            return rest[..<end]
        }
        guard let session = quoted(",\"session\":\""), let failed = quoted(",\"failed\":\"") else { return false }
        if let session {
            guard name.utf8.starts(with: session.utf8) else { return false }
            sessionPrefix = session.utf8.count
        }
        failedEntry = failed.map(String.init)
        if rest.hasPrefix(",\"failedAt\":") {
            rest = rest.dropFirst(12)
            let digits = rest.prefix { $0 == "-" || $0.isASCII && $0.isNumber }
            guard let at = Int64(digits) else { return false }
            failedAt = at
            rest = rest.dropFirst(digits.count)
        }
        guard let user = quoted(",\"user\":\"") else { return false }
        if let user {
            guard let hash = UInt64(user, radix: 16) else { return false }
            userHash = hash
        }
        return rest.isEmpty
    }

    /// The state this record stands for, for the file at `path` named `name`.
    package func state(path: String, name: Substring, kind: String) -> SourceState {
        var parserState: String?
        if hasState {
            var text = "{\"v\":1"
            if let sessionPrefix {
                let session = String(decoding: name.utf8.prefix(sessionPrefix), as: UTF8.self)
                text += ",\"session\":" + JSONQuote.quote(session)
            }
            if let failedEntry { text += ",\"failed\":" + JSONQuote.quote(failedEntry) }
            if let failedAt { text += ",\"failedAt\":\(failedAt)" }
            if let userHash { text += ",\"user\":\"" + String(userHash, radix: 16) + "\"" }
            parserState = text + "}"
        }
        return SourceState(
            path: path, kind: kind, size: size, mtimeNanos: mtimeNanos, offset: offset, lineCount: lineCount,
            fingerprint: restored ? SourcePack.restoredFingerprint : "\(fingerprintLength):" + String(fingerprintHash, radix: 16),
            parserState: parserState)
    }

    /// This record as a restore to `snapshot` leaves it: read again from the start when it was
    /// updated after that snapshot (as `trimCatalog` marks a `sources` row).
    package mutating func markRestored(after snapshot: Int64) {
        guard updatedSnapshot > snapshot else { return }
        restored = true
        offset = -1
    }
}
