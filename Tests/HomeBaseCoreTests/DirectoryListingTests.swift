import Foundation
import Testing
import TestSupport

@testable import HomeBaseCore

/// `DirectoryListing` against Python's `os.scandir` and `os.stat` on a directory with every kind
/// of entry the ingest meets: files, a folder, links to each, a dangling link, a non-ASCII name.
@Suite struct DirectoryListingTests {
    @Test func entriesAndKindsMatchPython() throws {
        let dir = TemporaryDirectory("listing")
        defer { dir.remove() }
        let fm = FileManager.default
        try Data("12345".utf8).write(to: URL(fileURLWithPath: dir.file("b.jsonl")))
        try Data().write(to: URL(fileURLWithPath: dir.file("a empty.jsonl")))
        try Data(repeating: 7, count: 70_000).write(to: URL(fileURLWithPath: dir.file("é-ünïcode.jsonl")))
        try fm.createDirectory(atPath: dir.file("sub"), withIntermediateDirectories: false)
        try fm.createSymbolicLink(atPath: dir.file("link-to-file"), withDestinationPath: dir.file("b.jsonl"))
        try fm.createSymbolicLink(atPath: dir.file("link-to-dir"), withDestinationPath: dir.file("sub"))
        try fm.createSymbolicLink(atPath: dir.file("dangling"), withDestinationPath: dir.file("nowhere"))

        let python = try PythonOracle.run(
            """
            import os, sys
            for e in sorted(os.scandir(sys.argv[1]), key=lambda e: e.name):
                try:
                    s = os.stat(e.path)
                    status = f"{int(e.is_dir())} {s.st_size} {s.st_mtime_ns}"
                except FileNotFoundError:
                    status = "none"
                kind = "directory" if e.is_dir(follow_symlinks=False) else "file" if e.is_file(follow_symlinks=False) else "other"
                print(f"{e.name}|{status}|{kind}")
            """, [dir.path])
        let expected = python.split(separator: "\n").map(String.init)
        let entries = try DirectoryListing.entries(dir.path)
        let kinds = Dictionary(uniqueKeysWithValues: try DirectoryListing.kinds(dir.path).map { ($0.name, $0.kind) })
        let ours = entries.map { entry -> String in
            let status = entry.status.map { "\($0.isDirectory ? 1 : 0) \($0.size) \($0.mtimeNanos)" } ?? "none"
            return "\(entry.name)|\(status)|\(kinds[entry.name].map { "\($0)" } ?? "missing")"
        }
        #expect(entries.count == 7 && kinds.count == 7)
        #expect(ours == expected)  // Python's sort by code point is String order for these names
    }

    /// A folder large enough to be looked at on several threads (`parallelChunk` entries each):
    /// every entry keeps its own status, in name order, as Python's `os.stat` gives them.
    @Test func aLargeFolderIsListedInParallelAsPythonSeesIt() throws {
        let dir = TemporaryDirectory("listing-large")
        defer { dir.remove() }
        let fm = FileManager.default
        let count = 4 * DirectoryListing.parallelChunk + 37
        for i in 0..<count {
            let name = String(format: "s%05d.jsonl", (i * 7_919) % count)  // written out of name order
            switch i % 97 {
            case 5: try fm.createDirectory(atPath: dir.file(name), withIntermediateDirectories: false)
            case 11: try fm.createSymbolicLink(atPath: dir.file(name), withDestinationPath: dir.file("nowhere-\(i)"))
            default: try Data(repeating: UInt8(i % 251), count: i % 1_000).write(to: URL(fileURLWithPath: dir.file(name)))
            }
        }
        let python = try PythonOracle.run(
            """
            import os, sys
            for e in sorted(os.scandir(sys.argv[1]), key=lambda e: e.name):
                try:
                    s = os.stat(e.path)
                    print(f"{e.name}|{int(e.is_dir())} {s.st_size} {s.st_mtime_ns}")
                except FileNotFoundError:
                    print(f"{e.name}|none")
            """, [dir.path])
        let entries = try DirectoryListing.entries(dir.path)
        let ours = entries.map { entry in
            "\(entry.name)|" + (entry.status.map { "\($0.isDirectory ? 1 : 0) \($0.size) \($0.mtimeNanos)" } ?? "none")
        }
        #expect(entries.count == count)
        #expect(ours == python.split(separator: "\n").map(String.init))
        #expect(ours.filter { $0.hasSuffix("|none") }.count == (0..<count).filter { $0 % 97 == 11 }.count)
    }

    @Test func aMissingDirectoryIsNamedInTheError() {
        #expect(throws: DirectoryListing.Failure.self) { try DirectoryListing.entries("/nonexistent/listing") }
        do {
            _ = try DirectoryListing.kinds("/nonexistent/listing")
            Issue.record("listed a missing directory")
        } catch {
            #expect(error.path == "/nonexistent/listing" && error.message.contains("No such file"))
        }
    }
}
