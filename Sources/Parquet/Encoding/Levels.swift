/// Definition levels of flat OPTIONAL columns (max level 1, bit width 1) in v1 pages:
/// a u32 LE byte length, then the hybrid encoding of the validity bits.
enum Levels {
    static func appendDefinitionLevels(_ validity: UnsafeBufferPointer<Bool>, into out: inout [UInt8]) {
        let lengthAt = out.count
        out.append(contentsOf: [0, 0, 0, 0])
        let raw = UnsafeRawBufferPointer(validity)
        // Bool is stored as one byte holding 0 or 1.
        raw.withMemoryRebound(to: UInt8.self) { bytes in
            RLEHybrid.encode(bytes, bitWidth: 1, into: &out)
        }
        let length = UInt32(out.count - lengthAt - 4)
        out[lengthAt] = UInt8(truncatingIfNeeded: length)
        out[lengthAt + 1] = UInt8(truncatingIfNeeded: length >> 8)
        out[lengthAt + 2] = UInt8(truncatingIfNeeded: length >> 16)
        out[lengthAt + 3] = UInt8(truncatingIfNeeded: length >> 24)
    }
}
