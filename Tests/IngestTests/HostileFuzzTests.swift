import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore
@testable import Lake
@testable import Ingest
@testable import TestSupport

/// Seeded mutations of the hostile fixtures through the transcript parser and the invoice
/// reader: whatever comes back must be in range (tokens within ±10^9, finite money, times in
/// 0001-9999) or a quarantine/typed error; a trap ends the test process, so it cannot pass
/// silently. `make fuzz` runs many more iterations (FUZZ_ITERATIONS).
@Suite struct HostileFuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["FUZZ_ITERATIONS"] ?? "") ?? 400
    static let numbers = [
        "9223372036854775807", "-9223372036854775808", "18446744073709551616", "1e400", "-1e400", "1e-400",
        "99999999999999999999", "0.5", "-1", "253402300800000", "-62135596800001", "NaN", "\"12\"", "null", "1e18"
    ]

    static func mutate(_ bytes: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var out = bytes
        guard !out.isEmpty else { return out }
        switch random.next() % 4 {
        case 0:  // flip a bit
            let at = Int(random.next() % UInt64(out.count))
            out[at] ^= 1 << UInt8(random.next() % 8)
        case 1:  // truncate
            out.removeLast(Int(random.next() % UInt64(out.count)))
        default:  // replace a run of digits with a hostile number
            let digits = out.indices.filter { out[$0] >= 0x30 && out[$0] <= 0x39 }
            guard let start = digits.isEmpty ? nil : digits[Int(random.next() % UInt64(digits.count))] else { return out }
            var end = start
            while end < out.count && ((out[end] >= 0x30 && out[end] <= 0x39) || out[end] == UInt8(ascii: ".")) { end += 1 }
            out.replaceSubrange(start..<end, with: Array(numbers[Int(random.next() % UInt64(numbers.count))].utf8))
        }
        return out
    }

    static func fixtures(_ prefix: String) throws -> [(String, [UInt8])] {
        let root = HostileFixture.root
        var found: [(String, [UInt8])] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: root).sorted() where name.hasPrefix(prefix) {
            let walker = FileManager.default.enumerator(atPath: root + "/" + name)
            while let relative = walker?.nextObject() as? String {
                let path = root + "/" + name + "/" + relative
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                    found.append((path, [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))))
                }
            }
        }
        return found
    }

    @Test func transcriptLinesStayInRange() throws {
        let lines = try Self.fixtures("J").flatMap { _, bytes in bytes.split(whereSeparator: { $0 == 0x0A || $0 == 0x0D }).map(Array.init) }
        try #require(!lines.isEmpty)
        var random = SplitMix64(seed: 26)
        var outOfRange: [String] = []
        for n in 0..<Self.iterations {
            let line = Self.mutate(lines[n % lines.count], &random)
            var parser = TranscriptParser(agentId: "a", sourceFile: "f.jsonl", fileSessionId: "s")
            let result = line.withUnsafeBytes { parser.parse(line: $0, lineNumber: 1, byteOffset: 0) }
            guard case .call(let call) = result else { continue }
            let tokens = [call.inputTokens, call.outputTokens, call.cacheReadTokens, call.cacheWriteTokens, call.totalTokens]
            if !tokens.allSatisfy({ abs($0) <= CallRange.maxTokens }) || !(call.costLoggedUSD?.isFinite ?? true)
                || call.timestampMicros < CallRange.minMicros || call.timestampMicros > CallRange.maxMicros
            {
                outOfRange.append(String(decoding: line.prefix(200), as: UTF8.self))
            }
        }
        #expect(outOfRange.isEmpty, "\(outOfRange.prefix(3))")
    }

    @Test func invoiceExportsStayInRange() throws {
        let files = try Self.fixtures("I_")
        try #require(!files.isEmpty)
        var random = SplitMix64(seed: 2026)
        var outOfRange: [String] = []
        for n in 0..<Self.iterations {
            let (path, bytes) = files[n % files.count]
            let mutant = Self.mutate(bytes, &random)
            guard let result = try? InvoiceFile.parse(mutant, path: path, aliases: .shipped) else { continue }  // typed refusal
            for line in result.lines {
                let money = [line.billedCost?.doubleValue, line.consumedQuantity].compactMap { $0 }
                if !money.allSatisfy(\.isFinite) || line.chargePeriodStart < CallRange.minMicros || line.chargePeriodStart > CallRange.maxMicros {
                    outOfRange.append("\(path) iteration \(n)")
                }
            }
        }
        #expect(outOfRange.isEmpty, "\(outOfRange.prefix(3))")
    }
}
