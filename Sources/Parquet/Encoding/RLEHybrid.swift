/// The RLE / bit-packed hybrid encoding (definition levels, dictionary indices, RLE booleans):
/// RLE runs for 8+ repeats, bit-packed groups of 8 (LSB first) otherwise.
enum RLEHybrid {
    /// Bits needed to hold `maxValue` (0 for 0).
    static func bitWidth(forMax maxValue: UInt64) -> Int { maxValue == 0 ? 0 : 64 - maxValue.leadingZeroBitCount }

    /// Appends the hybrid encoding of `values` (each < 2^bitWidth) to `out`.
    static func encode<T: FixedWidthInteger & UnsignedInteger>(_ values: UnsafeBufferPointer<T>, bitWidth: Int, into out: inout [UInt8]) {
        let n = values.count
        if n == 0 { return }
        var i = 0
        var literalStart = 0
        while i < n {
            let v = values[i]
            var j = i + 1
            while j < n && values[j] == v { j += 1 }
            let run = j - i
            if run >= 8 {
                let pending = i - literalStart
                let fill = pending % 8 == 0 ? 0 : 8 - pending % 8
                if run - fill >= 8 {
                    let literalEnd = i + fill
                    if literalEnd > literalStart { bitPack(values, literalStart..<literalEnd, bitWidth: bitWidth, into: &out) }
                    writeRun(UInt64(v), count: j - literalEnd, bitWidth: bitWidth, into: &out)
                    literalStart = j
                }
            }
            i = j
        }
        if literalStart < n { bitPack(values, literalStart..<n, bitWidth: bitWidth, into: &out) }
    }

    static func writeRun(_ value: UInt64, count: Int, bitWidth: Int, into out: inout [UInt8]) {
        appendVarint(UInt64(count) << 1, into: &out)
        var v = value
        for _ in 0..<(bitWidth + 7) / 8 {
            out.append(UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
    }

    /// One bit-packed run over `range` (padded with zeros to a multiple of 8 values).
    static func bitPack<T: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<T>, _ range: Range<Int>, bitWidth: Int, into out: inout [UInt8]
    ) {
        let groups = (range.count + 7) / 8
        appendVarint(UInt64(groups) << 1 | 1, into: &out)
        if bitWidth == 0 { return }
        let byteCount = groups * bitWidth
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: byteCount))
        out.withUnsafeMutableBufferPointer { buffer in
            // bitWidth <= 32 and fewer than 8 bits pending, so the accumulator never overflows.
            var accumulator: UInt64 = 0
            var bits = 0
            var position = start
            let mask: UInt64 = (1 << UInt64(bitWidth)) - 1
            for index in range {
                accumulator |= (UInt64(values[index]) & mask) << UInt64(bits)
                bits += bitWidth
                while bits >= 8 {
                    buffer[position] = UInt8(truncatingIfNeeded: accumulator)
                    position += 1
                    accumulator >>= 8
                    bits -= 8
                }
            }
            if bits > 0 { buffer[position] = UInt8(truncatingIfNeeded: accumulator) }
        }
    }

    static func appendVarint(_ value: UInt64, into out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }
}

/// Decodes a hybrid stream from a byte range; every run header and payload is bounds-checked,
/// and zero-length runs are rejected so a corrupt stream cannot loop forever.
struct RLEHybridDecoder {
    private let data: UnsafeRawBufferPointer
    private var position: Int
    private let end: Int
    let bitWidth: Int

    init(_ data: UnsafeRawBufferPointer, from start: Int, to end: Int, bitWidth: Int) {
        self.data = data
        self.position = start
        self.end = end
        self.bitWidth = bitWidth
    }

    private mutating func varint() throws(ParquetError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw ParquetError("bad RLE run: header runs past the end of the data") }
            let b = data[position]
            position += 1
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            guard shift < 64 else { throw ParquetError("bad RLE run: header varint too long") }
        }
    }

    /// Fills `out` completely with decoded values.
    mutating func decode(into out: UnsafeMutableBufferPointer<UInt32>) throws(ParquetError) {
        guard bitWidth <= 32 else { throw ParquetError("bad RLE run: bit width \(bitWidth) exceeds 32") }
        var filled = 0
        let count = out.count
        let mask: UInt64 = (1 << UInt64(bitWidth)) - 1
        while filled < count {
            let header = try varint()
            if header & 1 == 0 {
                let runLength = header >> 1
                guard runLength > 0 else { throw ParquetError("bad RLE run: zero-length run") }
                let width = (bitWidth + 7) / 8
                guard end - position >= width else { throw ParquetError("bad RLE run: value runs past the end of the data") }
                var value: UInt64 = 0
                for k in 0..<width { value |= UInt64(data[position + k]) << UInt64(8 * k) }
                position += width
                guard value <= mask else { throw ParquetError("bad RLE run: value \(value) wider than \(bitWidth) bits") }
                let take = Int(min(runLength, UInt64(count - filled)))
                let v = UInt32(truncatingIfNeeded: value)
                for k in 0..<take { out[filled + k] = v }
                filled += take
            } else {
                let groups = header >> 1
                guard groups > 0 else { throw ParquetError("bad RLE run: zero-length bit-packed run") }
                guard groups <= UInt64(Int32.max) else { throw ParquetError("bad RLE run: bit-packed run too long") }
                let runValues = Int(groups) * 8
                let take = min(runValues, count - filled)
                let needBytes = (take * bitWidth + 7) / 8
                let runBytes = Int(groups) * bitWidth
                guard end - position >= needBytes else { throw ParquetError("bad RLE run: bit-packed run runs past the end of the data") }
                if bitWidth == 0 {
                    for k in 0..<take { out[filled + k] = 0 }
                } else {
                    var accumulator: UInt64 = 0
                    var bits = 0
                    var p = position
                    for k in 0..<take {
                        while bits < bitWidth {
                            accumulator |= UInt64(data[p]) << UInt64(bits)
                            p += 1
                            bits += 8
                        }
                        out[filled + k] = UInt32(truncatingIfNeeded: accumulator & mask)
                        accumulator >>= UInt64(bitWidth)
                        bits -= bitWidth
                    }
                }
                position += min(runBytes, end - position)
                filled += take
            }
        }
    }
}
