import Foundation
import Testing
@testable import Detectors

@Suite struct AnomalyScorerTests {
    static let day: Int64 = 86_400_000_000

    static func daily(_ values: [Double?]) -> [SeriesPoint] {
        values.enumerated().map { SeriesPoint(micros: 20_454 * day + Int64($0.offset) * day, value: $0.element) }
    }

    @Test func scoreCurveByHand() {
        #expect(AnomalyScorer.score(z: 0, alertZ: 4) == 0)
        #expect(AnomalyScorer.score(z: 4, alertZ: 4) == 0.5)
        #expect(abs(AnomalyScorer.score(z: -8, alertZ: 4) - 16.0 / 17) < 1e-15)
        #expect(AnomalyScorer.score(z: .infinity, alertZ: 4) == 1)
    }

    /// A flat line of 100: MAD is 0, so the scale is the 1 % floor (1.0) and a 104 is z = 4.
    /// After it: level = 100 + 0.15·clip(4, 2·1) = 100.3 (no trend by default); the next
    /// point's baseline is 100.3 and its scale 0.01·100.3.
    @Test func flatLineByHand() {
        var configuration = AnomalyScorer.Configuration()
        configuration.adaptiveAlpha = false  // alpha stays 0.15
        var scorer = AnomalyScorer(configuration: configuration)
        let points = Self.daily([Double](repeating: 100, count: 21) + [104, 100])
        let scores = points.map { scorer.score($0) }
        #expect(scores.prefix(21).allSatisfy { $0.status == .warmingUp && $0.score == nil })
        #expect(scorer.season?.phases == 1, "a flat line has no season")
        #expect(scores[21].status == .scored && scores[21].expected == 100 && scores[21].z == 4 && scores[21].score == 0.5)
        let expected = 100.3, z = (100 - expected) / (0.01 * expected)
        #expect(abs((scores[22].expected ?? 0) - expected) < 1e-12)
        #expect(abs((scores[22].z ?? 0) - z) < 1e-12)
        #expect(abs((scores[22].score ?? 0) - 1 / (1 + pow(4 / abs(z), 4))) < 1e-15)
    }

    @Test func flatZeroLineDoesNotExplode() {
        var scorer = AnomalyScorer()
        let scores = Self.daily([Double](repeating: 0, count: 40) + [3] + [Double](repeating: 0, count: 20)).map { scorer.score($0) }
        #expect(scores.allSatisfy { s in s.score.map { $0 >= 0 && $0 <= 1 && !$0.isNaN } ?? true })
        #expect(scores[40].score == 1 && scores.filter(\.isAlert).count == 1)
    }

    @Test func shortHistorySaysSoInsteadOfScoring() {
        var scorer = AnomalyScorer()
        let scores = Self.daily([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).map { scorer.score($0) }
        #expect(scores.allSatisfy { $0.status == .warmingUp && $0.score == nil })
    }

    @Test func batchScoringIsTheStream() {
        var values: [Double?] = (0..<60).map { i -> Double? in 100 + Double(i % 7) }
        values[40] = nil
        values[50] = 300
        var scorer = AnomalyScorer()
        #expect(
            AnomalyScorer.scoreAll(values, startMicros: 20_454 * Self.day, intervalMicros: Self.day) == Self.daily(values).map { scorer.score($0) })
    }

    @Test func missingValuesAreNotScored() {
        var scorer = AnomalyScorer()
        let values: [Double?] = (0..<40).map { $0 == 30 ? nil : 10 + Double($0 % 3) }
        let scores = Self.daily(values).map { scorer.score($0) }
        #expect(scores[30].status == .missing && scores[30].score == nil && scores[30].expected != nil)
        #expect(scores[31].status == .scored)
    }

    /// The score at t depends only on points up to t: scoring a prefix gives the same scores.
    @Test func causal() {
        let series = LabelledSeries.make(.levelShift, days: 200, seed: 3)
        var full = AnomalyScorer()
        let all = series.points.map { full.score($0) }
        for cut in [25, 60, 137] {
            var prefix = AnomalyScorer()
            #expect(series.points.prefix(cut).map { prefix.score($0) } == Array(all.prefix(cut)))
        }
    }

    @Test func stateDoesNotGrowWithTheSeries() {
        var scorer = AnomalyScorer()
        var sizes: [Int] = []
        for i in 0..<20_000 {
            _ = scorer.score(SeriesPoint(micros: Int64(i) * 3_600_000_000, value: sin(Double(i) / 24 * 2 * .pi) + Double(i % 7) / 10))
            if i == 5000 || i == 19_999 { sizes.append(scorer.stateSize) }
        }
        #expect(sizes[0] == sizes[1] && sizes[0] < 3000)
    }

