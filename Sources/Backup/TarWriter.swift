import HomeBaseCore
import SQLiteStore
/// Writes a POSIX tar stream (ustar headers; a pax `x` record first when a path does not fit the
/// 100+155-byte name/prefix split or is not ASCII) to `sink`, one 512-byte-aligned entry at a time.
/// Every entry is a regular file, mode 0644, owner 0:0, with the given mtime, so output is deterministic.
package final class TarWriter {
    private let sink: (UnsafeRawBufferPointer) throws -> Void
    private let mtime: Int64
    private var buffer = [UInt8](repeating: 0, count: 1 << 20)

    /// `mtime` in epoch seconds for every entry.
    package init(mtime: Int64, sink: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.mtime = mtime
        self.sink = sink
    }

    /// Adds an entry holding `data`.
    package func add(path: String, data: [UInt8]) throws {
        try emit(TarWriter.headerBlocks(path: path, size: Int64(data.count), mtime: mtime))
        try emit(data)
        try pad(Int64(data.count))
    }

    /// Streams the file at `sourcePath` into an entry named `path`; returns its size and SHA-256,
    /// hashed while writing (empty without `hashing`). Fails if the file's size changes while it is read.
    package func addFile(path: String, from sourcePath: String, hashing: Bool = true) throws -> (size: Int64, sha256: String) {
        let file = try RawFile.openForReading(sourcePath)
        defer { file.close() }
        let size = try file.size()
        try emit(TarWriter.headerBlocks(path: path, size: size, mtime: mtime))
        var hasher = SHA256()
        var copied: Int64 = 0
        try buffer.withUnsafeMutableBytes { raw in
            while true {
                let count = try file.read(into: raw)
                if count == 0 { break }
                let chunk = UnsafeRawBufferPointer(rebasing: raw[0..<count])
                copied += Int64(count)
                guard copied <= size else { break }
                if hashing { hasher.update(chunk) }
                try sink(chunk)
            }
        }
        guard copied == size else {
            throw BackupError(sourcePath, "changed size while being archived (\(size) bytes at the start, \(copied) read)")
        }
        try pad(size)
        return (size, hashing ? hasher.finalizeHex() : "")
    }

    /// Two zero blocks: the end-of-archive marker.
    package func finish() throws {
        try emit([UInt8](repeating: 0, count: 1024))
    }

    private func emit(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try sink($0) }
    }

    private func pad(_ size: Int64) throws {
        let remainder = Int(size % 512)
        if remainder != 0 { try emit([UInt8](repeating: 0, count: 512 - remainder)) }
    }

    // MARK: Headers

    /// The header block(s) for one regular file: a pax record entry first when needed, then ustar.
    package static func headerBlocks(path: String, size: Int64, mtime: Int64) -> [UInt8] {
        let bytes = Array(path.utf8)
        let maxOctalSize: Int64 = 0o77777777777
        if let (prefix, name) = split(bytes), size <= maxOctalSize {
            return ustar(name: name, prefix: prefix, size: size, mtime: mtime, type: UInt8(ascii: "0"))
        }
        var records = paxRecord(key: "path", value: bytes)
        if size > maxOctalSize { records += paxRecord(key: "size", value: Array(String(size).utf8)) }
        let shortName = Array(bytes.filter { $0 < 0x80 }.suffix(99))
        var out = ustar(
            name: Array("PaxHeaders/".utf8) + Array(shortName.suffix(80)), prefix: [],
            size: Int64(records.count), mtime: mtime, type: UInt8(ascii: "x"))
        out += records
        if records.count % 512 != 0 { out += [UInt8](repeating: 0, count: 512 - records.count % 512) }
        out += ustar(name: shortName, prefix: [], size: min(size, maxOctalSize), mtime: mtime, type: UInt8(ascii: "0"))
        return out
    }

    /// Splits an ASCII path into (prefix ≤ 155, name ≤ 100) at a `/`, or nil when no split fits.
    static func split(_ path: [UInt8]) -> (prefix: [UInt8], name: [UInt8])? {
        guard !path.isEmpty, path.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) else { return nil }
        if path.count <= 100 { return ([], path) }
        for index in path.indices.reversed() where path[index] == UInt8(ascii: "/") {
            let prefix = Array(path[..<index]), name = Array(path[(index + 1)...])
            if name.count > 100 { return nil }
            if prefix.count <= 155, !name.isEmpty { return (prefix, name) }
        }
        return nil
    }

    /// `"<len> key=value\n"` where len counts the whole record, its own digits included.
    static func paxRecord(key: String, value: [UInt8]) -> [UInt8] {
        let body = Array(" \(key)=".utf8) + value + [0x0a]
        var length = body.count + 1
        while String(length).utf8.count + body.count != length { length = String(length).utf8.count + body.count }
        return Array(String(length).utf8) + body
    }

    static func ustar(name: [UInt8], prefix: [UInt8], size: Int64, mtime: Int64, type: UInt8) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ bytes: [UInt8], at offset: Int) { for (i, byte) in bytes.enumerated() { header[offset + i] = byte } }
        func octal(_ value: Int64, width: Int) -> [UInt8] {
            let digits = String(value, radix: 8)
            return Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8) + [0]
        }
        put(Array(name.prefix(100)), at: 0)
        put(octal(0o644, width: 8), at: 100)
        put(octal(0, width: 8), at: 108)
        put(octal(0, width: 8), at: 116)
        put(octal(size, width: 12), at: 124)
        put(octal(mtime, width: 12), at: 136)
        header[156] = type
        put(Array("ustar".utf8) + [0], at: 257)
        put(Array("00".utf8), at: 263)
        put(Array(prefix.prefix(155)), at: 345)
        put([UInt8](repeating: 0x20, count: 8), at: 148)
        let sum = header.reduce(0) { $0 + Int($1) }
        let digits = String(sum, radix: 8)
        put(Array((String(repeating: "0", count: max(0, 6 - digits.count)) + digits).utf8) + [0, 0x20], at: 148)
        return header
    }
}
