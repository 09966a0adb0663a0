/// Writes a process's working state as bytes for the same build to read back (`StateReader`):
/// counts and scalars as 8 bytes, arrays of plain values as their memory. Not an interchange
/// format: the reader checks who wrote it (see `AnalysisCheckpoint`), so layouts may change
/// freely between builds. With a sink, the bytes go out in pieces of about a megabyte as they
/// are written (a state as large as the calls it sums is never held twice).
package struct StateWriter {
    package private(set) var bytes: [UInt8] = []
    /// Takes each full piece; false stops the writing (`failed`).
    package typealias Sink = ([UInt8]) -> Bool
    private let sink: Sink?
    package private(set) var failed = false
    private static let piece = 1 << 20

    package init(sink: Sink? = nil) { self.sink = sink }

    package mutating func int(_ value: Int) { int64(Int64(value)) }

    package mutating func int64(_ value: Int64) { withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) } }

    package mutating func double(_ value: Double) { int64(Int64(bitPattern: value.bitPattern)) }

    package mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// Bytes as they are, without a count (a header or a trailer the reader knows the size of).
    package mutating func raw<C: Collection>(_ values: C) where C.Element == UInt8 { bytes.append(contentsOf: values) }

    package mutating func string(_ value: String) {
        var copy = value
        copy.withUTF8 { utf8 in
            int(utf8.count)
            bytes.append(contentsOf: utf8)
        }
        spill()
    }

    package mutating func strings(_ values: [String]) {
        int(values.count)
        for value in values { string(value) }
    }

    /// An array of plain values (no references), as its memory.
    package mutating func array<T: BitwiseCopyable>(_ values: [T]) {
        int(values.count)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        spill()
    }

    /// `nil` or a value, written by `write`.
    package mutating func optional<T>(_ value: T?, _ write: (inout StateWriter, T) -> Void) {
        bool(value != nil)
        if let value { write(&self, value) }
    }

    /// Hands what is written so far to the sink (the last piece, before closing).
    package mutating func flush() {
        guard let sink, !bytes.isEmpty else { return }
        if !failed && !sink(bytes) { failed = true }
        bytes.removeAll(keepingCapacity: true)
    }

    private mutating func spill() {
        if sink != nil && bytes.count >= Self.piece { flush() }
    }
}
