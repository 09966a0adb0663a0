import HomeBaseCore

/// The `source_packs.records` BLOB: a version byte, the record count, then the records in name
/// hash order, each the hash (8 bytes, little-endian) and ``put(_:_:)``'s bytes: a flags byte, and
/// varints (LEB128; the mtime and an explicit offset zigzag) for what differs from the usual case.
extension SourcePack {
    static let version: UInt8 = 1

    private enum Flag {
        static let offsetExplicit: UInt8 = 1  // else the offset is the size
        static let fingerprintLengthExplicit: UInt8 = 2  // else min(size, 4 KiB)
        static let hasState: UInt8 = 4
        static let session: UInt8 = 8
        static let user: UInt8 = 16
        static let restored: UInt8 = 32
        static let failedEntry: UInt8 = 64
        static let failedAt: UInt8 = 128
    }

    package func encoded() -> [UInt8] { Self.encode(records) }

    /// The BLOB of `all`, in hash order as ``records`` gives them.
    static func encode(_ all: [(hash: UInt64, record: Record)]) -> [UInt8] {
        var out: [UInt8] = [SourcePack.version]
        out.reserveCapacity(1 + 10 + all.count * 40)
        Self.putVarint(UInt64(all.count), &out)
        for (hash, record) in all {
            Self.putFixed(hash, &out)
            Self.put(record, &out)
        }
        return out
    }

    /// Reads ``encoded()`` bytes; nil when they are not a pack of this version (cut short, or
    /// written by a newer build).
    package init?(bytes: [UInt8]) {
        var reader = ByteCursor(bytes: bytes)
        guard reader.byte() == SourcePack.version, let count = reader.varint(), count <= UInt64(bytes.count) else { return nil }
        var records: [UInt64: Record] = [:]
        records.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let hash = reader.fixed(), let record = Self.take(&reader) else { return nil }
            records[hash] = record
        }
        guard reader.atEnd else { return nil }
        self.init(loaded: records)
    }

    /// One record's bytes after its hash.
    static func put(_ r: Record, _ out: inout [UInt8]) {
        var flags: UInt8 = 0
        if r.offset != r.size { flags |= Flag.offsetExplicit }
        if r.fingerprintLength != min(r.size, 4096) { flags |= Flag.fingerprintLengthExplicit }
        if r.hasState { flags |= Flag.hasState }
        if r.sessionRange != nil { flags |= Flag.session }
        if r.userHash != nil { flags |= Flag.user }
        if r.restored { flags |= Flag.restored }
        if r.failedEntry != nil { flags |= Flag.failedEntry }
        if r.failedAt != nil { flags |= Flag.failedAt }
        out.append(flags)
        putVarint(UInt64(bitPattern: r.size), &out)
        putVarint(zigzag(r.mtimeNanos), &out)
        if flags & Flag.offsetExplicit != 0 { putVarint(zigzag(r.offset), &out) }
        putVarint(UInt64(bitPattern: r.lineCount), &out)
        putFixed(r.fingerprintHash, &out)
        if flags & Flag.fingerprintLengthExplicit != 0 { putVarint(UInt64(bitPattern: r.fingerprintLength), &out) }
        if let range = r.sessionRange {
            putVarint(UInt64(range.lowerBound), &out)
            putVarint(UInt64(range.count), &out)
        }
        if let user = r.userHash { putFixed(user, &out) }
        if let entry = r.failedEntry {
            putVarint(UInt64(entry.utf8.count), &out)
            out.append(contentsOf: entry.utf8)
        }
        if let at = r.failedAt { putVarint(zigzag(at), &out) }
        putVarint(UInt64(bitPattern: r.updatedSnapshot), &out)
    }

    /// Reads ``put(_:_:)``'s bytes; nil when they end early or hold impossible values.
    static func take(_ reader: inout ByteCursor) -> Record? {
        guard let flags = reader.byte(), let size = reader.varint(), let mtime = reader.varint() else { return nil }
        let offset = flags & Flag.offsetExplicit != 0 ? reader.varint().map(unzigzag) : Int64(bitPattern: size)
        guard let offset, let lines = reader.varint(), let fingerprint = reader.fixed() else { return nil }
        var length = min(Int64(bitPattern: size), 4096)
        if flags & Flag.fingerprintLengthExplicit != 0 {
            guard let explicit = reader.varint() else { return nil }
            length = Int64(bitPattern: explicit)
        }
        var range: Range<Int>?
        if flags & Flag.session != 0 {
            guard let start = reader.varint(), let count = reader.varint(), start <= UInt64(UInt16.max), count <= UInt64(UInt16.max) - start
            else { return nil }
            range = Int(start)..<Int(start + count)
        }
        var user: UInt64?
        if flags & Flag.user != 0 {
            guard let value = reader.fixed() else { return nil }
            user = value
        }
        var failedEntry: String?
        if flags & Flag.failedEntry != 0 {
            guard let length = reader.varint(), let bytes = reader.bytes(length) else { return nil }
            failedEntry = String(decoding: bytes, as: UTF8.self)
        }
        var failedAt: Int64?
        if flags & Flag.failedAt != 0 {
            guard let value = reader.varint() else { return nil }
            failedAt = unzigzag(value)
        }
        guard let snapshot = reader.varint() else { return nil }
        return Record(
            size: Int64(bitPattern: size), mtimeNanos: unzigzag(mtime), offset: offset,
            lineCount: Int64(bitPattern: lines), fingerprintHash: fingerprint, fingerprintLength: length,
            hasState: flags & Flag.hasState != 0, sessionRange: range, userHash: user,
            failedEntry: failedEntry, failedAt: failedAt,
            restored: flags & Flag.restored != 0, updatedSnapshot: Int64(bitPattern: snapshot))
    }

    private static func putVarint(_ value: UInt64, _ out: inout [UInt8]) { LEB128.append(value, to: &out) }
    private static func zigzag(_ value: Int64) -> UInt64 { LEB128.zigzag(value) }
    private static func unzigzag(_ value: UInt64) -> Int64 { LEB128.unzigzag(value) }

    private static func putFixed(_ value: UInt64, _ out: inout [UInt8]) { ByteCursor.appendFixed(value, to: &out) }
}
