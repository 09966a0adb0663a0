/// Snappy raw block format (no framing), written from google/snappy's format description:
/// a varint length preamble, then literals and back-references. Our own compressor and decompressor.
package enum Snappy {
    private static let hashBits = 14
    private static let blockSize = 1 << 16

    /// Upper bound of the compressed size of `n` input bytes.
    package static func maxCompressedLength(_ n: Int) -> Int { 32 + n + n / 6 }

    /// Compresses `input`, appending the stream to `out`.
    package static func compress(_ input: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        let bound = maxCompressedLength(input.count)
        if out.isEmpty {
            // Fresh output: write into uninitialised capacity, no zero fill.
            out = [UInt8](unsafeUninitializedCapacity: bound) { buffer, initialized in
                initialized = compress(input, to: UnsafeMutableRawPointer(buffer.baseAddress!))
            }
            return
        }
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: bound))
        let written = out.withUnsafeMutableBytes { raw in compress(input, to: raw.baseAddress! + start) }
        out.removeLast(bound - written)
    }

    /// Writes the stream for `input` at `dst` (room for `maxCompressedLength` bytes); returns its length.
    private static func compress(_ input: UnsafeRawBufferPointer, to dst: UnsafeMutableRawPointer) -> Int {
        let n = input.count
        var op = 0
        var len = UInt64(n)
        while len >= 0x80 { dst.storeBytes(of: UInt8(truncatingIfNeeded: len) | 0x80, toByteOffset: op, as: UInt8.self); op += 1; len >>= 7 }
        dst.storeBytes(of: UInt8(len), toByteOffset: op, as: UInt8.self)
        op += 1
        guard n > 0, let src = input.baseAddress else { return op }
        var table = [UInt16](repeating: 0, count: 1 << hashBits)
        table.withUnsafeMutableBufferPointer { table in
            var blockStart = 0
            while blockStart < n {
                let blockEnd = min(n, blockStart + blockSize)
                if blockStart > 0 { table.update(repeating: 0) }
                op = compressBlock(src + blockStart, blockEnd - blockStart, dst, op, table)
                blockStart = blockEnd
            }
        }
        return op
    }

    @inline(__always) private static func hash(_ v: UInt32) -> Int { Int((v &* 0x1E35_A7BD) >> UInt32(32 - hashBits)) }
    @inline(__always) private static func load32(_ p: UnsafeRawPointer, _ i: Int) -> UInt32 { p.loadUnaligned(fromByteOffset: i, as: UInt32.self) }

    private static func compressBlock(
        _ src: UnsafeRawPointer, _ n: Int, _ dst: UnsafeMutableRawPointer, _ opIn: Int, _ table: UnsafeMutableBufferPointer<UInt16>
    ) -> Int {
        var op = opIn
        var nextEmit = 0
        let inputMarginBytes = 15
        if n >= inputMarginBytes {
            let ipLimit = n - inputMarginBytes
            var ip = 1
            var nextHash = hash(load32(src, ip))
            outer: while true {
                var skip = 32
                var nextIp = ip
                var candidate = 0
                repeat {
                    ip = nextIp
                    let h = nextHash
                    let bytesBetween = skip >> 5
                    skip += 1
                    nextIp = ip + bytesBetween
                    if nextIp > ipLimit { break outer }
                    nextHash = hash(load32(src, nextIp))
                    candidate = Int(table[h])
                    table[h] = UInt16(truncatingIfNeeded: ip)
                } while load32(src, ip) != load32(src, candidate)

                op = emitLiteral(src + nextEmit, ip - nextEmit, dst, op)
                while true {
                    let base = ip
                    var matched = 4
                    // Compare 8 bytes at a time, then find the first differing byte.
                    while base + matched + 8 <= n {
                        let x =
                            src.loadUnaligned(fromByteOffset: candidate + matched, as: UInt64.self)
                            ^ src.loadUnaligned(fromByteOffset: base + matched, as: UInt64.self)
                        if x != 0 { matched += x.trailingZeroBitCount >> 3; break }
                        matched += 8
                    }
                    if base + matched + 8 > n {
                        while base + matched < n
                            && src.load(fromByteOffset: candidate + matched, as: UInt8.self)
                                == src.load(fromByteOffset: base + matched, as: UInt8.self)
                        {
                            matched += 1
                        }
                    }
                    op = emitCopy(offset: base - candidate, length: matched, dst, op)
                    ip = base + matched
                    nextEmit = ip
                    if ip >= ipLimit { break outer }
                    table[hash(load32(src, ip - 1))] = UInt16(truncatingIfNeeded: ip - 1)
                    let h = hash(load32(src, ip))
                    candidate = Int(table[h])
                    table[h] = UInt16(truncatingIfNeeded: ip)
                    if load32(src, ip) != load32(src, candidate) { break }
                }
                ip += 1
                nextHash = hash(load32(src, ip))
            }
        }
        if nextEmit < n { op = emitLiteral(src + nextEmit, n - nextEmit, dst, op) }
        return op
    }

    private static func emitLiteral(_ src: UnsafeRawPointer, _ length: Int, _ dst: UnsafeMutableRawPointer, _ opIn: Int) -> Int {
        if length == 0 { return opIn }
        var op = opIn
        let n = length - 1
        if n < 60 {
            dst.storeBytes(of: UInt8(n << 2), toByteOffset: op, as: UInt8.self); op += 1
        } else {
            var count = 0
            var v = n
            while v > 0 { count += 1; v >>= 8 }
            dst.storeBytes(of: UInt8((59 + count) << 2), toByteOffset: op, as: UInt8.self); op += 1
            for k in 0..<count { dst.storeBytes(of: UInt8(truncatingIfNeeded: n >> (8 * k)), toByteOffset: op, as: UInt8.self); op += 1 }
        }
        (dst + op).copyMemory(from: src, byteCount: length)
        return op + length
    }

    private static func emitCopyUpTo64(offset: Int, length: Int, _ dst: UnsafeMutableRawPointer, _ opIn: Int) -> Int {
        var op = opIn
        if length < 12 && offset < 2048 {
            dst.storeBytes(of: UInt8(1 | ((length - 4) << 2) | ((offset >> 8) << 5)), toByteOffset: op, as: UInt8.self)
            dst.storeBytes(of: UInt8(truncatingIfNeeded: offset), toByteOffset: op + 1, as: UInt8.self)
            op += 2
        } else {
            dst.storeBytes(of: UInt8(2 | ((length - 1) << 2)), toByteOffset: op, as: UInt8.self)
            dst.storeBytes(of: UInt8(truncatingIfNeeded: offset), toByteOffset: op + 1, as: UInt8.self)
            dst.storeBytes(of: UInt8(truncatingIfNeeded: offset >> 8), toByteOffset: op + 2, as: UInt8.self)
            op += 3
        }
        return op
    }

    private static func emitCopy(offset: Int, length: Int, _ dst: UnsafeMutableRawPointer, _ opIn: Int) -> Int {
        var op = opIn
        var len = length
        while len >= 68 { op = emitCopyUpTo64(offset: offset, length: 64, dst, op); len -= 64 }
        if len > 64 { op = emitCopyUpTo64(offset: offset, length: 60, dst, op); len -= 60 }
        return emitCopyUpTo64(offset: offset, length: len, dst, op)
    }

    // MARK: Decompression

    /// The length stated by a stream's preamble.
    package static func uncompressedLength(_ input: UnsafeRawBufferPointer) throws(ParquetError) -> (length: Int, headerBytes: Int) {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var i = 0
        while true {
            guard i < input.count, i < 5 else { throw ParquetError("bad Snappy stream: truncated or oversized length preamble") }
            let b = input[i]
            result |= UInt64(b & 0x7F) << shift
            i += 1
            if b & 0x80 == 0 { break }
            shift += 7
        }
        guard result <= UInt64(UInt32.max) else { throw ParquetError("bad Snappy stream: length \(result) exceeds 2^32-1") }
        return (Int(result), i)
    }

    /// Decompresses a stream whose preamble must state `expectedLength` bytes.
    package static func decompress(_ input: UnsafeRawBufferPointer, expectedLength: Int) throws(ParquetError) -> [UInt8] {
        let (length, header) = try uncompressedLength(input)
        guard length == expectedLength else {
            throw ParquetError("bad Snappy stream: preamble says \(length) bytes, page header says \(expectedLength)")
        }
        var failure: ParquetError?
        let out = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            do throws(ParquetError) {
                try decode(input, from: header, into: buffer)
                initialized = length
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return out
    }

    /// Decompresses a stream straight into `out`, whose size its preamble must state: a page of
    /// fixed-width values lands in its values array without a page buffer copied again.
    package static func decompress(_ input: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) throws(ParquetError) {
        let (length, header) = try uncompressedLength(input)
        guard length == out.count else {
            throw ParquetError("bad Snappy stream: preamble says \(length) bytes, page header says \(out.count)")
        }
        try out.withMemoryRebound(to: UInt8.self) { (bytes) throws(ParquetError) in try decode(input, from: header, into: bytes) }
    }

    private static func decode(_ input: UnsafeRawBufferPointer, from start: Int, into out: UnsafeMutableBufferPointer<UInt8>) throws(ParquetError) {
        let n = input.count
        let outLength = out.count
        var ip = start
        var op = 0
        guard let dst = out.baseAddress else {
            guard ip == n else { throw ParquetError("bad Snappy stream: data after an empty stream") }
            return
        }
        let src = input.baseAddress!
        while ip < n {
            let tag = src.load(fromByteOffset: ip, as: UInt8.self)
            ip += 1
            switch tag & 3 {
            case 0:
                var length = Int(tag >> 2)
                if length >= 60 {
                    let extra = length - 59
                    guard n - ip >= extra else { throw ParquetError("bad Snappy stream: literal length runs past the end") }
                    length = 0
                    for k in 0..<extra { length |= Int(src.load(fromByteOffset: ip + k, as: UInt8.self)) << (8 * k) }
                    ip += extra
                }
                length += 1
                guard n - ip >= length else { throw ParquetError("bad Snappy stream: literal runs past the end of the input") }
                guard outLength - op >= length else { throw ParquetError("bad Snappy stream: literal overruns the stated length") }
                if length <= 16 && n - ip >= 16 && outLength - op >= 16 {
                    // Short literals (most of them) move as two words; the bytes past `length` are
                    // written over by what follows.
                    let raw = UnsafeMutableRawPointer(dst + op)
                    raw.storeBytes(of: src.loadUnaligned(fromByteOffset: ip, as: UInt64.self), as: UInt64.self)
                    raw.storeBytes(of: src.loadUnaligned(fromByteOffset: ip + 8, as: UInt64.self), toByteOffset: 8, as: UInt64.self)
                } else {
                    (dst + op).update(from: src.assumingMemoryBound(to: UInt8.self) + ip, count: length)
                }
                ip += length
                op += length
            default:
                let length: Int
                let offset: Int
                switch tag & 3 {
                case 1:
                    guard n - ip >= 1 else { throw ParquetError("bad Snappy stream: copy runs past the end of the input") }
                    length = 4 + Int((tag >> 2) & 7)
                    offset = Int(tag >> 5) << 8 | Int(src.load(fromByteOffset: ip, as: UInt8.self))
                    ip += 1
                case 2:
                    guard n - ip >= 2 else { throw ParquetError("bad Snappy stream: copy runs past the end of the input") }
                    length = 1 + Int(tag >> 2)
                    offset = Int(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: ip, as: UInt16.self)))
                    ip += 2
                default:
                    guard n - ip >= 4 else { throw ParquetError("bad Snappy stream: copy runs past the end of the input") }
                    length = 1 + Int(tag >> 2)
                    offset = Int(UInt32(littleEndian: src.loadUnaligned(fromByteOffset: ip, as: UInt32.self)))
                    ip += 4
                }
                guard offset > 0, offset <= op else { throw ParquetError("bad Snappy stream: copy offset \(offset) at output position \(op)") }
                guard outLength - op >= length else { throw ParquetError("bad Snappy stream: copy overruns the stated length") }
                if offset >= 8 && outLength - op >= length + 8 {
                    // Word by word: with the source at least 8 bytes back, every word read is already
                    // final even when source and destination overlap. At most 7 bytes past `length`
                    // are written, inside the buffer, and written over by what follows.
                    let to = UnsafeMutableRawPointer(dst + op)
                    let from = UnsafeRawPointer(dst + op - offset)
                    var k = 0
                    while k < length {
                        to.storeBytes(of: from.loadUnaligned(fromByteOffset: k, as: UInt64.self), toByteOffset: k, as: UInt64.self)
                        k += 8
                    }
                } else if offset >= length {
                    (dst + op).update(from: dst + op - offset, count: length)
                } else {
                    for k in 0..<length { dst[op + k] = dst[op - offset + k] }
                }
                op += length
            }
        }
        guard op == outLength else { throw ParquetError("bad Snappy stream: produced \(op) bytes, expected \(outLength)") }
    }
}
