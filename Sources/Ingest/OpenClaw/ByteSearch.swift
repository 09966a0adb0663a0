#if canImport(Glibc)
    import Glibc
#endif

/// Substring tests on raw line bytes, so hot paths can reject a line before decoding it.
enum ByteSearch {
    /// Whether `haystack` contains `needle` (lowercase ASCII), ignoring ASCII case.
    static func containsIgnoringCase(_ haystack: UnsafeRawBufferPointer, _ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        guard n > 0, haystack.count >= n, let base = haystack.baseAddress else { return n == 0 }
        let pattern = UnsafeRawBufferPointer(start: needle.utf8Start, count: n)
        let first = pattern[0]
        let firstUpper = (first >= 0x61 && first <= 0x7A) ? first - 0x20 : first
        var i = 0
        let last = haystack.count - n
        while i <= last {
            let b = base.load(fromByteOffset: i, as: UInt8.self)
            if b == first || b == firstUpper {
                var j = 1
                while j < n {
                    var c = base.load(fromByteOffset: i + j, as: UInt8.self)
                    if c >= 0x41 && c <= 0x5A { c += 0x20 }
                    if c != pattern[j] { break }
                    j += 1
                }
                if j == n { return true }
            }
            i += 1
        }
        return false
    }
}
