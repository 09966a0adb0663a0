import HomeBaseCore

/// The transcripts of one directory as the catalog keeps them: one `source_packs` BLOB instead of
/// a `sources` row per file. An installation writes one file per chat session, a year of a fleet
/// is ~200 k files, and their rows (the path, the parser state as JSON) made the catalog a third
/// of the lake's size; a record here is ~40 bytes. A file is found by a 64-bit hash of its name
/// (`nameHash`); a record is kept only when it gives back its `SourceState` exactly (`state`),
/// anything else stays a row.
package struct SourcePack: Equatable, Sendable {
    /// One file's state: what a `sources` row holds, the path and kind aside. 72 bytes in memory
    /// (optional parts are flags, the rare failed call a reference): a year of a fleet's files
    /// is held at once by the run that finds nothing new.
    package struct Record: Equatable, Sendable {
        var size: Int64
        var mtimeNanos: Int64
        var offset: Int64
        var lineCount: Int64
        var fingerprintHash: UInt64
        private var storedUserHash: UInt64 = 0
        package var updatedSnapshot: Int64
        private var storedFingerprintLength: UInt16 = 0
        private var storedSessionStart: UInt16 = 0
        private var storedSessionEnd: UInt16 = 0
        private var bits: UInt8 = 0
        private var failure: FailedCall?

        private enum Bit {
            static let hasState: UInt8 = 1
            static let session: UInt8 = 2
            static let user: UInt8 = 4
            static let restored: UInt8 = 8
        }

        init(
            size: Int64, mtimeNanos: Int64, offset: Int64, lineCount: Int64, fingerprintHash: UInt64, fingerprintLength: Int64,
            hasState: Bool, sessionRange: Range<Int>?, userHash: UInt64?, failedEntry: String?, failedAt: Int64?, restored: Bool,
            updatedSnapshot: Int64
        ) {
            self.size = size
            self.mtimeNanos = mtimeNanos
            self.offset = offset
            self.lineCount = lineCount
            self.fingerprintHash = fingerprintHash
            self.updatedSnapshot = updatedSnapshot
            self.fingerprintLength = fingerprintLength
            self.hasState = hasState
            self.sessionRange = sessionRange
            self.userHash = userHash
            self.restored = restored
            if failedEntry != nil || failedAt != nil { failure = FailedCall(entry: failedEntry, at: failedAt) }
        }

        /// Out of range values are clamped: the record then does not give its state back, and
        /// `SourcePack.record` leaves that state a row.
        var fingerprintLength: Int64 {
            get { Int64(storedFingerprintLength) }
            set { storedFingerprintLength = UInt16(clamping: newValue) }
        }
        /// Whether the parser state is present (`{"v":1…}`).
        var hasState: Bool {
            get { bits & Bit.hasState != 0 }
            set { set(Bit.hasState, newValue) }
        }
        /// The state's session id is these bytes of the file name (`<id>.jsonl`, or
        /// `<time>_<id>.jsonl` as later OpenClaw versions name a session's file).
        var sessionRange: Range<Int>? {
            get { bits & Bit.session != 0 ? Int(storedSessionStart)..<Int(storedSessionEnd) : nil }
            set {
                set(Bit.session, newValue != nil)
                storedSessionStart = UInt16(clamping: newValue?.lowerBound ?? 0)
                storedSessionEnd = UInt16(clamping: newValue?.upperBound ?? 0)
            }
        }
        /// Hash of the last user row's content.
        var userHash: UInt64? {
            get { bits & Bit.user != 0 ? storedUserHash : nil }
            set {
                set(Bit.user, newValue != nil)
                storedUserHash = newValue ?? 0
            }
        }
        /// Marked by a restore to an earlier snapshot: read again from the start.
        var restored: Bool {
            get { bits & Bit.restored != 0 }
            set { set(Bit.restored, newValue) }
        }
        /// The last failed call waiting for its retry (entry id, start µs).
        var failedEntry: String? {
            get { failure?.entry }
            set { failure = newValue == nil && failedAt == nil ? nil : FailedCall(entry: newValue, at: failedAt) }
        }
        var failedAt: Int64? {
            get { failure?.at }
            set { failure = newValue == nil && failedEntry == nil ? nil : FailedCall(entry: failedEntry, at: newValue) }
        }

        private mutating func set(_ bit: UInt8, _ on: Bool) { bits = on ? bits | bit : bits & ~bit }
    }

    /// A failed call a parser state remembers: rare, so held by reference outside the record.
    final class FailedCall: Equatable, Sendable {
        let entry: String?
        let at: Int64?
        init(entry: String?, at: Int64?) {
            self.entry = entry
            self.at = at
        }
        static func == (a: FailedCall, b: FailedCall) -> Bool { a.entry == b.entry && a.at == b.at }
    }

    /// The records as read from the catalog.
    private var loaded: [UInt64: Record] = [:]
    /// Records saved since, encoded one after another (~40 bytes each, where a dictionary entry
    /// is ~100): a first run saves a year of files before anything is written.
    private var changes: [UInt8] = []
    /// Where each changed record's latest bytes start in `changes`; -1 when it was removed.
    private var changed: [UInt64: Int] = [:]

    package init() {}

    init(loaded: [UInt64: Record]) { self.loaded = loaded }

    /// The record of the file whose name hashes to `hash`.
    package subscript(hash: UInt64) -> Record? {
        get {
            guard let at = changed[hash] else { return loaded[hash] }
            guard at >= 0 else { return nil }
            var reader = ByteCursor(bytes: changes, at: at)
            return Self.take(&reader)
        }
        set {
            if let newValue {
                changed[hash] = changes.count
                Self.put(newValue, &changes)
            } else if changed[hash] != nil || loaded[hash] != nil {
                changed[hash] = -1
            }
        }
    }

    /// Every record, in name hash order.
    package var records: [(hash: UInt64, record: Record)] {
        var merged = loaded
        for (hash, at) in changed {
            if at < 0 {
                merged[hash] = nil
            } else {
                var reader = ByteCursor(bytes: changes, at: at)
                merged[hash] = Self.take(&reader)
            }
        }
        return merged.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    package static func == (a: SourcePack, b: SourcePack) -> Bool {
        a.records.elementsEqual(b.records) { $0.hash == $1.hash && $0.record == $1.record }
    }

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
            sessionRange: nil, userHash: nil, failedEntry: nil, failedAt: nil, restored: false, updatedSnapshot: snapshot)
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
            let bytes = Array(name.utf8), id = Array(session.utf8)
            guard !id.isEmpty, let start = (0...max(0, bytes.count - id.count)).first(where: { bytes[$0...].starts(with: id) })
            else { return false }
            sessionRange = start..<start + id.count
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
            if let sessionRange {
                let session = String(decoding: name.utf8.dropFirst(sessionRange.lowerBound).prefix(sessionRange.count), as: UTF8.self)
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
