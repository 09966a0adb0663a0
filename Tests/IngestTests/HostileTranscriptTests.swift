import Foundation
import Testing
@testable import HomeBaseCore
@testable import Parquet
@testable import Ingest
@testable import Analytics
@testable import HomeBaseCLI
@testable import TestSupport

/// The J* cases of `Fixtures/hostile/` through the real `homebase ingest` and `homebase query`.
/// Every fixture is a session header plus assistant calls whose good lines each log 184 input
/// tokens and $0.009328000000000001; the expected counts below are read off the files by hand.
@Suite(.serialized) struct HostileTranscriptTests {
    /// (line, reason) of every quarantined row, by line.
    static func quarantine(_ fixture: HostileFixture) -> [String] {
        fixture.query("SELECT source_line, reason FROM quarantine ORDER BY source_line").rows
    }

    @Test func tokenCountNearInt64MaxIsQuarantinedNotATrap() throws {
        let fixture = try HostileFixture("J1_ingest_crash_token_overflow")
        defer { fixture.remove() }
        let run = fixture.ingest()
        #expect(run.code == .warnings, "\(run)")
        #expect(fixture.query("SELECT count(*), sum(input_tokens), group_concat(source_line, ' ') FROM requests").rows == ["2,368,2 4"])
        let bad = Self.quarantine(fixture)
        #expect(bad.count == 1 && bad[0].hasPrefix("3,") && bad[0].contains("usage.input = 9223372036854775807"), "\(bad)")
        // The next run reads nothing again and still does not trap.
        #expect(fixture.ingest().code == .success)
    }

    @Test func infiniteCostNeverEntersTheLake() throws {
        let fixture = try HostileFixture("J2_cost_1e400_inf")
        defer { fixture.remove() }
        #expect(fixture.ingest().code == .warnings)
        let rows = fixture.query("SELECT count(*), sum(cost_logged_usd = 0.009328000000000001), max(cost_usd) < 1 FROM requests").rows
        #expect(rows == ["2,2,1"], "\(rows)")
        let bad = Self.quarantine(fixture)
        #expect(bad.count == 1 && bad[0].hasPrefix("3,") && bad[0].contains("usage.cost.total = 1e400 is not a finite amount"), "\(bad)")
    }

    @Test func fiveExaTokenCallsAreQuarantinedAndAnalyzeRuns() throws {
        let fixture = try HostileFixture("J3_analyze_crash_token_sum")
        defer { fixture.remove() }
        #expect(fixture.ingest().code == .warnings)
        #expect(fixture.query("SELECT count(*), sum(input_tokens) FROM requests").rows == ["2,368"])
        let bad = Self.quarantine(fixture)
        #expect(bad.count == 2 && bad[0].hasPrefix("3,") && bad[1].hasPrefix("4,"), "\(bad)")
        #expect(bad.allSatisfy { $0.contains("usage.input = 5000000000000000000 is not a token count in -1000000000...1000000000") }, "\(bad)")
        let analyze = HostileFixture.run(
            AnalyzeCommand(),
            [
                "--data", fixture.dataDir, "--from", "2026-08-31", "--to", "2026-08-31",
                "--out", fixture.dir.path + "/analysis.json"
            ])
        #expect(analyze.code == .success, "\(analyze)")
    }

