import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Codecs
@testable import Backup
@testable import TestSupport

/// Our tar + gzip writer read by GNU tar, gzip and Python's tarfile; our reader on GNU tar's output.
@Suite struct BackupTarTests {
    /// Paths exercising each header form: short, a 153-byte path split into prefix/name, a 136-byte
    /// component (no split fits: pax), and a non-ASCII name (pax).
    static let paths = [
        "short.txt",
        String(repeating: "d", count: 60) + "/" + String(repeating: "e", count: 40) + "/" + String(repeating: "f", count: 51),
        "deep/" + String(repeating: "x", count: 136),
        "backup/résumé.txt",
        "empty",
        "blocks/exactly-512"
    ]

    static func contents(_ index: Int) -> [UInt8] {
        switch index {
        case 4: return []
        case 5: return [UInt8](repeating: 7, count: 512)
        default: return (0..<(1000 * index + 3)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
        }
    }

    /// Writes the paths above into `<dir>/t.tar.gz` with our writer and gzip stream.
    static func writeArchive(_ dir: TemporaryDirectory) throws -> String {
        let path = dir.file("t.tar.gz")
        let file = try RawFile.create(path)
        let deflater = try GzipDeflater(level: 6)
        let sink: (UnsafeRawBufferPointer) throws -> Void = { try file.write($0) }
        let tar = TarWriter(mtime: 1_795_647_895) { try deflater.write($0, sink: sink) }
        for (index, name) in paths.enumerated() {
            if index == 2 {
                // Through the streaming file path too.
                let source = dir.file("source")
                _ = FileManager.default.createFile(atPath: source, contents: Data(contents(index)))
                let written = try tar.addFile(path: name, from: source)
                #expect(written.size == Int64(contents(index).count))
                #expect(written.sha256 == SHA256.hex(contents(index)))
            } else {
                try tar.add(path: name, data: contents(index))
            }
        }
        try tar.finish()
        try deflater.finish(sink: sink)
        try file.syncAndClose()
        return path
    }

    @Test func gnuTarAndGzipReadOurArchive() throws {
        let dir = TemporaryDirectory("homebase-tar")
        defer { dir.remove() }
        let archive = try Self.writeArchive(dir)
        let gzipCheck = PythonOracle.launch("/bin/gzip", ["-t", archive], stdin: nil)
        #expect(gzipCheck.0 == 0 && gzipCheck.2.isEmpty)
        // ISIZE: the tar length. By hand: short 512+512; prefix-split 512+1024; pax entry
        // (512 + 512 records) + 512 + 2048; non-ASCII pax (512 + 512) + 512 + 3072; empty 512;
        // exactly-512 512+512; end 1024 → 1024+1536+3584+4608+512+1024+1024 = 13 312.
        let sizes = PythonOracle.launch("/bin/gzip", ["-l", archive], stdin: nil).1
        #expect(sizes.split(separator: "\n").last?.split(separator: " ").dropFirst().first == "13312", "\(sizes)")
        let listing = PythonOracle.launch("/bin/tar", ["-tzf", archive], stdin: nil)
        #expect(listing.0 == 0 && listing.2.isEmpty, "\(listing.2)")
        #expect(listing.1.split(separator: "\n").map(String.init) == Self.paths)
        let verbose = PythonOracle.launch("/bin/tar", ["--utc", "-tvzf", archive], stdin: nil).1
        // 1_795_647_895 s = 20_782 days (1_795_564_800 s, 2026-11-25) + 83_095 s (23:04:55).
        #expect(verbose.hasPrefix("-rw-r--r-- 0/0               3 2026-11-25 23:04 short.txt"), "\(verbose)")
        try FileManager.default.createDirectory(atPath: dir.file("x"), withIntermediateDirectories: true)
        let extract = PythonOracle.launch("/bin/tar", ["-xzf", archive, "-C", dir.file("x")], stdin: nil)
        #expect(extract.0 == 0 && extract.2.isEmpty, "\(extract.2)")
        for (index, name) in Self.paths.enumerated() {
            #expect(FileManager.default.contents(atPath: dir.file("x/" + name)) == Data(Self.contents(index)), "\(name)")
        }
    }

    @Test func pythonTarfileReadsOurArchive() throws {
        let dir = TemporaryDirectory("homebase-tar")
        defer { dir.remove() }
        let archive = try Self.writeArchive(dir)
        let out = try PythonOracle.run(
            """
            import sys, tarfile, hashlib
            with tarfile.open(sys.argv[1], 'r:gz') as t:
                for m in t.getmembers():
                    print(m.name, m.size, oct(m.mode), m.uid, m.mtime, hashlib.sha256(t.extractfile(m).read()).hexdigest())
                t.extractall(sys.argv[2], filter='data')
            """, [archive, dir.file("py")])
        let expected = Self.paths.enumerated().map { index, name in
            "\(name) \(Self.contents(index).count) 0o644 0 1795647895 \(SHA256.hex(Self.contents(index)))"
        }
        #expect(out.split(separator: "\n").map(String.init) == expected)
    }

    /// Every header checksum and the ustar magic, checked by a Python parser of the raw blocks;
    /// the stream ends in two zero blocks.
    @Test func headerBytesByPythonParser() throws {
        let dir = TemporaryDirectory("homebase-tar")
        defer { dir.remove() }
        let archive = try Self.writeArchive(dir)
        let out = try PythonOracle.run(
            """
            import sys, gzip
            data = gzip.open(sys.argv[1]).read()
            pos, bad, headers = 0, 0, 0
            while data[pos:pos+512] != bytes(512):
                h = data[pos:pos+512]
                s = sum(h[:148]) + 8 * 32 + sum(h[156:])
                if int(h[148:154], 8) != s or h[257:263] != b'ustar\\0' or h[263:265] != b'00': bad += 1
                headers += 1
                size = int(h[124:135], 8)
                pos += 512 + (size + 511) // 512 * 512
            print(headers, bad, len(data) - pos)
            """, [archive])
        // 6 entries + 2 pax headers = 8 headers; what remains is the two 512-byte end blocks.
        #expect(out == "8 0 1024\n")
    }

    /// Our reader on an archive GNU tar wrote (pax format, a long name): names, sizes, bytes.
    @Test func ourReaderReadsGnuTar() throws {
        let dir = TemporaryDirectory("homebase-tar")
        defer { dir.remove() }
        let source = dir.file("src")
        let long = "a/" + String(repeating: "L", count: 120) + "/" + String(repeating: "n", count: 110)
        try FileManager.default.createDirectory(
            atPath: source + "/" + (long as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let data = Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 * 7) })
        _ = FileManager.default.createFile(atPath: source + "/" + long, contents: data)
        let made = PythonOracle.launch("/bin/tar", ["--format=pax", "-czf", dir.file("g.tar.gz"), "-C", source, long], stdin: nil)
        #expect(made.0 == 0)
        let file = try RawFile.openForReading(dir.file("g.tar.gz"))
        let inflater = try GzipInflater(name: "g") { try file.read(into: $0) }
        let reader = TarReader(name: "g") { try inflater.read(into: $0) }
        let entry = try #require(try reader.next())
        #expect(entry.path == long && entry.size == 70_000 && entry.isRegularFile)
        var body: [UInt8] = []
        try reader.readBody { body += $0 }
        #expect(Data(body) == data)
        #expect(try reader.next() == nil)
        try reader.drain()
    }

