/// A fixed set of lowercase ASCII phrases looked for in one pass over some bytes, ignoring ASCII
/// case: each byte is checked against the phrases that start with it, where testing phrase after
/// phrase read every gateway log line once per phrase (17 times for the routine lines).
struct ByteNeedles: Sendable {
    private let needles: [[UInt8]]
    /// Per lowercase first byte: the indices of the phrases starting with it.
    private let byFirst: [[Int]]

    /// `phrases` are lowercase ASCII and at most 64 (`matches` returns one bit per phrase).
    init(_ phrases: [String]) {
        precondition(phrases.count <= 64 && phrases.allSatisfy { !$0.isEmpty && $0 == $0.lowercased() && $0.utf8.allSatisfy { $0 < 0x80 } })
        needles = phrases.map { Array($0.utf8) }
        var byFirst = [[Int]](repeating: [], count: 256)
        for (k, needle) in needles.enumerated() { byFirst[Int(needle[0])].append(k) }
        self.byFirst = byFirst
    }

    /// Bit k is set when phrase k occurs in `haystack`; with `stopAtFirst` the pass ends at the
    /// first phrase found (only that bit set).
    func matches(in haystack: UnsafeRawBufferPointer, stopAtFirst: Bool = false) -> UInt64 {
        guard let base = haystack.baseAddress else { return 0 }
        let count = haystack.count
        var found: UInt64 = 0
        byFirst.withUnsafeBufferPointer { byFirst in
            for i in 0..<count {
                var b = base.load(fromByteOffset: i, as: UInt8.self)
                if b >= 0x41 && b <= 0x5A { b += 0x20 }
                let candidates = byFirst[Int(b)]
                guard !candidates.isEmpty else { continue }
                for k in candidates where found & (1 << UInt64(k)) == 0 && Self.occurs(needles[k], at: i, in: base, count: count) {
                    found |= 1 << UInt64(k)
                    if stopAtFirst { return }
                }
            }
        }
        return found
    }

    private static func occurs(_ needle: [UInt8], at start: Int, in base: UnsafeRawPointer, count: Int) -> Bool {
        guard count - start >= needle.count else { return false }
        for j in 1..<needle.count {
            var c = base.load(fromByteOffset: start + j, as: UInt8.self)
            if c >= 0x41 && c <= 0x5A { c += 0x20 }
            if c != needle[j] { return false }
        }
        return true
    }
}
