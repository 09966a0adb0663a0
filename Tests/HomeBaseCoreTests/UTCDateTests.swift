import Foundation
import Testing
@testable import HomeBaseCore
@testable import SQLiteStore

@Suite struct UTCDateTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000000Z"),
        (Int64(951_782_400_000_000), "2000-02-29T00:00:00.000000Z"),
        (Int64(1_764_115_199_999_999), "2025-11-25T23:59:59.999999Z"),
        (Int64(-1), "1969-12-31T23:59:59.999999Z")
    ])
    func isoStrings(micros: Int64, expected: String) {
        #expect(UTCDate.isoString(micros: micros) == expected)
    }

    @Test func agreesWithFoundationOverManyDays() {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        for day in stride(from: Int64(-100_000), through: 150_000, by: 97) {  // 1696..2380: Gregorian in Foundation too
            let expected = formatter.string(from: Date(timeIntervalSince1970: Double(day) * 86400))
            #expect(UTCDate.dateString(days: day) == expected)
            #expect(UTCDate.parseDate(expected) == day)
        }
    }

    @Test func rejectsImpossibleDates() {
        #expect(UTCDate.parseDate("2026-02-29") == nil)
        #expect(UTCDate.parseDate("2026-13-01") == nil)
        #expect(UTCDate.parseDate("26-01-01") == nil)
        #expect(UTCDate.parseDate("2024-02-29") != nil)
    }
}
