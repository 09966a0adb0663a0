import Foundation
import Testing
@testable import HomeBaseCore
@testable import Detectors
@testable import Config
@testable import Analytics
@testable import TestSupport

/// `analyze` with the Detectors scorer and forecaster on a lake whose every call is known: 90 days
/// from 2026-03-01 of one agent, 5 calls a day; cost 10 + a weekly profile + seeded noise (σ 0.3),
/// a level shift to 20 from day 50 that stays, and a spike of 60 on day 70.
@Suite struct AnalysisDetectorTests {
    static let firstDay = UTCDate.days(year: 2026, month: 3, day: 1)
    static let profile = [0.0, 0.8, 1.2, 0.6, -0.4, -1.0, -1.2]

    /// The cost of each of the 90 days.
    static func dailyCost() -> [Double] {
        var random = SplitMix64(seed: 23)
        return (0..<90).map { d in
            let noise = (Double(random.next() >> 11) / Double(1 << 53) - 0.5) * 0.3 * 12.0.squareRoot()
            if d == 70 { return 60 }
            return (d >= 50 ? 20 : 10) + profile[d % 7] + noise
        }
    }

    static func makeLake() throws -> QueryTestLake {
        let lake = QueryTestLake()
        var calls: [QueryTestLake.Call] = []
        for (d, cost) in dailyCost().enumerated() {
            let date = UTCDate.dateString(days: firstDay + Int64(d))
            for k in 0..<5 { calls.append(QueryTestLake.Call(ts: "\(date)T12:0\(k):00Z", agent: "a1", cost: cost / 5)) }
        }
        try lake.commit(calls, committedMicros: 1)
        return lake
    }

    /// Range: days 45…89; the scorer is fed the 45 days before it (all the lake has).
    static func analyze(_ lake: QueryTestLake) throws -> Analysis {
        var options = AnalysisOptions(dataDir: lake.dataDir, generatedAt: 0)
        options.from = UTCDate.dateString(days: firstDay + 45)
        options.to = UTCDate.dateString(days: firstDay + 89)
        options.now = (firstDay + 90) * 86_400_000_000
        return try Analyzer(options: options).run()
    }

    @Test func spikeAndShiftFlaggedNotTheNewNormal() throws {
        let lake = try Self.makeLake()
        defer { lake.dir.remove() }
        let analysis = try Self.analyze(lake)
        let label = { (d: Int) in UTCDate.dateString(days: Self.firstDay + Int64(d)) }
        let cost = analysis.anomalies.flagged.filter { $0.metric == "cost_usd" && $0.period == "day" }
        let days = Set(cost.map(\.at))
        // The spike, and the shift's first days up to the one that confirms it; nothing on the new normal after.
        #expect(days.contains(label(70)), "\(days.sorted())")
        #expect(days.contains(label(50)), "\(days.sorted())")
        #expect(days.isSubset(of: [label(50), label(51), label(52), label(70)]), "\(days.sorted())")
        let fleet = try #require(analysis.anomalies.daily.first { $0.agent_id == nil && $0.metric == "cost_usd" })
        #expect(fleet.scores.count == 45)
        let status = try #require(fleet.status)
        #expect(status[52 - 45] == "level_shift", "\(status)")
        #expect(status.allSatisfy { $0 == "scored" || $0 == "level_shift" })
        // The spike: expected near the new normal, score near 1.
        let spike = try #require(cost.first { $0.at == label(70) })
        #expect(abs(spike.expected - (20 + Self.profile[0])) < 1.5, "\(spike.expected)")
        #expect(try #require(spike.anomaly_score) > 0.99)
        #expect(spike.reason?.contains("expected for that day") == true)
        // Calls are flat (5 a day) and there are no errors: nothing flagged for them.
        #expect(!analysis.anomalies.flagged.contains { ["calls", "errors", "error_rate"].contains($0.metric) })
        // No latency at all: p95 is reported as insufficient history, never as a score.
        #expect(analysis.anomalies.insufficient_history.contains { $0.period == "day" && $0.metric == "p95_latency_ms" })
        let p95 = try #require(analysis.anomalies.daily.first { $0.agent_id == nil && $0.metric == "p95_latency_ms" })
        #expect(p95.scores.allSatisfy { $0 == nil } && p95.insufficient_history == true)
        #expect(analysis.anomalies.threshold == 3.5 && analysis.anomalies.shift_confirm == 3)
    }

