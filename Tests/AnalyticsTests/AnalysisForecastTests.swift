import Foundation
import Testing
@testable import HomeBaseCore
@testable import Analytics
@testable import TestSupport

/// The month-end projection and overrun day by hand (the forecast methods and their backtest are
/// Detectors' and tested there; AnalysisDetectorTests checks analyze's use of them).
@Suite struct AnalysisForecastTests {
    /// The nightly's analysis (the lake's days up to 06-30, as of the start of 07-01) and its daily
    /// report's (06-30 alone, as of its last instant) fit the same histories: the report's takes
    /// every forecast from the nightly's memo (no new entry) and is the same analysis as without it.
    @Test func aReportTakesTheNightlysForecastsFromTheMemo() throws {
        let lake = try AnalysisOracle.Lake(days: 35, agents: 3, callsPerDay: 20, seed: 5)
        defer { lake.remove() }
        let calendar = try #require(
            LocalCalendar(identifier: "Europe/Berlin", fromDay: GenerateFixture.endDay - 5, toDay: GenerateFixture.endDay + 5))
        let startOfJuly = calendar.startMicros(ofDay: GenerateFixture.endDay + 1)
        let memo = ForecastMemo()
        let nightly = try lake.analyze {
            $0.timeZone = "Europe/Berlin"
            $0.to = "2026-06-30"
            $0.now = startOfJuly
            $0.forecastMemo = memo
        }
        let fitted = memo.count
        #expect(fitted == 1 + nightly.forecasts.by_agent.count && fitted == 4, "\(fitted)")
        func report(_ memo: ForecastMemo?) throws -> Analysis {
            try lake.analyze {
                $0.timeZone = "Europe/Berlin"
                ($0.from, $0.to) = ("2026-06-30", "2026-06-30")
                $0.now = startOfJuly - 1
                $0.forecastMemo = memo
            }
        }
        let shared = try report(memo)
        #expect(memo.count == fitted, "the report fitted again")
        #expect(shared.forecasts.overall?.backtest != nil)
        #expect(shared == (try report(nil)))
        // Month end is June's for the report (its now is 06-30), July's for the nightly: only the fit is shared.
        #expect(shared.forecasts.overall?.month_end.month == "2026-06" && nightly.forecasts.overall?.month_end.month == "2026-07")
    }

    /// The reports' analyses take the parts the nightly's analysis kept as decoded (its last 58
    /// days of an 80-day lake) and are the same analyses as when they decode the lake themselves:
    /// the daily one from kept parts only, a weekly one from kept parts and older ones it decodes,
    /// continuing the nightly's names. Another zone, or a keeping analysis that never finished,
    /// leaves them to decode everything.
    @Test func reportsTakeTheNightlysDecodedParts() throws {
        let lake = try AnalysisOracle.Lake(days: 80, agents: 3, callsPerDay: 15, seed: 9)
        defer { lake.remove() }
        let zone = "Europe/Berlin"
        let calendar = try #require(LocalCalendar(identifier: zone, fromDay: GenerateFixture.endDay - 5, toDay: GenerateFixture.endDay + 5))
        let endOfJune = calendar.startMicros(ofDay: GenerateFixture.endDay + 1)
        let decoded = DecodedParts.forDailyReport(lastDay: GenerateFixture.endDay)
        _ = try lake.analyze {
            $0.timeZone = zone
            $0.to = "2026-06-30"
            $0.now = endOfJune
            $0.decodedParts = decoded
        }
        #expect(decoded.isSealed && decoded.kept.parts > 50 && decoded.kept.parts < 70, "\(decoded.kept)")
        func report(from: String, zone: String = zone, _ parts: DecodedParts?) throws -> Analysis {
            try lake.analyze {
                $0.timeZone = zone
                ($0.from, $0.to) = (from, "2026-06-30")
                $0.now = endOfJune - 1
                $0.decodedParts = parts
            }
        }
        for from in ["2026-06-30", "2026-06-24"] {
            let before = decoded.taken
            let shared = try report(from: from, decoded)
            #expect(decoded.taken > before, "\(from): nothing taken")
            #expect(shared == (try report(from: from, nil)), "\(from)")
            #expect(shared.cost.total.calls > 0 && shared.recommendations != nil)
        }
        let taken = decoded.taken
        _ = try report(from: "2026-06-30", zone: "Asia/Kathmandu", decoded)
        #expect(decoded.taken == taken, "another zone's days are not these tables'")
        let unfinished = DecodedParts.forDailyReport(lastDay: GenerateFixture.endDay)
        #expect(try report(from: "2026-06-30", unfinished) == (try report(from: "2026-06-30", nil)) && unfinished.taken == 0)
    }

    @Test func monthEndProjectionAndOverrunDayByHand() throws {
        // now = 2026-06-28T12:00Z (UTC): half of the 28th is left. Actual: $1 on each of June 1…28 = $28.
        // Forecast from the 28th: $4 a day. Projected = 28 + 4·0.5 (rest of the 28th) + 4 (29th) + 4 (30th) = 38.
        // Budget 33: running total 27 after the 27th, 28 + 2 = 30 after the 28th, 34 after the 29th → overrun on the 29th.
        let june28 = UTCDate.days(year: 2026, month: 6, day: 28)
        var options = AnalysisOptions(dataDir: "/nonexistent", generatedAt: 0)
        options.now = (june28 * 86_400 + 12 * 3600) * 1_000_000
        let calendar = try #require(LocalCalendar(identifier: "UTC", fromDay: june28 - 40, toDay: june28 + 40))
        let points = (0..<30).map { _ in Analysis.ForecastPoint(date: "", mean: 4) }
        let (end, overrun) = Analyzer.monthEnd(
            calendar, now: options.now!, points: points, firstDay: june28, actual: 28,
            dailyActual: Array(repeating: 1, count: 28), budget: 33)
        #expect(end.month == "2026-06")
        #expect(end.actual_usd == 28)
        #expect(end.projected_usd == 38)
        #expect(overrun == "2026-06-29")
        // A budget the month never reaches has no overrun day.
        #expect(
            Analyzer.monthEnd(
                calendar, now: options.now!, points: points, firstDay: june28, actual: 28, dailyActual: Array(repeating: 1, count: 28), budget: 40
            ).overrun
                == nil)
    }
}
