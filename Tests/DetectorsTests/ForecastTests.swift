import Foundation
import HomeBaseCore
import Testing
import TestSupport
@testable import Detectors

@Suite struct ForecastTests {
    /// Weekly-seasonal daily series: 100 + a weekly profile + noise (σ 5), with a trend, a slow
    /// random-walk level or occasional spikes depending on `variant` (0…3).
    static func weekly(days: Int, seed: UInt64, variant: Int) -> [Double] {
        var random = SeededRandom(seed: seed &* 31 &+ UInt64(variant))
        let profile = [0.0, 6, 9, 7, 4, -12, -15].map { $0 * (0.5 + random.uniform()) }
        var level = 100.0
        return (0..<days).map { i in
            switch variant {
            case 1: level = 100 + 0.1 * Double(i)
            case 2: level += 1.0 * random.normal()
            default: break
            }
            var y = level + profile[i % 7] + 5 * random.normal()
            if variant == 3, random.uniform() < 0.02 { y += 40 }
            return y
        }
    }

    @Test func simpleMethodsByHand() {
        let y: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
        #expect(DailyForecastMethod.naive.forecast(y, horizon: 3) == [9, 9, 9])
        #expect(DailyForecastMethod.seasonalNaive.forecast(y, horizon: 9) == [3, 4, 5, 6, 7, 8, 9, 3, 4])
        #expect(DailyForecastMethod.robustSeasonal.forecast(y, horizon: 1).isEmpty, "needs two weeks")
    }

    @Test func gapsAreFilledFromTheWeekBeforeOrBetweenNeighbours() throws {
        let day: Int64 = 86_400_000_000
        let values: [Double?] = [10, nil, 30, 40, 50, 60, 70, 80, 90]
        var points = values.enumerated().map { SeriesPoint(micros: Int64($0.offset) * day + 3_600_000_000, value: $0.element) }
        points.remove(at: 8)  // day 8 absent, day 9 present
        points.append(SeriesPoint(micros: 9 * day, value: 100))
        let series = try #require(DailySeries(points: points))
        // Day 1: between 10 and 30 → 20; day 8: a week earlier (day 1) → 20.
        #expect(series.values == [10, 20, 30, 40, 50, 60, 70, 80, 20, 100] && series.filledDays == 2 && series.startDay == 0)
    }

    /// DampedHoltWinters and RobustSeasonalDrift against numpy implementations written from their doc comments.
    @Test func modelsMatchAnIndependentImplementation() throws {
        let y = Self.weekly(days: 40, seed: 11, variant: 1)
        let p = DampedHoltWinters.Parameters(alpha: 0.3, beta: 0.05, gamma: 0.15, phi: 0.9)
        let swiftHW = try #require(DampedHoltWinters(y, p)).forecast(10)
        let swiftRobust = DailyForecastMethod.robustSeasonal.forecast(y, horizon: 10)
        let script = """
            import json, sys, numpy as np
            d = json.load(sys.stdin); y = np.array(d["y"]); a, b, g, phi = d["p"]; m = 7
            l = y[:m].mean(); t = (y[m:2*m].mean() - y[:m].mean()) / m; s = list(y[:m] - y[:m].mean())
            for i in range(m, len(y)):
                e = y[i] - (l + phi * t + s[i % m]); l = l + phi * t + a * e; t = phi * t + a * b * e; s[i % m] += g * (1 - a) * e
            hw = [l + sum(phi ** k for k in range(1, h + 1)) * t + s[(len(y) + h - 1) % m] for h in range(1, 11)]
            n = len(y); w = y[max(0, n - 56):]; start = n - len(w)
            weeks = len(w) // m; dev = {k: [] for k in range(m)}
            for q in range(weeks):
                lo = n - (q + 1) * m; blk = y[lo:lo + m]
                for i in range(lo, lo + m): dev[i % m].append(y[i] - blk.mean())
            prof = np.array([np.median(dev[k]) for k in range(m)]); prof -= prof.mean()
            idx = np.arange(max(0, n - 28), n); x = y[idx] - prof[idx % m]
            slope = np.median([(x[j] - x[i]) / (j - i) for i in range(len(x)) for j in range(i + 1, len(x))])
            level = np.median([x[i] + slope * (len(x) - 1 - i) for i in range(max(0, len(x) - 7), len(x))])
            rob = [level + slope * sum(0.9 ** k for k in range(1, h + 1)) + prof[(n + h - 1) % m] for h in range(1, 11)]
            print(json.dumps({"hw": hw, "robust": rob}))
            """
        let input = try JSONSerialization.data(withJSONObject: ["y": y, "p": [p.alpha, p.beta, p.gamma, p.phi]])
        let out = try JSONSerialization.jsonObject(with: Data(try PythonOracle.run(script, stdin: input).utf8)) as? [String: [Double]]
        let hw = try #require(out?["hw"]), robust = try #require(out?["robust"])
        #expect(zip(swiftHW, hw).allSatisfy { abs($0 - $1) < 1e-9 } && swiftHW.count == 10)
        #expect(zip(swiftRobust, robust).allSatisfy { abs($0 - $1) < 1e-9 } && swiftRobust.count == 10)
    }