    /// The same lake analysed from day 0: the first 21 days are the scorer's warm-up and say so.
    @Test func shortHistoryIsReportedNotScored() throws {
        let lake = try Self.makeLake()
        defer { lake.dir.remove() }
        var options = AnalysisOptions(dataDir: lake.dataDir, generatedAt: 0)
        options.from = UTCDate.dateString(days: Self.firstDay)
        options.to = UTCDate.dateString(days: Self.firstDay + 9)
        options.now = (Self.firstDay + 10) * 86_400_000_000
        let analysis = try Analyzer(options: options).run()
        let fleet = try #require(analysis.anomalies.daily.first { $0.agent_id == nil && $0.metric == "cost_usd" })
        #expect(fleet.status == Array(repeating: "insufficient_history", count: 10))
        #expect(fleet.insufficient_history == true)
        #expect(analysis.anomalies.insufficient_history.contains { $0.period == "day" && $0.metric == "cost_usd" && $0.agent_id == nil })
        #expect(!analysis.anomalies.flagged.contains { $0.period == "day" })
        // 10 days of history: a forecast, with random-walk intervals.
        let forecast = try #require(analysis.forecasts.overall)
        #expect(forecast.history_days == 10)
    }

    /// The forecast's backtest figures: numpy recomputes naive's and seasonal naive's MAE, MASE
    /// (m = 7 and m = 1, scaled per origin) and sMAPE from the 56 daily costs alone; the chosen
    /// method's figures are the Detectors backtest of the same series, next to the projection.
    @Test func forecastBacktestFiguresMatchNumpy() throws {
        let lake = try Self.makeLake()
        defer { lake.dir.remove() }
        let analysis = try Self.analyze(lake)
        let forecast = try #require(analysis.forecasts.overall)
        let y = Array(Self.dailyCost().suffix(56))
        #expect(forecast.history_days == 56)
        #expect(forecast.days.first?.date == UTCDate.dateString(days: Self.firstDay + 90))
        #expect(forecast.days.count == 30)
        let backtest = try #require(forecast.backtest)
        let methods = try #require(backtest.methods)
        let code = """
            import json, sys
            import numpy as np
            y = np.array(json.loads(sys.stdin.read()))
            n, H = len(y), 30
            origins = range(max(14, n - 60), n)
            def scale(t, m):
                return np.mean(np.abs(y[m:t] - y[:t - m])) if t > m else None
            out = {}
            for name in ["naive", "seasonal_naive"]:
                e, m7, m1, sm = [], [], [], []
                for t in origins:
                    for j in range(min(H, n - t)):
                        f = y[t - 1] if name == "naive" else y[t - 7 + j % 7]
                        f = max(0.0, f)
                        err = abs(y[t + j] - f)
                        e.append(err); sm.append(200 * err / (abs(y[t + j]) + abs(f)))
                        s7, s1 = scale(t, 7), scale(t, 1)
                        if s7: m7.append(err / s7)
                        if s1: m1.append(err / s1)
                out[name] = [float(np.mean(e)), float(np.mean(m7)), float(np.mean(m1)), float(np.mean(sm)), len(e)]
            print(json.dumps(out))
            """
        let oracle = try #require(
            try JSONSerialization.jsonObject(with: Data(PythonOracle.run(code, stdin: try JSONSerialization.data(withJSONObject: y)).utf8))
                as? [String: [Double]])
        for name in ["naive", "seasonal_naive"] {
            let want = try #require(oracle[name])
            let ours = try #require(methods.first { $0.method.rawValue == name })
            #expect(abs(ours.mae - want[0]) < 1e-9, "\(name) mae \(ours.mae) vs \(want[0])")
            #expect(abs((ours.maseSeasonalNaive ?? .nan) - want[1]) < 1e-9, "\(name) mase7")
            #expect(abs((ours.maseNaive ?? .nan) - want[2]) < 1e-9, "\(name) mase1")
            #expect(abs(ours.smape - want[3]) < 1e-9, "\(name) smape")
            #expect(ours.pairs == Int(want[4]))
            #expect(backtest.mae[name] == ours.mae)
        }
        // The chosen method and its trust figures sit next to the projection, as the Detectors backtest gives them
        // (on y as written here; the lake's sums of fifths differ from it in the last bits, hence 1e-9).
        var configuration = Detectors.Backtest.Configuration(horizon: 30)
        configuration.maxOrigins = 60
        let run = Detectors.Backtest(y, configuration: configuration)
        let direct = try #require(run).result
        #expect(backtest.chosen == direct.chosen.rawValue && forecast.method == direct.chosen.rawValue)
        func near(_ a: Double?, _ b: Double?) -> Bool { a == nil && b == nil || abs((a ?? .nan) - (b ?? .nan)) < 1e-9 }
        #expect(methods.map(\.method) == direct.methods.map(\.method))
        for (ours, theirs) in zip(methods, direct.methods) {
            #expect(near(ours.mae, theirs.mae) && near(ours.maseSeasonalNaive, theirs.maseSeasonalNaive) && near(ours.maseNaive, theirs.maseNaive))
            #expect(near(ours.smape, theirs.smape) && ours.coverage80 == theirs.coverage80 && ours.coverage95 == theirs.coverage95)
        }
        let chosen = try #require(direct.chosenScore)
        #expect(near(forecast.mase, chosen.maseSeasonalNaive) && near(forecast.mase_naive, chosen.maseNaive) && near(forecast.smape, chosen.smape))
        #expect(forecast.coverage_80 == chosen.coverage80 && forecast.coverage_95 == chosen.coverage95)
        #expect(forecast.coverage_80 != nil && forecast.intervals == "backtest_errors")
        #expect(forecast.days.allSatisfy { $0.lo95 <= $0.lo80 && $0.lo80 <= $0.mean && $0.mean <= $0.hi80 && $0.hi80 <= $0.hi95 })
        // The scale: in-sample mean |y[t] − y[t−7]| by hand over the 56 days.
        let scale = (7..<56).reduce(0.0) { $0 + abs(y[$1] - y[$1 - 7]) } / 49
        #expect(abs(backtest.scale - scale) < 1e-9)
    }

    /// `anomalies.alert_z` overrides `alerts.anomaly_score`; `shift_z` / `shift_confirm` reach the scorer; bad values name the key.
    @Test func thresholdsComeFromTheConfig() throws {
        let lake = try Self.makeLake()
        defer { lake.dir.remove() }
        let config = try HomeBaseConfig.parse(
            #"{"alerts": {"anomaly_score": 2}, "anomalies": {"alert_z": 1000, "shift_z": 2.5, "shift_confirm": 5}}"#)
        var options = AnalysisOptions(dataDir: lake.dataDir, generatedAt: 0)
        options.from = UTCDate.dateString(days: Self.firstDay + 45)
        options.to = UTCDate.dateString(days: Self.firstDay + 89)
        options.now = (Self.firstDay + 90) * 86_400_000_000
        options.applyAnomalyRules(config.alerts)
        let analysis = try Analyzer(options: options).run()
        #expect(analysis.anomalies.threshold == 1000 && analysis.anomalies.shift_z == 2.5 && analysis.anomalies.shift_confirm == 5)
        // At z 1000 the spike is not an anomaly; the shift is (it is confirmed by the 5th point, day 54).
        let cost = analysis.anomalies.flagged.filter { $0.metric == "cost_usd" }
        #expect(cost.map(\.at) == [UTCDate.dateString(days: Self.firstDay + 54)], "\(cost.map(\.at))")
        #expect(cost.first?.status == "level_shift" && cost.first?.reason?.contains("level shift") == true)
        // Without alert_z, alerts.anomaly_score is the threshold.
        var plain = AnalysisOptions(dataDir: lake.dataDir, generatedAt: 0)
        plain.applyAnomalyRules(try HomeBaseConfig.parse(#"{"alerts": {"anomaly_score": 6}}"#).alerts)
        #expect(plain.anomalyThreshold == 6 && plain.anomalyShiftZ == 3 && plain.anomalyShiftConfirm == 3)
        let error = #expect(throws: ConfigError.self) { try HomeBaseConfig.parse(#"{"anomalies": {"shift_confirm": 0}}"#) }
        #expect(error?.description.contains("anomalies.shift_confirm") == true)
    }
}
