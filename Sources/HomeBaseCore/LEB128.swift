/// Unsigned LEB128 varints and zigzag signed values, as Thrift's compact protocol (Parquet
/// metadata) and the catalog's source packs write them.
package enum LEB128 {
    /// Appends `value` seven bits at a time, low bits first.
    @inlinable package static func append(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// Small magnitudes of either sign to small unsigned values (0, -1, 1, -2 → 0, 1, 2, 3).
    @inlinable package static func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }

    @inlinable package static func unzigzag(_ value: UInt64) -> Int64 { Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1))) }
}
