import Foundation
import Testing
@testable import HomeBaseCore
@testable import TestSupport

/// Local days in IANA zones: DST days of 23 and 25 hours, half-hour zones, midnight transitions,
/// checked by hand and against Python's zoneinfo.
@Suite struct AnalysisCalendarTests {
    static let day2026 = UTCDate.days(year: 2026, month: 1, day: 1)

    static func calendar(_ zone: String) throws -> LocalCalendar {
        try #require(LocalCalendar(identifier: zone, fromDay: day2026 - 10, toDay: day2026 + 380))
    }

    @Test func newYorkDSTDaysHave23And25Hours() throws {
        let ny = try Self.calendar("America/New_York")
        let spring = UTCDate.days(year: 2026, month: 3, day: 8), fall = UTCDate.days(year: 2026, month: 11, day: 1)
        #expect(ny.secondsInDay(spring) == 23 * 3600)
        #expect(ny.secondsInDay(fall) == 25 * 3600)
        #expect(ny.secondsInDay(spring + 1) == 24 * 3600)
        // 2026-03-08T06:59:59Z is 01:59:59 EST (still the 8th); 04:59:59Z is 23:59:59 EST on the 7th.
        let at = { (h: Int64, m: Int64, s: Int64) in (spring * 86_400 + h * 3600 + m * 60 + s) * 1_000_000 }
        #expect(ny.day(ofMicros: at(6, 59, 59)) == spring)
        #expect(ny.day(ofMicros: at(4, 59, 59)) == spring - 1)
        #expect(ny.offsetSeconds(atMicros: at(6, 59, 59)) == -5 * 3600)
        #expect(ny.offsetSeconds(atMicros: at(7, 0, 0)) == -4 * 3600)
        // Local midnight of the 8th is 05:00Z; of the 9th 04:00Z (EDT).
        #expect(ny.startMicros(ofDay: spring) == at(5, 0, 0))
        #expect(ny.startMicros(ofDay: spring + 1) == at(28, 0, 0))
        #expect(LocalCalendar(identifier: "Mars/Olympus", fromDay: 0, toDay: 1) == nil)
    }

    @Test func dayStartsMatchZoneinfoAcrossAYear() throws {
        let zones = ["UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata", "America/Santiago", "Pacific/Chatham"]
        let code = """
            import sys, json, datetime, zoneinfo
            out = {}
            for name in sys.argv[1:]:
                z = zoneinfo.ZoneInfo(name)
                d = datetime.date(2026, 1, 1)
                starts = []
                for k in range(367):
                    day = d + datetime.timedelta(days=k)
                    local = datetime.datetime(day.year, day.month, day.day, tzinfo=z)
                    # A midnight inside a spring-forward gap: the day starts at the transition (first valid time).
                    utc = local.astimezone(datetime.timezone.utc)
                    if utc.astimezone(z).replace(tzinfo=None) != local.replace(tzinfo=None):
                        utc = min(datetime.datetime(day.year, day.month, day.day, h, m, tzinfo=z).astimezone(datetime.timezone.utc)
                                  for h in range(0, 3) for m in range(0, 60, 15)
                                  if datetime.datetime(day.year, day.month, day.day, h, m, tzinfo=z).astimezone(datetime.timezone.utc).astimezone(z).replace(tzinfo=None)
                                     == datetime.datetime(day.year, day.month, day.day, h, m))
                    starts.append(int(utc.timestamp()))
                out[name] = starts
            print(json.dumps(out))
            """
        let out = try PythonOracle.run(code, zones)
        let expected = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: [Int64]] ?? [:]
        #expect(expected.count == zones.count)
        for zone in zones {
            let calendar = try Self.calendar(zone)
            let starts = try #require(expected[zone])
            var mismatches: [String] = []
            for (k, seconds) in starts.enumerated() where calendar.startMicros(ofDay: Self.day2026 + Int64(k)) != seconds * 1_000_000 {
                mismatches.append(UTCDate.dateString(days: Self.day2026 + Int64(k)))
            }
            #expect(mismatches.isEmpty, "\(zone): \(mismatches.prefix(5))")
            // Every instant one second before a day start belongs to the day before; the start itself to the day.
            for k in 1..<starts.count {
                #expect(calendar.day(ofMicros: starts[k] * 1_000_000) == Self.day2026 + Int64(k))
                #expect(calendar.day(ofMicros: starts[k] * 1_000_000 - 1) == Self.day2026 + Int64(k) - 1)
            }
        }
        // Lord Howe moves its clocks by 30 minutes: 2026-04-05 has 24.5 hours.
        #expect(try Self.calendar("Australia/Lord_Howe").secondsInDay(UTCDate.days(year: 2026, month: 4, day: 5)) == 88_200)
    }
}
