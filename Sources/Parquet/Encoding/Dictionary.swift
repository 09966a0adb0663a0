#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Hash-based dictionary builders for the writer: byte strings hashed as bytes (no String per
/// value), fixed-width values hashed by bit pattern. Each tracks its PLAIN dictionary-page size.
struct ByteDictionaryBuilder {
    private(set) var entries = ByteArrayColumn()
    private var table: [Int32]
    private var hashes: [UInt64] = []
    private var mask: Int
    /// Bytes the dictionary page will hold (PLAIN: 4 + length per entry).
    private(set) var plainSize = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        table = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    var count: Int { entries.count }

    static func hash(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
        var i = 0
        while i + 8 <= n {
            let w = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n { w |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift; shift += 8; i += 1 }
            h = (h ^ w) &* 0x94D0_49BB_1331_11EB
        }
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 32)
    }

    /// The index of the value `p[0..<n]`, inserting it when new.
    mutating func insert(_ p: UnsafeRawPointer, _ n: Int) -> UInt32 {
        let h = ByteDictionaryBuilder.hash(p, n)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let index = Int(table[slot])
            if index < 0 { break }
            if hashes[index] == h {
                let start = entries.offsets[index], length = entries.offsets[index + 1] - start
                if length == n {
                    let equal = entries.bytes.withUnsafeBytes { stored in
                        n == 0 || memcmp(stored.baseAddress! + start, p, n) == 0
                    }
                    if equal { return UInt32(index) }
                }
            }
            slot = (slot + 1) & mask
        }
        let index = entries.count
        table[slot] = Int32(index)
        hashes.append(h)
        entries.append(bytes: UnsafeRawBufferPointer(start: p, count: n))
        plainSize += 4 + n
        if entries.count * 2 > table.count { grow() }
        return UInt32(index)
    }

    private mutating func grow() {
        let size = table.count * 2
        table = [Int32](repeating: -1, count: size)
        mask = size - 1
        for (index, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while table[slot] >= 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(index)
        }
    }
}

/// Dictionary of fixed-width values keyed by their 64-bit pattern (Int32 widened, Int64, Double bits).
struct FixedDictionaryBuilder {
    private(set) var keys: [UInt64] = []
    private var table: [Int32]
    private var mask: Int

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        table = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    var count: Int { keys.count }

    @inline(__always) static func hash(_ key: UInt64) -> Int {
        var h = key &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        return Int(truncatingIfNeeded: h)
    }

    @inline(__always) mutating func insert(_ key: UInt64) -> UInt32 {
        var slot = FixedDictionaryBuilder.hash(key) & mask
        while true {
            let index = Int(table[slot])
            if index < 0 { break }
            if keys[index] == key { return UInt32(index) }
            slot = (slot + 1) & mask
        }
        let index = keys.count
        table[slot] = Int32(index)
        keys.append(key)
        if keys.count * 2 > table.count { grow() }
        return UInt32(index)
    }

    private mutating func grow() {
        let size = table.count * 2
        table = [Int32](repeating: -1, count: size)
        mask = size - 1
        for (index, key) in keys.enumerated() {
            var slot = FixedDictionaryBuilder.hash(key) & mask
            while table[slot] >= 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(index)
        }
    }
}
