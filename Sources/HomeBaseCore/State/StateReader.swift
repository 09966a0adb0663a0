/// Reads back what a `StateWriter` wrote, in the same order; a cut or damaged state throws
/// `Damaged` instead of trapping (a counted length is checked against the bytes left first).
package struct StateReader {
    package struct Damaged: Error, CustomStringConvertible {
        package let at: Int
        package var description: String { "saved state is damaged at byte \(at)" }
    }

    private let bytes: [UInt8]
    package private(set) var at: Int
    private let end: Int

    /// Reads `bytes[range]` (all of them by default).
    package init(_ bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        at = range?.lowerBound ?? 0
        end = range?.upperBound ?? bytes.count
    }

    package var atEnd: Bool { at == end }

    /// The error for a value that cannot be what was saved, at the current position.
    package func damaged() -> Damaged { Damaged(at: at) }

    package mutating func int64() throws -> Int64 {
        guard end - at >= 8 else { throw Damaged(at: at) }
        defer { at += 8 }
        return bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: Int64.self) }
    }

    package mutating func int() throws -> Int {
        let value = try int64()
        guard let exact = Int(exactly: value) else { throw Damaged(at: at - 8) }
        return exact
    }

    /// A count of things of at least `size` bytes each that the rest of the state can hold.
    package mutating func count(size: Int = 1) throws -> Int {
        let value = try int()
        guard value >= 0, value <= (end - at) / max(1, size) else { throw Damaged(at: at - 8) }
        return value
    }

    package mutating func double() throws -> Double { Double(bitPattern: UInt64(bitPattern: try int64())) }

    package mutating func bool() throws -> Bool {
        guard at < end, bytes[at] <= 1 else { throw Damaged(at: at) }
        defer { at += 1 }
        return bytes[at] == 1
    }

    package mutating func string() throws -> String {
        let n = try count()
        defer { at += n }
        return String(decoding: bytes[at..<at + n], as: UTF8.self)
    }

    package mutating func strings() throws -> [String] {
        let n = try count(size: 8)
        var result: [String] = []
        result.reserveCapacity(n)
        for _ in 0..<n { result.append(try string()) }
        return result
    }

    package mutating func array<T: BitwiseCopyable>(of: T.Type = T.self) throws -> [T] {
        let stride = MemoryLayout<T>.stride
        let n = try count(size: stride)
        let start = at
        at += n * stride
        return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            bytes.withUnsafeBytes { source in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: source[start..<start + n * stride]))
            }
            initialized = n
        }
    }

    package mutating func optional<T>(_ read: (inout StateReader) throws -> T) throws -> T? {
        try bool() ? try read(&self) : nil
    }
}
