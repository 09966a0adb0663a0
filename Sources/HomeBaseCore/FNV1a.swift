/// 64-bit FNV-1a: a fast, stable (across runs and machines) hash for dedupe keys and fingerprints.
/// Inlinable: ingest hashes every line from another module, and an unspecialised generic `add`
/// costs a protocol call per byte.
package struct FNV1a {
    package var value: UInt64 = 0xcbf2_9ce4_8422_2325

    @inlinable package init() {}

    @inlinable package mutating func add<C: Sequence>(_ bytes: C) where C.Element == UInt8 {
        // Contiguous bytes (arrays, slices) go through the buffer loop: an unspecialised
        // iterator costs a witness call per byte.
        if bytes.withContiguousStorageIfAvailable({ add(bytes: UnsafeRawBufferPointer($0)) }) != nil { return }
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
    }

    /// The same over raw bytes: one tight loop, no generic dispatch whichever module calls it.
    @inlinable package mutating func add(bytes: UnsafeRawBufferPointer) {
        var h = value
        for byte in bytes {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        value = h
    }

    @inlinable package mutating func add(_ string: String) {
        var s = string
        s.withUTF8 { add(bytes: UnsafeRawBufferPointer($0)) }
        add(CollectionOfOne(0))  // separator, so ("ab","c") != ("a","bc")
    }

    @inlinable package mutating func add(_ number: Int64) { add(String(number)) }
}
