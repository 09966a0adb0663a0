import Foundation
import Testing
@testable import HomeBaseCore
@testable import Pipeline
@testable import HomeBaseCLI
@testable import TestSupport

/// `homebase anomalies score` and `homebase forecast` on files written by hand, values checked by hand.
@Suite struct DetectorCommandTests {
    static func run(_ arguments: [String]) -> (ExitCode, String, String) {
        let console = Console.capturing()
        let code = CommandLineTool.run(arguments, console: console)
        return (code, console.capturedOut, console.capturedErr)
    }

    /// `days` daily lines from 2026-01-01 with `value(i)` (nil: an empty value).
    static func series(_ dir: TemporaryDirectory, _ name: String, days: Int, _ value: (Int) -> String) throws -> String {
        var text = "timestamp,value\n"
        for i in 0..<days { text += UTCDate.dateString(days: UTCDate.days(year: 2026, month: 1, day: 1) + Int64(i)) + "," + value(i) + "\n" }
        let path = dir.file(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A flat 100 (scale = the 1 % floor = 1) then 104 on day 30: z = 4, score 4⁴ / (4⁴ + 4⁴) = 0.5 exactly;
    /// 21 warm-up days (3 weekly cycles) get no score.
    @Test func anomaliesScoreWritesTheScores() throws {
        let dir = TemporaryDirectory("det-cli")
        defer { dir.remove() }
        let input = try Self.series(dir, "s.csv", days: 31) { $0 == 30 ? "104" : "100" }
        let out = dir.file("scores.csv")
        let (code, text, _) = Self.run(["anomalies", "score", "--series", input, "--out", out])
        #expect(code == .success)
        #expect(text.contains("31 points: 10 scored, 21 warming up, 0 missing; 1 alerts"))
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 32)
        #expect(lines[0] == "timestamp,value,anomaly_score,status,expected")
        #expect(lines[1] == "2026-01-01,100.0,,warming_up,")
        #expect(lines[22] == "2026-01-22,100.0,0.000000,scored,100.0")
        #expect(lines[31] == "2026-01-31,104.0,0.500000,scored,100.0")
    }

    @Test func anomaliesShortSeriesSaysInsufficientHistory() throws {
        let dir = TemporaryDirectory("det-cli")
        defer { dir.remove() }
        let input = try Self.series(dir, "s.csv", days: 10) { _ in "5" }
        let (code, text, _) = Self.run(["anomalies", "score", "--series", input, "--out", dir.file("o.csv")])
        #expect(code == .success)
        #expect(text.contains("insufficient history"))
        #expect(
            try String(contentsOfFile: dir.file("o.csv"), encoding: .utf8).split(separator: "\n").dropFirst().allSatisfy {
                $0.hasSuffix(",warming_up,")
            })
    }

    /// Line 4 (header is line 1) has a bad value: stop with exit 1 naming file and line, or skip it
    /// with --skip-bad-lines (exit 3) and keep the other 29 points.
    @Test func anomaliesBadLines() throws {
        let dir = TemporaryDirectory("det-cli")
        defer { dir.remove() }
        let input = try Self.series(dir, "s.csv", days: 30) { $0 == 2 ? "12x" : "100" }
        let (code, _, err) = Self.run(["anomalies", "score", "--series", input, "--out", dir.file("o.csv")])
        #expect(code == .failure)
        #expect(err.contains(input + ":4: "))
        #expect(!FileManager.default.fileExists(atPath: dir.file("o.csv")))
        let (skipCode, text, skipErr) = Self.run(["anomalies", "score", "--series", input, "--out", dir.file("o.csv"), "--skip-bad-lines"])
        #expect(skipCode == .warnings)
        #expect(text.hasPrefix("29 points"))
        #expect(skipErr.contains("1 bad lines skipped") && skipErr.contains(input + ":4: "))
    }

    @Test func usageErrors() {
        #expect(Self.run(["anomalies", "score"]).0 == .usage)
        #expect(Self.run(["anomalies", "rate", "--series", "x.csv"]).0 == .usage)
        #expect(Self.run(["anomalies", "score", "--series", "x.csv", "--bogus"]).0 == .usage)
        #expect(Self.run(["forecast", "--series", "x.csv"]).0 == .usage)
        #expect(Self.run(["forecast", "--series", "x.csv", "--horizon", "0"]).0 == .usage)
        #expect(Self.run(["forecast", "--series", "x.csv", "--horizon", "seven"]).0 == .usage)
        #expect(Self.run(["forecast", "--series", "x.csv", "--horizon", "7", "--format", "xml"]).0 == .usage)
        #expect(Self.run(["forecast", "--horizon", "7"]).0 == .usage)
        let (code, _, err) = Self.run(["forecast", "--series", "/nonexistent/x.csv", "--horizon", "7"])
        #expect(code == .failure && err.contains("/nonexistent/x.csv"))
        #expect(Self.run(["--help"]).1.contains("anomalies") && Self.run(["--help"]).1.contains("forecast"))
        #expect(Self.run(["forecast", "--help"]).1.contains("--backtest"))
    }

    /// A constant 5 with day 10 missing (filled from a week earlier): every method forecasts 5 with
    /// no error, so the picker keeps the simplest (naive), sMAPE is 0, MASE is undefined (the
    /// in-sample scale is 0), and with every error 0 there is no error distribution to build
    /// intervals from: the bounds are empty (and coverage "-"), never a made-up band.
    @Test func forecastOfAConstantSeries() throws {
        let dir = TemporaryDirectory("det-cli")
        defer { dir.remove() }
        var text = "timestamp,value\n"
        for i in 0..<40 where i != 10 { text += UTCDate.dateString(days: UTCDate.days(year: 2026, month: 1, day: 1) + Int64(i)) + ",5\n" }
        let input = dir.file("c.csv")
        try text.write(toFile: input, atomically: true, encoding: .utf8)
        let (code, csv, err) = Self.run(["forecast", "--series", input, "--horizon", "3", "--backtest"])
        #expect(code == .success)
        #expect(csv == "date,forecast,lo80,hi80,lo95,hi95\n2026-02-10,5.0,,,,\n2026-02-11,5.0,,,,\n2026-02-12,5.0,,,,\n")
        #expect(err.contains("backtest: 40 days, 26 origins from day 14, steps 1-3; chosen naive"))
        #expect(err.contains("* naive                           -           -    0.00        -        -     75"))
        let (jsonCode, json, _) = Self.run(["forecast", "--series", input, "--horizon", "3", "--format", "json"])
        #expect(jsonCode == .success)
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["method"] as? String == "naive")
        #expect(object["filled_days"] as? Int == 1)
        #expect(object["history_days"] as? Int == 40)
        let backtest = try #require(object["backtest"] as? [String: Any])
        let methods = try #require(backtest["methods"] as? [[String: Any]])
        #expect(methods.count == 4)
        #expect(methods.allSatisfy { $0["smape"] as? Double == 0 && $0["mae"] as? Double == 0 && $0["mase_seasonal_naive"] == nil })
    }
}
