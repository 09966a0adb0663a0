import Foundation
import Testing
@testable import HomeBaseCore
@testable import Detectors

/// `Season.strength` sorts each phase once and skips a cycle's own value; the definition rebuilds
/// and sorts the other cycles' values for every cycle. Both give the same number, bit for bit, on
/// hourly and daily series with gaps, ties, repeated values, zeros of both signs and irregular
/// spacing (two points of one cycle in one phase).
@Suite struct SeasonStrengthTests {
    static let hour: Int64 = 3_600_000_000

    /// The definition, written out as in the scorer's documentation.
    static func definition(_ points: [SeriesPoint], _ season: Season) -> Double {
        let present = points.compactMap { p in p.value.map { (cycle: season.cycle(p.micros), phase: season.phase(p.micros), value: $0) } }
        let groups = Dictionary(grouping: present, by: \.cycle)
        let fullest = groups.values.map(\.count).max() ?? 0
        let complete = groups.filter { 4 * $0.value.count >= 3 * fullest && $0.value.count >= 2 }
        guard complete.count >= 2 else { return -.infinity }
        let detrended = complete.mapValues { members -> [(phase: Int, d: Double)] in
            let mean = members.reduce(0) { $0 + $1.value } / Double(members.count)
            return members.map { (phase: $0.phase, d: $0.value - mean) }
        }
        var residual = 0.0, total = 0.0
        let keys = detrended.keys.sorted()
        for c in keys {
            var byPhase: [Int: [Double]] = [:]
            for other in keys where other != c {
                for m in detrended[other] ?? [] { byPhase[m.phase, default: []].append(m.d) }
            }
            for m in detrended[c] ?? [] {
                guard let predicted = Percentile.median(byPhase[m.phase] ?? []) else { continue }
                residual += abs(m.d - predicted)
                total += abs(m.d)
            }
        }
        return total > 0 ? 1 - residual / total : -.infinity
    }

    @Test func sameAsTheDefinition() {
        var random = SplitMix64(seed: 20)
        func unit() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        let origin: Int64 = 20_454 * 24 * Self.hour
        var checked = 0
        for trial in 0..<60 {
            let interval = trial % 3 == 0 ? 24 * Self.hour : Self.hour
            let count = trial % 3 == 0 ? 30 + trial : 200 + 9 * trial
            var points: [SeriesPoint] = []
            for i in 0..<count {
                var micros = origin + Int64(i) * interval
                if trial % 5 == 4 && i % 7 == 3 { micros += interval / 3 }  // irregular: can share a phase
                let value: Double?
                switch trial % 4 {
                case 0: value = unit() < 0.1 ? nil : (10 * sin(Double(i) / 3.8) + unit()).rounded()  // ties
                case 1: value = Double(i % 24) * 2 + unit()
                case 2: value = unit() < 0.3 ? 0 : (unit() < 0.5 ? -0.0 : unit())  // many zeros, both signs
                default: value = unit() * unit() * 100
                }
                points.append(SeriesPoint(micros: micros, value: value))
            }
            for season in Season.candidates(interval: interval, origin: origin, maxPhases: 200) {
                let fast = Season.strength(points, season), slow = Self.definition(points, season)
                #expect(fast.bitPattern == slow.bitPattern, "trial \(trial), \(season.phases) phases: \(fast) vs \(slow)")
                if fast.isFinite { checked += 1 }
            }
        }
        #expect(checked > 60)
    }
}
