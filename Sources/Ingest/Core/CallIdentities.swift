import Parquet
import Lake

/// Which calls the lake already holds, checked without a per-call catalog row.
///
/// A call's identity is (agent, entry id, event time), or (agent, session, provider, model, input
/// and output tokens, event time) for an entry without an id: the same entry copied into an
/// archive, a compaction successor or a session store is one call. The event time is part of the
/// identity, so a copy always falls in the same `requests` partition (its UTC date) as the
/// original. The lake's own columns are therefore the record of what was counted: the first time
/// a run meets a date that already has live parts, it hashes those parts' identity columns into a
/// sorted key list, and every call of that date is checked against it and against the calls this
/// run added. The catalog keeps nothing per call (it used to keep a `seen_calls` row each: 10 M
/// rows, 488 MB), and a run reads only the partitions its new calls fall in, so the time per call
/// does not grow with the history. A crash before the COMMIT leaves no live part behind, so the
/// calls it read are new again in the next run; a restored backup brings back its own parts and
/// with them its identities.
final class CallIdentities {
    /// The identity columns of `requests`, in the order `key(columns:row:)` reads them.
    static let columns = ["ts", "agent_id", "session_id", "entry_id", "provider", "model", "input_tokens", "output_tokens"]

    private var partsByDate: [String: [PartRecord]]
    private var keys: [String: CallKeySet] = [:]
    private let locate: (String) -> String
    /// Partitions whose committed parts were read, and the rows hashed (for the summary and tests).
    private(set) var partitionsLoaded = 0
    private(set) var rowsLoaded = 0

    /// `parts` are the live `requests` parts of the snapshot the run starts from; `locate` turns a
    /// catalog path into the file to read.
    init(parts: [PartRecord], locate: @escaping (String) -> String) {
        partsByDate = Dictionary(grouping: parts, by: \.date)
        self.locate = locate
    }

    /// True when `call` (dated `date`) is new, and from now on known; false for a copy of a call
    /// the lake or this run already has.
    func insert(_ call: CallRecord, date: String) throws -> Bool {
        let key = CallIdentities.key(call)
        if let index = keys.index(forKey: date) {
            return keys.values[index].insert(key)
        }
        var set = CallKeySet(sorted: try loadKeys(date: date))
        let inserted = set.insert(key)
        keys[date] = set
        return inserted
    }

    /// The identities of the rows already committed on `date`, sorted and without repeats.
    private func loadKeys(date: String) throws -> [UInt64] {
        guard let parts = partsByDate.removeValue(forKey: date) else { return [] }
        var loaded: [UInt64] = []
        for part in parts {
            let path = locate(part.path)
            let columns: [ColumnData]
            do {
                columns = try ParquetReader(path: path).readAll(columns: CallIdentities.columns)
            } catch {
                throw IdentityReadError(part: path, underlying: "\(error)")
            }
            loaded.reserveCapacity(loaded.count + (columns.first?.count ?? 0))
            try CallIdentities.keys(columns: columns, part: path, into: &loaded)
        }
        partitionsLoaded += 1
        rowsLoaded += loaded.count
        loaded.sort()
        return CallKeySet.unique(loaded)
    }

    /// A live part that could not be read: its calls' identities are unknown, so the run stops
    /// rather than count them again.
    struct IdentityReadError: Error, CustomStringConvertible {
        var part: String
        var underlying: String
        var description: String {
            "\(part): cannot read the call identities of this part (\(underlying)); "
                + "ingest stops so no call is counted twice: run 'homebase doctor --deep' and restore the part from a backup (homebase backup restore --at)"
        }
    }

    // MARK: Keys

    /// The 64-bit identity of `call`.
    static func key(_ call: CallRecord) -> UInt64 {
        var hash = CallKeyHash()
        hash.add(call.agentId)
        if call.entryId.isEmpty {
            hash.add(call.sessionId); hash.add(call.provider); hash.add(call.model)
            hash.add(call.inputTokens); hash.add(call.outputTokens)
        } else {
            hash.add(call.entryId)
        }
        hash.add(call.timestampMicros)
        return hash.value
    }

