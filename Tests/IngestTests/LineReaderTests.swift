import Foundation
import Testing
@testable import Ingest
@testable import TestSupport

@Suite struct LineReaderTests {
    func lines(_ content: [UInt8], from offset: Int64 = 0, blockOverride: Bool = false) throws -> ([String], [Int64], [Bool], Int64) {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("f.jsonl")
        FileManager.default.createFile(atPath: path, contents: Data(content))
        var texts: [String] = [], offsets: [Int64] = [], terminated: [Bool] = []
        let end = try LineReader(path: path).forEachLine(from: offset, firstLineNumber: 1) { line, _, byteOffset, done in
            texts.append(String(decoding: line, as: UTF8.self)); offsets.append(byteOffset); terminated.append(done)
        }
        return (texts, offsets, terminated, end)
    }

    @Test func splitsLinesAndReportsTornTail() throws {
        let (texts, offsets, terminated, end) = try lines(Array("a\r\nbb\n\nccc".utf8))
        #expect(texts == ["a", "bb", "", "ccc"])
        #expect(offsets == [0, 3, 6, 7])
        #expect(terminated == [true, true, true, false])
        #expect(end == 7)
    }

    @Test func resumesFromOffset() throws {
        let (texts, _, _, end) = try lines(Array("a\nbb\nccc\n".utf8), from: 2)
        #expect(texts == ["bb", "ccc"])
        #expect(end == 9)
    }

    @Test func linesLongerThanTheBlock() throws {
        let long = [UInt8](repeating: 0x61, count: LineReader.blockSize * 2 + 17)
        let (texts, _, _, end) = try lines(Array("x\n".utf8) + long + [0x0A] + Array("y\n".utf8))
        #expect(texts.count == 3 && texts[1].utf8.count == long.count && texts[2] == "y")
        #expect(end == Int64(long.count + 5))
    }

    @Test func missingFileIsAnError() {
        #expect(throws: LineReader.Failure.self) {
            _ = try LineReader(path: "/nonexistent/x").forEachLine(from: 0, firstLineNumber: 1) { _, _, _, _ in }
        }
    }
}