    /// MAE, MASE (lag 7 and 1), sMAPE, coverage and every interval of a backtest, recomputed in
    /// numpy from the series and the forecasts alone.
    @Test func backtestFiguresMatchNumpy() throws {
        let y = Self.weekly(days: 120, seed: 4, variant: 2)
        var configuration = Backtest.Configuration(horizon: 10)
        configuration.maxOrigins = 40
        let backtest = try #require(Backtest(y, configuration: configuration))
        let rows: [[Any]] = backtest.records.map { r in
            [
                r.method.rawValue, r.origin, r.step, r.actual, r.forecast,
                r.interval.map { [$0.0, $0.1, $0.2, $0.3] as Any } ?? NSNull()
            ]
        }
        let script = """
            import json, sys, math, numpy as np
            d = json.load(sys.stdin); y = np.array(d["y"]); H = d["horizon"]; minimum = d["minimum"]
            def scale(t, lag):
                return np.mean(np.abs(y[lag:t] - y[:t - lag])) if t > lag else None
            def offsets(errs, step, known_by):
                pool = []; scales = [None] * H
                for s in range(H):
                    known = [e for (k, e) in errs[s] if k <= known_by]
                    if len(known) < d["per_step"]: continue
                    mae = float(np.mean(np.abs(known)))
                    if mae <= 0: continue
                    scales[s] = mae; pool.extend(np.array(known) / mae)
                if len(pool) < minimum: return None
                if step <= H and scales[step - 1] is not None: sc = scales[step - 1]
                else:
                    lower = [s for s in range(min(step - 1, H)) if scales[s] is not None]
                    if not lower: return None
                    sc = scales[lower[-1]] * math.sqrt(step / (lower[-1] + 1))
                n = len(pool); lev = lambda p: min(1, max(0, 0.5 + (p - 0.5) * (n + 1) / n))
                return [sc * float(np.quantile(pool, lev(p))) for p in (0.1, 0.9, 0.025, 0.975)]
            out = {}; worst = 0.0
            for m in sorted(set(r[0] for r in d["records"])):
                rs = sorted([r for r in d["records"] if r[0] == m], key=lambda r: (r[1], r[2]))
                e = np.array([abs(r[3] - r[4]) for r in rs])
                s7 = [(abs(r[3] - r[4]), scale(r[1], 7)) for r in rs]; s1 = [(abs(r[3] - r[4]), scale(r[1], 1)) for r in rs]
                sm = [200 * abs(r[3] - r[4]) / (abs(r[3]) + abs(r[4])) if abs(r[3]) + abs(r[4]) > 0 else 0 for r in rs]
                cov = [r for r in rs if r[5] is not None]
                errs = [[] for _ in range(H)]
                for r in rs:
                    errs[r[2] - 1].append((r[1] + r[2], r[3] - r[4]))
                for r in rs:
                    o = offsets(errs, r[2], r[1])
                    if (o is None) != (r[5] is None): worst = float("inf"); continue
                    if o is not None:
                        clip = all(v >= 0 for v in y[:r[1]])
                        want = [max(0, r[4] + v) if clip else r[4] + v for v in o]
                        worst = max(worst, max(abs(a - b) for a, b in zip(want, r[5])))
                out[m] = {"mae": float(e.mean()),
                          "mase7": float(np.mean([a / b for a, b in s7 if b])), "mase1": float(np.mean([a / b for a, b in s1 if b])),
                          "smape": float(np.mean(sm)), "pairs": len(rs), "cov_pairs": len(cov),
                          "c80": float(np.mean([r[5][0] <= r[3] <= r[5][1] for r in cov])), "c95": float(np.mean([r[5][2] <= r[3] <= r[5][3] for r in cov])),
                          "by_step": [float(np.mean([abs(r[3] - r[4]) for r in rs if r[2] == h])) for h in range(1, H + 1)]}
            print(json.dumps({"methods": out, "worst_interval_difference": worst}))
            """
        let input = try JSONSerialization.data(withJSONObject: [
            "y": y, "records": rows, "horizon": 10, "minimum": configuration.minimumPool,
            "per_step": ErrorPool.minimumPerStep
        ])
        let parsed = try JSONSerialization.jsonObject(with: Data(try PythonOracle.run(script, stdin: input).utf8)) as? [String: Any]
        let methods = try #require(parsed?["methods"] as? [String: [String: Any]])
        #expect((parsed?["worst_interval_difference"] as? Double ?? 1) < 1e-9, "every interval matches the pooled numpy quantiles")
        #expect(methods.count == 4)
        for score in backtest.result.methods {
            let want = try #require(methods[score.method.rawValue])
            func close(_ a: Double?, _ key: String) -> Bool { abs((a ?? .nan) - (want[key] as? Double ?? .nan)) < 1e-9 }
            #expect(
                close(score.mae, "mae") && close(score.maseSeasonalNaive, "mase7") && close(score.maseNaive, "mase1") && close(score.smape, "smape"),
                "\(score.method)")
            #expect(
                close(score.coverage80, "c80") && close(score.coverage95, "c95") && score.coveragePairs == want["cov_pairs"] as? Int
                    && score.pairs == want["pairs"] as? Int)
            let steps = want["by_step"] as? [Double] ?? []
            #expect(zip(score.maeByStep, steps).allSatisfy { abs($0 - $1) < 1e-9 } && score.maeByStep.count == steps.count)
        }
        let best = backtest.result.methods.min { ($0.maseSeasonalNaive ?? .infinity) < ($1.maseSeasonalNaive ?? .infinity) }
        #expect(backtest.result.chosen == best?.method)
    }

    /// Targets on weekly-seasonal series: the picked method beats seasonal naive (MASE < 1) and the
    /// intervals cover within ±5 points of 80 % and 95 % (out of sample, over all backtest pairs).
    @Test func forecastTargetsOnWeeklySeries() {
        var lines: [String] = []
        var covered80 = 0.0, covered95 = 0.0, pairs = 0.0
        var chosenMASE: [Double] = [], chosenNaive: [Double] = [], snaive: [Double] = []
        var picks: [String: Int] = [:]
        for variant in 0..<4 {
            for seed in 1...5 {
                let y = Self.weekly(days: 182, seed: UInt64(seed), variant: variant)
                guard let b = Backtest(y, configuration: Backtest.Configuration(horizon: 14)), let chosen = b.result.chosenScore else {
                    Issue.record("no backtest")
                    continue
                }
                picks[chosen.method.rawValue, default: 0] += 1
                chosenMASE.append(chosen.maseSeasonalNaive ?? .nan)
                chosenNaive.append(chosen.maseNaive ?? .nan)
                snaive.append(b.result.methods.first { $0.method == .seasonalNaive }?.maseSeasonalNaive ?? .nan)
                let n = Double(chosen.coveragePairs)
                covered80 += (chosen.coverage80 ?? 0) * n
                covered95 += (chosen.coverage95 ?? 0) * n
                pairs += n
            }
        }
        // Held out: forecast the 14 days after each series from the Forecaster (intervals from the whole backtest).
        var held80 = 0, held95 = 0, held = 0
        for variant in 0..<4 {
            for seed in 1...10 {
                let y = Self.weekly(days: 196, seed: UInt64(100 + seed), variant: variant)
                let forecast = Forecaster().forecast(DailySeries(startDay: 0, values: Array(y.prefix(182))), horizon: 14)
                for (d, actual) in zip(forecast.days, y.suffix(14)) {
                    guard let lo80 = d.lo80, let hi80 = d.hi80, let lo95 = d.lo95, let hi95 = d.hi95 else { continue }
                    held += 1
                    if actual >= lo80 && actual <= hi80 { held80 += 1 }
                    if actual >= lo95 && actual <= hi95 { held95 += 1 }
                }
            }
        }
        lines.append(
            String(
                format: "held-out 14 days after 40 series: coverage 80%% %.1f, 95%% %.1f over %d days",
                100 * Double(held80) / Double(held), 100 * Double(held95) / Double(held), held))
        #expect(held == 560 && abs(100 * Double(held80) / Double(held) - 80) <= 5 && abs(100 * Double(held95) / Double(held) - 95) <= 5)
        let mean = { (v: [Double]) in v.reduce(0, +) / Double(v.count) }
        lines.append(
            String(
                format: "20 series × 182 days, horizon 14: chosen MASE vs seasonal naive %.3f (max %.3f; seasonal naive itself %.3f), vs naive %.3f",
                mean(chosenMASE), chosenMASE.max() ?? .nan, mean(snaive), mean(chosenNaive)))
        lines.append(
            String(
                format: "coverage 80%% %.1f, 95%% %.1f over %.0f pairs; picks %@", 100 * covered80 / pairs, 100 * covered95 / pairs, pairs,
                picks.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        print("FORECAST\n" + lines.joined(separator: "\n"))
        #expect(mean(chosenMASE) < 1 && chosenMASE.filter { $0 < 1 }.count >= 18 && zip(chosenMASE, snaive).allSatisfy { $0 <= $1 })
        #expect(abs(100 * covered80 / pairs - 80) <= 5 && abs(100 * covered95 / pairs - 95) <= 5)
    }

    @Test func forecasterReadsAFileAndForecastsAfterItsLastDay() throws {
        let dir = TemporaryDirectory("detectors-forecast")
        defer { dir.remove() }
        let y = Self.weekly(days: 84, seed: 2, variant: 0)
        var text = "timestamp,value\n"
        for (i, v) in y.enumerated() where i != 40 { text += UTCDate.dateString(days: 20_454 + Int64(i)) + "," + (i == 41 ? "" : "\(v)") + "\n" }
        let path = dir.file("daily.csv")
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        let series = try DailySeries.read(path: path)
        #expect(series.values.count == 84 && series.filledDays == 2)
        let forecast = Forecaster().forecast(series, horizon: 30)
        #expect(forecast.days.count == 30 && forecast.days.first?.date == "2026-03-26" && forecast.days.last?.date == "2026-04-24")
        #expect(forecast.method == forecast.backtest?.chosen)
        for d in forecast.days {
            let (lo95, lo80, hi80, hi95) = (d.lo95 ?? .nan, d.lo80 ?? .nan, d.hi80 ?? .nan, d.hi95 ?? .nan)
            #expect(lo95 <= lo80 && lo80 <= hi80 && hi80 <= hi95 && lo95 <= d.mean && d.mean <= hi95, "\(d.date)")
        }
        #expect(try Forecaster().forecast(file: path, horizon: 30) == forecast)
        let table = forecast.backtest?.table ?? ""
        #expect(table.split(separator: "\n").count == 6 && table.contains("* " + forecast.method.rawValue))
        let json = try JSONEncoder().encode(forecast)
        #expect(try JSONDecoder().decode(DailyForecast.self, from: json) == forecast)
        #expect(String(decoding: json, as: UTF8.self).contains("\"mase_seasonal_naive\""))
    }

    @Test func duplicateDaysAreAnError() throws {
        let dir = TemporaryDirectory("detectors-forecast")
        defer { dir.remove() }
        let path = dir.file("daily.csv")
        FileManager.default.createFile(atPath: path, contents: Data("timestamp,value\n2026-01-01 08:00:00,1\n2026-01-01 09:00:00,2\n".utf8))
        do {
            _ = try DailySeries.read(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .duplicateDay && error.line == 3)
        }
    }
}