    @Test func year9999CallIsVisibleToQuery() throws {
        let fixture = try HostileFixture("J4_year9999_call_invisible")
        defer { fixture.remove() }
        #expect(fixture.ingest().code == .success)
        #expect(fixture.query("SELECT count(*) FROM requests").rows == ["3"])
        let last = fixture.query("SELECT date, ts, source_line FROM requests WHERE date > '2026-12-31'").rows
        #expect(last == ["9999-12-31,9999-12-31T23:59:59.000000Z,3"], "\(last)")
        #expect(fixture.query("SELECT count(*) FROM requests WHERE date >= '9999-01-01'").rows == ["1"])
        // analyze sees it too (its read bound past 9999-12-31 was "10000-01-01", before it as text).
        let out = fixture.dir.path + "/a.json"
        let analyzed = HostileFixture.run(AnalyzeCommand(), ["--data", fixture.dataDir, "--from", "9999-12-31", "--to", "9999-12-31", "--out", out])
        #expect(analyzed.code == .success && analyzed.out.hasPrefix("analysed 1 calls, 1 days (9999-12-31 to 9999-12-31, UTC)"), "\(analyzed)")
        // The default range (every day with data) is 2026-08-31…9999-12-31: refused with what to do, not a 34 TB allocation.
        let all = HostileFixture.run(AnalyzeCommand(), ["--data", fixture.dataDir, "--out", out])
        #expect(all.code == .failure, "\(all)")
        #expect(
            (all.err + all.out).contains("the days to analyse run from 2026-08-31 to 9999-12-31 (2912201 days); analyse at most 3660 days"), "\(all)")
    }

    @Test func fiveDigitYearIsRefusedAtIngestWithTheYear() throws {
        let fixture = try HostileFixture("J4b_year58634_ts_wraps")
        defer { fixture.remove() }
        #expect(fixture.ingest().code == .warnings)
        #expect(fixture.query("SELECT count(*), min(date), max(date) FROM requests").rows == ["2,2026-08-31,2026-08-31"])
        let bad = Self.quarantine(fixture)
        #expect(bad.count == 1 && bad[0].hasPrefix("3,") && bad[0].contains("year 58634, outside 0001-9999"), "\(bad)")
    }

    @Test func tokenCountBeyondInt64IsQuarantinedNotZero() throws {
        let fixture = try HostileFixture("J5_input_out_of_range_becomes_0")
        defer { fixture.remove() }
        #expect(fixture.ingest().code == .warnings)
        #expect(fixture.query("SELECT count(*), min(input_tokens) FROM requests").rows == ["2,184"])
        let bad = Self.quarantine(fixture)
        #expect(bad.count == 1 && bad[0].hasPrefix("3,") && bad[0].contains("usage.input = 18446744073709551616"), "\(bad)")
    }

    @Test func byteOrderMarkKeepsTheFirstCall() throws {
        let fixture = try HostileFixture("J6_bom_first_line_lost")
        defer { fixture.remove() }
        let run = fixture.ingest()
        #expect(run.code == .success, "\(run)")
        #expect(fixture.query("SELECT group_concat(source_line, ' '), sum(input_tokens) FROM requests").rows == ["1 2 3,552"])
        #expect(Self.quarantine(fixture).isEmpty)
    }

    @Test func carriageReturnOnlyLinesAreRead() throws {
        let fixture = try HostileFixture("J7_cr_only_file_ignored")
        defer { fixture.remove() }
        let run = fixture.ingest()
        #expect(run.code == .success, "\(run)")
        #expect(!run.out.contains("being written"), "\(run.out)")
        #expect(fixture.query("SELECT group_concat(source_line, ' '), sum(input_tokens) FROM requests").rows == ["2 3 4,552"])
        // Committed to the end: the second run finds nothing new.
        #expect(fixture.ingest().code == .success)
        #expect(fixture.query("SELECT count(*) FROM requests").rows == ["3"])
    }

    /// A lake written before ingest checked ranges (J3 went in whole): the analysis refuses the
    /// part naming the row instead of trapping on the sum 5e18 + 5e18.
    @Test func analysisRefusesOldPartsWithOutOfRangeTokens() throws {
        func table(input: [Int64], cost: [Double]) -> [ColumnData] {
            let n = input.count
            let text = { (v: String) in ColumnData(.byteArray(ByteArrayColumn(Array(repeating: v, count: n)))) }
            return [
                ColumnData(.int64(Array(repeating: 1_788_162_100_000_000, count: n))), text("main"), text("s"), text("e"),
                text("openai"), text("gpt-5.2"), ColumnData(.int64(input)), ColumnData(.int64(Array(repeating: 0, count: n))),
                ColumnData(.int64(Array(repeating: 0, count: n))), ColumnData(.int64(Array(repeating: 0, count: n))),
                ColumnData(.int64(input)), ColumnData(.double(cost)), text("logged"), ColumnData(.double(Array(repeating: 1, count: n))),
                text("ok"), ColumnData(.byteArray(ByteArrayColumn(Array(repeating: "", count: n))), validity: Array(repeating: false, count: n)),
                ColumnData(.byteArray(ByteArrayColumn(Array(repeating: "", count: n))), validity: Array(repeating: false, count: n))
            ]
        }
        let calendar = try #require(LocalCalendar(identifier: "UTC", fromDay: 20_000, toDay: 20_800))
        var calls = CallTable()
        #expect(
            throws: AnalysisError.badPart(file: "p.parquet", reason: "row 2: input_tokens 5000000000000000000 is outside -1000000000...1000000000")
        ) {
            try calls.append(
                table(input: [184, 5_000_000_000_000_000_000, 5_000_000_000_000_000_000], cost: [1, 1, 1]),
                calendar: calendar, file: "p.parquet")
        }
        #expect(throws: AnalysisError.badPart(file: "p.parquet", reason: "row 1: cost_usd is inf")) {
            try calls.append(table(input: [184], cost: [.infinity]), calendar: calendar, file: "p.parquet")
        }
        var wrapped = table(input: [184], cost: [1])
        wrapped[0] = ColumnData(.int64([1_788_162_200_000_000_000]))  // J4b's year 58634, as an older build stored it
        #expect(throws: AnalysisError.badPart(file: "p.parquet", reason: "row 1: ts 1788162200000000000 µs is outside years 0001-9999")) {
            try calls.append(wrapped, calendar: calendar, file: "p.parquet")
        }
        try calls.append(table(input: [184, -495], cost: [1, 2]), calendar: calendar, file: "p.parquet")
        #expect(calls.inputTokens == [184, -495])
    }

    /// A gateway tslog time before 0001-01-01 UTC (0000-01-01T00:30+01:00 is 23:30 UTC on the last day of year -1) is
    /// quarantined rather than written under a `date=` partition it cannot name.
    @Test func gatewayTimeOutsideTheYearsIsQuarantined() {
        var parser = GatewayLogParser(sourceFile: "/tmp/openclaw/openclaw-2026-05-20.log")
        let good =
            #"{"0":"{\"subsystem\":\"agent/embedded\"}","1":{"event":"embedded_run_failover_decision","decision":"rotate_profile","failoverReason":"rate_limit","provider":"anthropic","model":"m"},"2":"embedded run failover decision","_meta":{"name":"{\"subsystem\":\"agent/embedded\"}","date":"2026-05-20T08:11:02.507Z","logLevelName":"WARN"},"time":"2026-05-20T10:11:02.508+02:00"}"#
        var control = good
        guard case .event = control.withUTF8({ parser.parse(line: UnsafeRawBufferPointer($0), lineNumber: 1, byteOffset: 0) }) else {
            Issue.record("the control line should be an event")
            return
        }
        var line = good.replacingOccurrences(of: "2026-05-20T08:11:02.507Z", with: "0000-01-01T00:30:00+01:00")
            .replacingOccurrences(of: "2026-05-20T10:11:02.508+02:00", with: "0000-01-01T00:30:00+01:00")
        let result = line.withUTF8 { parser.parse(line: UnsafeRawBufferPointer($0), lineNumber: 1, byteOffset: 0) }
        guard case .quarantine(let reason) = result else {
            Issue.record("expected a quarantine, got \(result)")
            return
        }
        #expect(
            reason
                == "time '0000-01-01T00:30:00+01:00' is in year -1, outside 0001-9999 (the years the lake's dates hold); fix the timestamp in the source line (file offset 0)"
        )
    }
}
