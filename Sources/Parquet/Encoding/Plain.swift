/// PLAIN encoding: little-endian fixed-width values, LSB-first bit-packed booleans, and
/// u32-length-prefixed byte arrays. Only non-null values are stored.
enum Plain {
    /// Appends fixed-width values (Int32, Int64, Float, Double) as their little-endian bytes.
    static func appendFixed<T>(_ values: UnsafeBufferPointer<T>, into out: inout [UInt8]) {
        out.append(contentsOf: UnsafeRawBufferPointer(values))
    }

    /// Appends booleans bit-packed LSB first, padding the last byte with zeros.
    static func appendBooleans(_ values: UnsafeBufferPointer<Bool>, into out: inout [UInt8]) {
        var byte: UInt8 = 0
        var bit: UInt8 = 0
        out.reserveCapacity(out.count + (values.count + 7) / 8)
        for v in values {
            if v { byte |= 1 << bit }
            bit += 1
            if bit == 8 { out.append(byte); byte = 0; bit = 0 }
        }
        if bit > 0 { out.append(byte) }
    }

    /// Appends values `range` of `column`, each as u32 LE length then bytes.
    static func appendByteArrays(_ column: ByteArrayColumn, _ range: Range<Int>, into out: inout [UInt8]) {
        guard !range.isEmpty else { return }
        column.offsets.withUnsafeBufferPointer { offsets in
            column.bytes.withUnsafeBufferPointer { bytes in
                let total = offsets[range.upperBound] - offsets[range.lowerBound] + 4 * range.count
                let start = out.count
                out.append(contentsOf: repeatElement(0, count: total))
                out.withUnsafeMutableBytes { raw in
                    guard let base = raw.baseAddress, let source = bytes.baseAddress else {
                        // All values empty: lengths of zero are already there.
                        return
                    }
                    var p = start
                    for i in range {
                        let length = offsets[i + 1] - offsets[i]
                        raw.storeBytes(of: UInt32(truncatingIfNeeded: length).littleEndian, toByteOffset: p, as: UInt32.self)
                        p += 4
                        if length > 0 { (base + p).copyMemory(from: source + offsets[i], byteCount: length) }
                        p += length
                    }
                }
            }
        }
    }

    // MARK: Decoding

    /// Decodes `count` fixed-width values starting at `position`; throws when the data is short.
    static func decodeFixed<T>(_ data: UnsafeRawBufferPointer, at position: inout Int, end: Int, count: Int, as: T.Type) throws(ParquetError) -> [T] {
        let size = MemoryLayout<T>.size
        guard count >= 0, (end - position) / size >= count else {
            throw ParquetError("PLAIN values run past the end of the page (\(count) values of \(size) bytes)")
        }
        let start = position
        position += count * size
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0, let base = data.baseAddress {
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(start: base + start, count: count * size))
            }
            initialized = count
        }
    }

    static func decodeBooleans(_ data: UnsafeRawBufferPointer, at position: inout Int, end: Int, count: Int) throws(ParquetError) -> [Bool] {
        let needed = (count + 7) / 8
        guard end - position >= needed else { throw ParquetError("PLAIN booleans run past the end of the page") }
        var result = [Bool](repeating: false, count: count)
        for i in 0..<count { result[i] = data[position + i >> 3] & (1 << UInt8(i & 7)) != 0 }
        position += needed
        return result
    }

    /// Decodes `count` length-prefixed byte arrays, appending to `column`.
    static func decodeByteArrays(_ data: UnsafeRawBufferPointer, at position: inout Int, end: Int, count: Int, into column: inout ByteArrayColumn)
        throws(ParquetError)
    {
        column.offsets.reserveCapacity(column.offsets.count + count)
        var p = position
        guard let base = data.baseAddress else {
            if count > 0 { throw ParquetError("PLAIN byte arrays run past the end of the page") }
            return
        }
        for _ in 0..<count {
            guard end - p >= 4 else { throw ParquetError("PLAIN byte array length runs past the end of the page") }
            let length = Int(UInt32(littleEndian: data.loadUnaligned(fromByteOffset: p, as: UInt32.self)))
            p += 4
            guard end - p >= length else { throw ParquetError("PLAIN byte array of \(length) bytes runs past the end of the page") }
            column.append(bytes: UnsafeRawBufferPointer(start: base + p, count: length))
            p += length
        }
        position = p
    }
}
