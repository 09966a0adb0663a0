import SQLiteStore
/// One member of a tar stream, after applying any pax `x` record before it.
package struct TarEntry: Sendable, Equatable {
    /// The effective path (pax `path` over `prefix/name`), as raw UTF-8 decoded leniently.
    package var path: String
    package var pathBytes: [UInt8]
    /// The typeflag byte: `0`/NUL file, `1` hard link, `2` symlink, `3`/`4` devices, `5` dir, `6` FIFO, …
    package var type: UInt8
    package var size: Int64
    package var linkName: String
    package var mode: Int64

    package var isRegularFile: Bool { type == UInt8(ascii: "0") || type == 0 || type == UInt8(ascii: "7") }
}

/// Reads a tar stream (ustar, pax `x` records, GNU magic) from `source` entry by entry without
/// holding an entry in memory. Checks every header checksum; a bad one is an error, not a skip.
package final class TarReader {
    private let source: (UnsafeMutableRawBufferPointer) throws -> Int
    private let name: String
    private var buffer = [UInt8](repeating: 0, count: 1 << 20)
    private var start = 0, end = 0
    /// Body bytes (plus padding) of the current entry not yet consumed.
    private var remaining: Int64 = 0
    private var padding: Int64 = 0
    private var finished = false
    /// Offset in the uncompressed stream of the current header (for messages).
    package private(set) var offset: Int64 = 0

    package init(name: String, source: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) {
        self.name = name
        self.source = source
    }

    /// The next entry, or nil after the end-of-archive zero block(s). Skips any unread body first.
    package func next() throws -> TarEntry? {
        if finished { return nil }
        try skip(remaining)  // then the padding: a declared size near Int64.max must not overflow
        try skip(padding)
        remaining = 0
        padding = 0
        var pax: [String: [UInt8]] = [:]
        while true {
            let headerOffset = offset
            guard let header = try readBlock() else {
                throw BackupError(name, "tar stream ends without an end-of-archive marker at byte \(headerOffset)")
            }
            if header.allSatisfy({ $0 == 0 }) {
                finished = true
                return nil
            }
            try checkChecksum(header, at: headerOffset)
            let type = header[156]
            let size = try TarReader.octal(header, 124, 12, name: name, at: headerOffset)
            if type == UInt8(ascii: "x") {
                guard size <= 1 << 20 else { throw BackupError(name, "pax header of \(size) bytes at byte \(headerOffset) is too large") }
                pax = try TarReader.parsePax(try readBody(exactly: Int(size)), name: name, at: headerOffset)
                continue
            }
            if type == UInt8(ascii: "g") || type == UInt8(ascii: "L") || type == UInt8(ascii: "K") {
                throw BackupError(
                    name, "unsupported tar entry type '\(Character(UnicodeScalar(type)))' at byte \(headerOffset) (not written by homebase)")
            }
            var pathBytes = TarReader.field(header, 0, 100)
            let magic = Array(header[257..<263])
            if magic == Array("ustar".utf8) + [0] {
                let prefix = TarReader.field(header, 345, 155)
                if !prefix.isEmpty { pathBytes = prefix + [UInt8(ascii: "/")] + pathBytes }
            }
            if let path = pax["path"] { pathBytes = path }
            var entrySize = size
            if let text = pax["size"] {
                guard let value = Int64(String(decoding: text, as: UTF8.self)), value >= 0 else {
                    throw BackupError(name, "bad pax size at byte \(headerOffset)")
                }
                entrySize = value
            }
            let link = pax["linkpath"] ?? TarReader.field(header, 157, 100)
            let mode = try TarReader.octal(header, 100, 8, name: name, at: headerOffset)
            // Links, directories and devices carry no body in our reading; a declared size is still skipped.
            remaining = entrySize
            padding = (512 - entrySize % 512) % 512
            return TarEntry(
                path: String(decoding: pathBytes, as: UTF8.self), pathBytes: pathBytes, type: type, size: entrySize,
                linkName: String(decoding: link, as: UTF8.self), mode: mode)
        }
    }

    /// Streams the current entry's body to `body` in chunks.
    package func readBody(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        while remaining > 0 {
            if start == end { try fill(min(remaining, Int64(buffer.count)) + padding + 512) }  // and the next header
            let take = Int(min(Int64(end - start), remaining))
            try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<(start + take)])) }
            start += take
            offset += Int64(take)
            remaining -= Int64(take)
        }
        try skip(padding)
        padding = 0
    }

    /// Reads the rest of the decompressed stream (so the gzip trailer gets checked).
    package func drain() throws {
        while true {
            start = end
            let count = try pull(Int64(buffer.count))
            if count == 0 { return }
            end = count
            start = 0
        }
    }

    // MARK: Internals

    /// Refills the buffer from the source with about `needed` bytes (at least 64 KiB, at most the
    /// buffer): reading an archive's manifest, its first entry, with a full buffer inflated up
    /// to a megabyte of the catalog behind it for every archive a nightly lists.
    private func pull(_ needed: Int64 = 0) throws -> Int {
        let wanted = Int(min(max(needed, 1 << 16), Int64(buffer.count)))
        return try buffer.withUnsafeMutableBytes { try source(UnsafeMutableRawBufferPointer(rebasing: $0[..<wanted])) }
    }

    private func fill(_ needed: Int64) throws {
        let count = try pull(needed)
        guard count > 0 else { throw BackupError(name, "tar stream is truncated at byte \(offset)") }
        start = 0
        end = count
    }

    private func readBlock() throws -> [UInt8]? {
        var block: [UInt8] = []
        block.reserveCapacity(512)
        while block.count < 512 {
            if start == end {
                let count = try pull()
                if count == 0 {
                    if block.isEmpty { return nil }
                    throw BackupError(name, "tar stream is truncated inside a header at byte \(offset)")
                }
                start = 0
                end = count
            }
            let take = min(512 - block.count, end - start)
            block += buffer[start..<(start + take)]
            start += take
            offset += Int64(take)
        }
        return block
    }

    private func readBody(exactly count: Int) throws -> [UInt8] {
        remaining = Int64(count)
        padding = (512 - Int64(count) % 512) % 512
        var out: [UInt8] = []
        try readBody { out += $0 }
        return out
    }

    private func skip(_ count: Int64) throws {
        var left = count
        while left > 0 {
            if start == end { try fill(min(left, Int64(buffer.count)) + 512) }
            let take = Int(min(Int64(end - start), left))
            start += take
            offset += Int64(take)
            left -= Int64(take)
        }
    }

    private func checkChecksum(_ header: [UInt8], at headerOffset: Int64) throws {
        var sum = 0
        for (index, byte) in header.enumerated() { sum += (148..<156).contains(index) ? 0x20 : Int(byte) }
        let stored = try TarReader.octal(header, 148, 8, name: name, at: headerOffset)
        guard stored == sum else {
            throw BackupError(
                name, "tar header checksum mismatch at byte \(headerOffset) (stored \(stored), computed \(sum)): the archive is damaged")
        }
    }

    /// A NUL-terminated byte field.
    static func field(_ header: [UInt8], _ offset: Int, _ length: Int) -> [UInt8] {
        let slice = header[offset..<(offset + length)]
        return Array(slice.prefix { $0 != 0 })
    }

    /// An octal numeric field (spaces and NULs around the digits allowed); base-256 is refused.
    static func octal(_ header: [UInt8], _ offset: Int, _ length: Int, name: String, at headerOffset: Int64) throws -> Int64 {
        let slice = header[offset..<(offset + length)]
        if let first = slice.first, first & 0x80 != 0 {
            throw BackupError(name, "base-256 numeric field at byte \(headerOffset + Int64(offset)) is not supported")
        }
        var value: Int64 = 0
        var seenDigit = false
        for byte in slice {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "7") {
                guard value < Int64.max >> 4 else { throw BackupError(name, "numeric field overflows at byte \(headerOffset)") }
                value = value * 8 + Int64(byte - UInt8(ascii: "0"))
                seenDigit = true
            } else if byte == 0 || byte == 0x20 {
                if seenDigit { break }
            } else {
                throw BackupError(name, "bad octal field at byte \(headerOffset + Int64(offset)): the archive is damaged")
            }
        }
        return value
    }

    /// Parses pax records `"<len> key=value\n"`.
    static func parsePax(_ data: [UInt8], name: String, at headerOffset: Int64) throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        var index = 0
        while index < data.count {
            guard let space = data[index...].firstIndex(of: 0x20),
                let length = Int(String(decoding: data[index..<space], as: UTF8.self)), length > space - index,
                length <= data.count - index, data[index + length - 1] == 0x0a,
                let equals = data[(space + 1)..<(index + length)].firstIndex(of: UInt8(ascii: "="))
            else {
                throw BackupError(
                    name, "malformed pax record at byte \(headerOffset) (its length field does not fit the header): the archive is damaged")
            }
            let key = String(decoding: data[(space + 1)..<equals], as: UTF8.self)
            result[key] = Array(data[(equals + 1)..<(index + length - 1)])
            index += length
        }
        return result
    }
}
