import HomeBaseCore
import Parquet

/// Maps the few distinct byte strings of a column (agents, models, providers, classes) to small
/// integer ids without creating a `String` per row: a run of equal values costs one byte
/// comparison, a new value one hash lookup; the `String` is made once per distinct value.
package struct Interner: Sendable {
    package init() {}

    package private(set) var names: [String] = []
    private var stored: [[UInt8]] = []
    private var byHash: [UInt64: [Int32]] = [:]

    package var count: Int { names.count }

    /// Room for `count` names in all, so interning a known list grows nothing.
    package mutating func reserveCapacity(_ count: Int) {
        names.reserveCapacity(count)
        stored.reserveCapacity(count)
        byHash.reserveCapacity(count)
    }

    /// The id of each row of `column` (`nullID` for a null row when `validity` says so).
    package mutating func ids(_ column: ByteArrayColumn, validity: [Bool]? = nil, nullID: Int32 = -1) -> [Int32] {
        var result = [Int32](repeating: nullID, count: column.count)
        var lastStart = -1, lastEnd = -1, lastID: Int32 = nullID
        column.bytes.withUnsafeBufferPointer { bytes in
            column.offsets.withUnsafeBufferPointer { offsets in
                for row in 0..<column.count {
                    if let validity, !validity[row] { continue }
                    let start = offsets[row], end = offsets[row + 1]
                    if lastStart >= 0, end - start == lastEnd - lastStart,
                        memcmpEqual(bytes, start, lastStart, end - start)
                    {
                        result[row] = lastID
                        continue
                    }
                    let id = intern(UnsafeBufferPointer(rebasing: bytes[start..<end]))
                    result[row] = id
                    lastStart = start; lastEnd = end; lastID = id
                }
            }
        }
        return result
    }

    /// The id of one value (used for single lookups and by `ids`).
    package mutating func intern(_ value: UnsafeBufferPointer<UInt8>) -> Int32 {
        var hash = FNV1a()
        hash.add(bytes: UnsafeRawBufferPointer(value))
        if let candidates = byHash[hash.value] {
            for id in candidates where stored[Int(id)].elementsEqual(value) { return id }
        }
        let id = Int32(names.count)
        stored.append(Array(value))
        names.append(String(decoding: value, as: UTF8.self))
        byHash[hash.value, default: []].append(id)
        return id
    }

    /// The id of a string, interning it if new.
    package mutating func intern(_ name: String) -> Int32 {
        var copy = name
        return copy.withUTF8 { intern($0) }
    }

    /// Each id's position when the names are sorted by their bytes (the order DuckDB and SQLite
    /// sort strings in).
    package func byteOrderRanks() -> [Int32] {
        var ranks = [Int32](repeating: 0, count: stored.count)
        let order = stored.indices.sorted { stored[$0].lexicographicallyPrecedes(stored[$1]) }
        for (rank, id) in order.enumerated() { ranks[id] = Int32(rank) }
        return ranks
    }

    /// The id of a string if it was seen.
    package func lookup(_ name: String) -> Int32? {
        names.firstIndex(of: name).map { Int32($0) }
    }

    private func memcmpEqual(_ bytes: UnsafeBufferPointer<UInt8>, _ a: Int, _ b: Int, _ count: Int) -> Bool {
        var i = 0
        while i < count {
            if bytes[a + i] != bytes[b + i] { return false }
            i += 1
        }
        return true
    }
}
