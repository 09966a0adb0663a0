/// Reads bytes front to back from `at`; every read is nil past the end (a cut or damaged
/// encoding is refused, never trapped on). With `appendFixed`, the one reader and writer of the
/// little-endian fields and varints of our own binary encodings (source packs, the network
/// helper's frames).
package struct ByteCursor {
    package let bytes: [UInt8]
    package var at: Int

    package init(bytes: [UInt8], at: Int = 0) {
        self.bytes = bytes
        self.at = at
    }

    package var atEnd: Bool { at == bytes.count }

    package mutating func byte() -> UInt8? {
        guard at < bytes.count else { return nil }
        defer { at += 1 }
        return bytes[at]
    }

    /// An unsigned LEB128 varint (`LEB128.append`); nil past 64 bits.
    package mutating func varint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while shift < 64, let b = byte() {
            if shift == 63 && b > 1 { return nil }  // past 64 bits
            value |= UInt64(b & 0x7f) << shift
            if b < 0x80 { return value }
            shift += 7
        }
        return nil
    }

    package mutating func bytes(_ count: UInt64) -> ArraySlice<UInt8>? {
        guard count <= UInt64(bytes.count - at) else { return nil }
        defer { at += Int(count) }
        return bytes[at..<at + Int(count)]
    }

    /// Eight bytes, little endian (`appendFixed`).
    package mutating func fixed() -> UInt64? {
        guard at + 8 <= bytes.count else { return nil }
        defer { at += 8 }
        return Self.fixed(bytes, at: at)
    }

    /// The eight bytes at `offset` of `bytes` (which must hold them), little endian.
    package static func fixed(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        return value
    }

    /// Appends `value` as eight bytes, little endian.
    package static func appendFixed(_ value: UInt64, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }
}
