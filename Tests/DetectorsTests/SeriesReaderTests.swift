import Foundation
import Testing
import TestSupport
@testable import Detectors

@Suite struct SeriesReaderTests {
    /// Foundation's ISO-8601 parser, an independent implementation of the instants.
    static func foundationMicros(_ text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        return formatter.date(from: text).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) * 1000 }
    }

    @Test(arguments: [
        "2026-03-01T12:34:56Z", "2024-02-29T23:59:59+02:00", "2026-12-31T00:00:00-05:30",
        "2026-06-15T08:00:00.125Z", "1999-01-01T00:00:00.5+01:00", "2026-07-04T10:20:30.250-03:00"
    ])
    func isoTimestampsMatchFoundation(_ text: String) throws {
        let expected = try #require(Self.foundationMicros(text))
        #expect(try Timestamp.parse(text).get() == expected)
    }

    @Test func spaceDateOnlyAndCompactOffsetForms() throws {
        let noon = try #require(Self.foundationMicros("2026-03-01T12:00:00Z"))
        #expect(try Timestamp.parse("2026-03-01 12:00:00").get() == noon)
        #expect(try Timestamp.parse("2026-03-01 12:00").get() == noon)
        #expect(try Timestamp.parse("2026-03-01T12:00:00").get() == noon)
        #expect(try Timestamp.parse("2026-03-01T14:00:00+0200").get() == noon)
        #expect(try Timestamp.parse("2026-03-01T14:00:00+02").get() == noon)
        // 2026-03-01 is day 20513 since 1970-01-01 (56 years incl. 14 leap days: 56·365 + 14 = 20454, + 59 days of Jan–Feb).
        #expect(try Timestamp.parse("2026-03-01").get() == 20_513 * 86_400_000_000)
    }

    @Test(arguments: [
        "2026-02-30", "2026-13-01", "26-01-01", "2026-01-01T25:00:00Z", "2026-01-01T10:00:00Q",
        "2026-01-01T10:00:00.Z", "2026/01/01", "", "2026-01-01T10", "2026-01-01T10:00:00+2:00"
    ])
    func rejectsMalformed(_ text: String) {
        #expect(throws: Timestamp.Failure.self) { try Timestamp.parse(text).get() }
    }

    static func write(_ text: String) -> (TemporaryDirectory, String) {
        let dir = TemporaryDirectory("detectors-reader")
        let path = dir.file("series.csv")
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return (dir, path)
    }

    @Test func readsValuesMissingPointsBlankLinesQuotesAndExtraColumns() throws {
        let (dir, path) = Self.write(
            "\u{FEFF}Value , note, Timestamp\r\n1.5,a,2026-01-01\n\n,b,2026-01-02\nNA,c,2026-01-03\n\"2e3\",\"x, y\",\"2026-01-04T00:00:00Z\"\n")
        defer { dir.remove() }
        let reader = try SeriesReader(path: path)
        var values: [Double?] = []
        var days: [Int64] = []
        while let p = try reader.next() {
            values.append(p.value)
            days.append(p.micros / 86_400_000_000)
        }
        #expect(values == [1.5, nil, nil, 2000])
        #expect(days == [20_454, 20_455, 20_456, 20_457])
        #expect(reader.timestampText == "2026-01-04T00:00:00Z")
    }

    @Test func badLinesNameTheirLineAndReaderCarriesOn() throws {
        let (dir, path) = Self.write(
            "timestamp,value\n2026-01-01,1\n2026-01-02,abc\n2026-01-03,2,3\nyesterday,4\n2026-01-01,5\n2026-01-06,inf\n2026-01-07,7\n")
        defer { dir.remove() }
        let reader = try SeriesReader(path: path)
        var got: [String] = []
        while true {
            do {
                guard let p = try reader.next() else { break }
                got.append("ok \(p.value ?? -1)")
            } catch {
                got.append("\(error.line) \(error.code.rawValue)")
                #expect(error.file == path && !error.fix.isEmpty)
            }
        }
        #expect(got == ["ok 1.0", "3 bad_value", "4 bad_line", "5 bad_timestamp", "6 out_of_order", "7 bad_value", "ok 7.0"])
    }

    @Test func headerProblems() throws {
        for (text, code) in [("", SeriesError.Code.missingHeader), ("\n\n", .missingHeader), ("time,value\n", .badHeader)] {
            let (dir, path) = Self.write(text)
            defer { dir.remove() }
            #expect(throws: SeriesError.self) { _ = try SeriesReader(path: path) }
            do { _ = try SeriesReader(path: path) } catch { #expect(error.code == code) }
        }
        do { _ = try SeriesReader(path: "/nonexistent/series.csv") } catch { #expect(error.code == .cannotOpen) }
    }
}