    /// Appends the identity of every row of `columns` (read in the order of `columns`) to `keys`;
    /// the same value `key(_:)` gives the `CallRecord` the row was written from.
    static func keys(columns: [ColumnData], part: String, into keys: inout [UInt64]) throws {
        guard columns.count == CallIdentities.columns.count,
            case .int64(let ts) = columns[0].values,
            case .byteArray(let agents) = columns[1].values,
            case .byteArray(let sessions) = columns[2].values,
            case .byteArray(let entries) = columns[3].values,
            case .byteArray(let providers) = columns[4].values,
            case .byteArray(let models) = columns[5].values,
            case .int64(let inputs) = columns[6].values,
            case .int64(let outputs) = columns[7].values,
            [agents.count, sessions.count, entries.count, providers.count, models.count, inputs.count, outputs.count]
                .allSatisfy({ $0 == ts.count })
        else {
            throw IdentityReadError(part: part, underlying: "the identity columns do not have the requests schema's types and lengths")
        }
        for row in ts.indices {
            var hash = CallKeyHash()
            hash.add(agents, row)
            if entries.offsets[row] == entries.offsets[row + 1] {
                hash.add(sessions, row); hash.add(providers, row); hash.add(models, row)
                hash.add(inputs[row]); hash.add(outputs[row])
            } else {
                hash.add(entries, row)
            }
            hash.add(ts[row])
            keys.append(hash.value)
        }
    }
}

/// FNV-1a over the identity fields: each string's UTF-8 bytes and a 0 byte, each integer's eight
/// little-endian bytes. Strings come from a `CallRecord` or straight from a Parquet column, with
/// no `String` made per row.
struct CallKeyHash {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always) private mutating func add(byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }

    @inline(__always) private mutating func add(raw: UnsafeRawBufferPointer) {
        var h = value
        for byte in raw { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        value = h
    }

    mutating func add(_ string: String) {
        var copy = string
        copy.withUTF8 { add(raw: UnsafeRawBufferPointer($0)) }
        add(byte: 0)
    }

    mutating func add(_ column: ByteArrayColumn, _ row: Int) {
        column.bytes.withUnsafeBytes { add(raw: UnsafeRawBufferPointer(rebasing: $0[column.offsets[row]..<column.offsets[row + 1]])) }
        add(byte: 0)
    }

    mutating func add(_ number: Int64) {
        withUnsafeBytes(of: number.littleEndian) { add(raw: $0) }
    }
}

/// A set of 64-bit keys at about eight bytes a key: a sorted array, plus the keys added since it
/// was last merged in a hash set that is folded into the array when it reaches a quarter of it.
struct CallKeySet {
    private(set) var sorted: [UInt64]
    private var recent: Set<UInt64> = []

    init(sorted: [UInt64]) { self.sorted = sorted }

    var count: Int { sorted.count + recent.count }

    func contains(_ key: UInt64) -> Bool {
        recent.contains(key) || CallKeySet.search(sorted, key)
    }

    /// Adds `key`; false when it was already there.
    mutating func insert(_ key: UInt64) -> Bool {
        if CallKeySet.search(sorted, key) { return false }
        guard recent.insert(key).inserted else { return false }
        if recent.count >= max(4096, sorted.count / 4) { merge() }
        return true
    }

    private mutating func merge() {
        let added = recent.sorted()
        recent = []
        var merged: [UInt64] = []
        merged.reserveCapacity(sorted.count + added.count)
        var i = 0
        var j = 0
        while i < sorted.count && j < added.count {
            if sorted[i] < added[j] {
                merged.append(sorted[i]); i += 1
            } else {
                merged.append(added[j]); j += 1
            }
        }
        merged.append(contentsOf: sorted[i...])
        merged.append(contentsOf: added[j...])
        sorted = merged
    }

    private static func search(_ sorted: [UInt64], _ key: UInt64) -> Bool {
        var low = 0
        var high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low < sorted.count && sorted[low] == key
    }

    /// `sorted` without repeated values.
    static func unique(_ sorted: [UInt64]) -> [UInt64] {
        var result: [UInt64] = []
        result.reserveCapacity(sorted.count)
        for key in sorted where result.last != key { result.append(key) }
        return result
    }
}
