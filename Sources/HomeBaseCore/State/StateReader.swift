/// Reads back what a `StateWriter` wrote, in the same order, from memory or streamed from a file
/// (a buffer of `chunk` bytes; a large array is read straight into its own storage), so reading a
/// state needs no second copy of it. A cut or damaged state throws `Damaged` instead of trapping:
/// a counted length is checked against the bytes left first.
package struct StateReader {
    package struct Damaged: Error, CustomStringConvertible {
        package let at: Int
        package var description: String { "saved state is damaged at byte \(at)" }
    }

    /// Fills the buffer it is given from the source; the bytes read (0 at the end).
    package typealias Source = (UnsafeMutableRawBufferPointer) -> Int

    private static let chunk = 1 << 20
    private var buffer: [UInt8]
    /// The unread bytes are `buffer[next..<filled]`.
    private var next: Int
    private var filled: Int
    /// Unread bytes, buffered or not.
    private var left: Int
    private let source: Source?
    /// Bytes read so far (where a damage is reported).
    package var at: Int { total - left }
    private let total: Int

    /// Reads `bytes[range]` (all of them by default).
    package init(_ bytes: [UInt8], range: Range<Int>? = nil) {
        buffer = bytes
        next = range?.lowerBound ?? 0
        filled = range?.upperBound ?? bytes.count
        left = filled - next
        total = left
        source = nil
    }

    /// Reads the next `count` bytes of `source`.
    package init(count: Int, source: @escaping Source) {
        buffer = [UInt8](repeating: 0, count: Self.chunk)
        next = 0
        filled = 0
        left = count
        total = count
        self.source = source
    }

    package var atEnd: Bool { left == 0 }

    /// The error for a value that cannot be what was saved, at the current position.
    package func damaged() -> Damaged { Damaged(at: at) }

    /// Makes `count` bytes (at most the buffer's size) readable at `next`.
    private mutating func want(_ count: Int) throws {
        guard filled - next < count else { return }
        guard count <= left, let source else { throw Damaged(at: at) }
        let kept = filled - next
        buffer.withUnsafeMutableBytes { raw in
            if kept > 0 && next > 0 { raw.baseAddress!.copyMemory(from: raw.baseAddress! + next, byteCount: kept) }
            filled = kept
            next = 0
            let wanted = min(left, raw.count)
            while filled < wanted {
                let n = source(UnsafeMutableRawBufferPointer(rebasing: raw[filled..<wanted]))
                guard n > 0 else { break }
                filled += n
            }
        }
        guard filled >= count else { throw Damaged(at: at) }
    }

    package mutating func int64() throws -> Int64 {
        try want(8)
        defer { (next, left) = (next + 8, left - 8) }
        return buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: next, as: Int64.self) }
    }

    package mutating func int() throws -> Int {
        let value = try int64()
        guard let exact = Int(exactly: value) else { throw Damaged(at: at - 8) }
        return exact
    }

    /// A count of things of at least `size` bytes each that the rest of the state can hold.
    package mutating func count(size: Int = 1) throws -> Int {
        let value = try int()
        guard value >= 0, value <= left / max(1, size) else { throw Damaged(at: at - 8) }
        return value
    }

    package mutating func double() throws -> Double { Double(bitPattern: UInt64(bitPattern: try int64())) }

    package mutating func bool() throws -> Bool {
        try want(1)
        let byte = buffer[next]
        guard byte <= 1 else { throw Damaged(at: at) }
        (next, left) = (next + 1, left - 1)
        return byte == 1
    }

    package mutating func string() throws -> String {
        let n = try count()
        guard n > Self.chunk / 2 else {
            try want(n)
            defer { (next, left) = (next + n, left - n) }
            return String(decoding: buffer[next..<next + n], as: UTF8.self)
        }
        return String(decoding: try array(count: n, of: UInt8.self), as: UTF8.self)
    }

    package mutating func strings() throws -> [String] {
        let n = try count(size: 8)
        var result: [String] = []
        result.reserveCapacity(n)
        for _ in 0..<n { result.append(try string()) }
        return result
    }

    /// `count` bytes as they are (what `StateWriter.raw` wrote).
    package mutating func raw(_ count: Int) throws -> [UInt8] {
        guard count >= 0, count <= left else { throw Damaged(at: at) }
        return try array(count: count, of: UInt8.self)
    }

    package mutating func array<T: BitwiseCopyable>(of: T.Type = T.self) throws -> [T] {
        try array(count: count(size: MemoryLayout<T>.stride), of: T.self)
    }

    /// `n` values: the buffered bytes first, the rest straight from the source.
    private mutating func array<T: BitwiseCopyable>(count n: Int, of: T.Type) throws -> [T] {
        let size = n * MemoryLayout<T>.stride
        guard size > 0 else { return [] }
        var failed = false
        let result = [T](unsafeUninitializedCapacity: n) { storage, initialized in
            let target = UnsafeMutableRawBufferPointer(storage)
            let buffered = min(size, filled - next)
            buffer.withUnsafeBytes { raw in
                target.baseAddress!.copyMemory(from: raw.baseAddress! + next, byteCount: buffered)
            }
            next += buffered
            var done = buffered
            while done < size, let source {
                let got = source(UnsafeMutableRawBufferPointer(rebasing: target[done..<size]))
                guard got > 0 else { break }
                done += got
            }
            failed = done < size
            initialized = failed ? 0 : n
        }
        guard !failed else { throw Damaged(at: at) }
        left -= size
        return result
    }

    package mutating func optional<T>(_ read: (inout StateReader) throws -> T) throws -> T? {
        try bool() ? try read(&self) : nil
    }
}
