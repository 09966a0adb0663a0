// Throughput of the detectors in an optimised build: compiled together with Sources/Detectors by
// Tests/tools/bench_detectors.sh (not part of the package). Prints one line per measurement.
import Foundation
import HomeBaseCore

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = Date()
    try body()
    return Date().timeIntervalSince(start)
}

let count = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 1_000_000
let dir = FileManager.default.temporaryDirectory.appendingPathComponent("detectors-bench-\(getpid())")
try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: dir) }
let input = dir.appendingPathComponent("series.csv").path, output = dir.appendingPathComponent("scored.csv").path

// Five-minute points with a daily cycle, noise and a spike every ~10 000 points (deterministic).
var state: UInt64 = 42
func uniform() -> Double {
    state = state &* 6364136223846793005 &+ 1442695040888963407
    return Double(state >> 11) / Double(1 << 53)
}
var points: [SeriesPoint] = []
points.reserveCapacity(count)
var text = "timestamp,value\n"
let start: Int64 = 1_767_225_600_000_000
for i in 0..<count {
    let micros = start + Int64(i) * 300_000_000
    var v = 100 + 20 * sin(Double(i % 288) / 288 * 2 * .pi) + 5 * (uniform() + uniform() + uniform() - 1.5)
    if i % 10_007 == 5000 { v += 80 }
    points.append(SeriesPoint(micros: micros, value: v))
    text += UTCDate.isoString(micros: micros) + "," + String(v) + "\n"
}
_ = FileManager.default.createFile(atPath: input, contents: Data(text.utf8))
text = ""

var alerts = 0
let inMemory = seconds {
    var scorer = AnomalyScorer()
    for p in points where scorer.score(p).isAlert { alerts += 1 }
}
print(String(format: "scorer, in memory: %d points in %.2f s (%.2f M points/s), %d alerts", count, inMemory, Double(count) / inMemory / 1e6, alerts))
var summary = ScoringSummary()
let endToEnd = try seconds { summary = try scoreSeries(input: input, output: output) }
print(
    String(
        format: "scoreSeries CSV → CSV: %d points in %.2f s (%.2f M points/s), season %@", count, endToEnd, Double(count) / endToEnd / 1e6,
        summary.season))

var random = SystemRandomNumberGenerator()
let days = (0..<730).map { i in 100 + [0.0, 6, 9, 7, 4, -12, -15][i % 7] + 5 * Double.random(in: -1...1, using: &random) }
let forecastTime = seconds { _ = Forecaster().forecast(DailySeries(startDay: 20_000, values: days), horizon: 30) }
print(String(format: "forecast with backtest, 730 days, horizon 30: %.3f s", forecastTime))