    /// One ustar header block: octal fields and the checksum computed as the format says.
    static func header(name: String, size: Int, type: UInt8) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) { for (i, byte) in text.utf8.enumerated() { block[offset + i] = byte } }
        put(name, at: 0)
        put("0000644", at: 100)
        put(String(format: "%011o", size), at: 124)
        put("00000000000", at: 136)
        block[156] = type
        put("ustar", at: 257)
        put("00", at: 263)
        for i in 148..<156 { block[i] = 0x20 }
        put(String(format: "%06o", block.reduce(0) { $0 + Int($1) }) + "\0", at: 148)
        return block
    }

    /// A pax record declaring a size near Int64.max is an error at the next read (the stream is
    /// shorter), not an overflow that traps.
    @Test func aHugeDeclaredSizeIsATruncationNotATrap() throws {
        let record = Array("28 size=9223372036854775807\n".utf8)
        let stream =
            Self.header(name: "pax", size: record.count, type: UInt8(ascii: "x")) + record + [UInt8](repeating: 0, count: 512 - record.count)
            + Self.header(name: "huge", size: 0, type: UInt8(ascii: "0")) + [UInt8](repeating: 0, count: 1024)
        for readBodyFirst in [false, true] {
            var at = 0
            let reader = TarReader(name: "t") { out in
                let n = min(out.count, stream.count - at)
                out.copyBytes(from: stream[at..<(at + n)])
                at += n
                return n
            }
            let entry = try #require(try reader.next())
            #expect(entry.path == "huge" && entry.size == Int64.max)
            #expect(throws: BackupError.self) {
                if readBodyFirst { try reader.readBody { _ in } } else { _ = try reader.next() }
            }
        }
    }
}