    /// Five-minute data (288 phases a day) for 10 weeks with 80-unit spikes: the baseline must
    /// stay stable (a trend fed by the phase medians once swung it further and further), so every
    /// spike keeps a large z and nothing else alerts.
    @Test func longSeasonStaysStable() {
        var scorer = AnomalyScorer()
        var random = SeededRandom(seed: 42)
        var spikeZ: [Double] = []
        var otherAlerts = 0
        for i in 0..<20_160 {
            let spike = i % 2003 == 1000
            let v = 100 + 20 * sin(Double(i % 288) / 288 * 2 * .pi) + 2.5 * random.normal() + (spike ? 80 : 0)
            let s = scorer.score(SeriesPoint(micros: Int64(i) * 300_000_000, value: v))
            if spike, let z = s.z { spikeZ.append(z) } else if s.isAlert { otherAlerts += 1 }
        }
        #expect(scorer.season?.phases == 288)
        // The warm-up holds 4096 points (a weekly season of 2016 phases must fit twice): 2 spikes fall in it.
        #expect(spikeZ.count == 8 && spikeZ.allSatisfy { $0 > 15 }, "\(spikeZ)")
        // 16 064 scored points of Gaussian noise: about 4 reach |z| 4.5–5.2 (heavier tails than normal: the
        // phase medians of 8 cycles add their own error); a 1-in-2000 rate is the bound.
        #expect(otherAlerts <= 8)
    }

    @Test func missingValuesDoNotGrowTheWarmUp() {
        var scorer = AnomalyScorer()
        for i in 0..<50_000 { _ = scorer.score(SeriesPoint(micros: Int64(i) * 60_000_000, value: i % 1000 == 0 ? 1 : nil)) }
        #expect(scorer.season == nil && scorer.stateSize <= 2 * 4096 + 1)
    }

    @Test func seasonsFoundFromTheData() {
        func season(_ kind: LabelledSeries.Kind) -> Season? {
            var scorer = AnomalyScorer()
            for p in LabelledSeries.make(kind, days: 60, seed: 1).points { _ = scorer.score(p) }
            return scorer.season
        }
        #expect(season(.seasonal)?.phases == 7)
        #expect(season(.hourly).map { $0.length == 7 * Self.day || $0.length == Self.day } == true)
        var noise = AnomalyScorer()
        var random = SeededRandom(seed: 5)
        for i in 0..<60 { _ = noise.score(SeriesPoint(micros: Int64(i) * Self.day, value: random.normal())) }
        #expect(noise.season?.phases == 1)
    }

    @Test func levelShiftBecomesTheNewNormal() {
        var scorer = AnomalyScorer()
        var random = SeededRandom(seed: 9)
        let values = (0..<120).map { 100 + ($0 >= 60 ? 60 : 0) + 2 * random.normal() }
        let scores = Self.daily(values).map { scorer.score($0) }
        #expect(scores[60].isAlert)
        #expect(scores[60...62].contains { $0.status == .levelShift })
        #expect(scores[66...].filter(\.isAlert).isEmpty, "after the shift the new level is normal")
    }

    /// Detection on the labelled kinds (5 seeds each, a year of daily data; 8 weeks of hourly).
    @Test func detectionTargets() {
        var lines: [String] = []
        var total = DetectionReport()
        for kind in LabelledSeries.Kind.allCases {
            var report = DetectionReport()
            report.pointsPerMonth = kind == .hourly ? 720 : 30
            for seed in 1...5 { report.add(LabelledSeries.make(kind, days: kind == .hourly ? 56 : 365, seed: UInt64(seed))) }
            lines.append(
                String(
                    format: "%@: events %d, detected %.3f, mean delay %.2f points, false alarms/month %.2f",
                    kind.rawValue, report.events, report.detectionRate, report.meanDelay, report.falseAlarmsPerMonth))
            #expect(report.detectionRate >= 0.85, "\(kind)")
            #expect(report.falseAlarmsPerMonth <= 1, "\(kind)")
            #expect(report.meanDelay <= (kind == .ramp ? 3 : 0.5), "\(kind)")
            if kind != .hourly {
                total.events += report.events; total.detected += report.detected; total.delays += report.delays
                total.falseAlarms += report.falseAlarms; total.scoredPoints += report.scoredPoints
            }
        }
        lines.append(
            String(
                format: "daily kinds together: events %d, detected %.3f, false alarms/month %.2f",
                total.events, total.detectionRate, total.falseAlarmsPerMonth))
        #expect(total.detectionRate >= 0.95 && total.falseAlarmsPerMonth <= 0.2)
        print("DETECTION\n" + lines.joined(separator: "\n"))
    }

    /// The alert threshold's trade-off on the daily kinds (printed for docs/detectors.md).
    @Test func alertThresholdTradeOff() {
        var rows: [String] = []
        var previous: DetectionReport?
        for z in [3.0, 3.5, 4.0, 5.0] {
            var configuration = AnomalyScorer.Configuration()
            configuration.alertZ = z
            var report = DetectionReport()
            for kind in LabelledSeries.Kind.allCases where kind != .hourly {
                for seed in 1...5 { report.add(LabelledSeries.make(kind, days: 365, seed: UInt64(seed)), configuration: configuration) }
            }
            rows.append(String(format: "alertZ %.1f: detected %.3f, false alarms/month %.3f", z, report.detectionRate, report.falseAlarmsPerMonth))
            if let previous {
                #expect(
                    report.detectionRate <= previous.detectionRate && report.falseAlarms <= previous.falseAlarms, "a higher threshold alerts less")
            }
            previous = report
        }
        print("THRESHOLDS\n" + rows.joined(separator: "\n"))
    }
}
