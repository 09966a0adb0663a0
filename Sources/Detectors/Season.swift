import Foundation
import HomeBaseCore

/// A seasonal cycle in time: `length` microseconds split into `phases` bins of equal width (the
/// sampling interval, about). Phases come from the timestamp, so gaps and irregular spacing do
/// not shift the cycle. `phases == 1` means no season.
package struct Season: Sendable, Equatable, Codable {
    /// The cycle's length in microseconds (one day or one week), 0 without a season.
    package var length: Int64
    package var phases: Int
    /// Where phase 0 starts (the first timestamp seen).
    package var origin: Int64
    /// Out-of-sample strength of the season on the warm-up points (1 − Σ|remainder| / Σ|detrended|).
    package var strength: Double

    package static let day: Int64 = 86_400_000_000

    package static func none(origin: Int64) -> Season { Season(length: 0, phases: 1, origin: origin, strength: 0) }

    /// The phase of an instant.
    @inline(__always)
    package func phase(_ micros: Int64) -> Int {
        guard phases > 1 else { return 0 }
        var offset = (micros - origin) % length
        if offset < 0 { offset += length }
        let bin = Int((Double(offset) * Double(phases) / Double(length)).rounded())
        return bin % phases
    }

    /// The cycle number of an instant (which repetition of the season it falls in).
    func cycle(_ micros: Int64) -> Int {
        guard phases > 1 else { return 0 }
        let halfBin = length / Int64(2 * phases)
        let offset = micros - origin + halfBin
        return Int(offset >= 0 ? offset / length : (offset - length + 1) / length)
    }

    /// Daily and weekly cycles that fit the sampling `interval` (at least 2 and at most `maxPhases` bins).
    static func candidates(interval: Int64, origin: Int64, maxPhases: Int) -> [Season] {
        guard interval > 0 else { return [] }
        return [day, 7 * day].compactMap { length in
            let phases = Int((Double(length) / Double(interval)).rounded())
            return phases >= 2 && phases <= maxPhases ? Season(length: length, phases: phases, origin: origin, strength: 0) : nil
        }
    }

    /// The candidate with the largest out-of-sample strength on `points` if it reaches
    /// `threshold`, else no season. Each cycle's mean is removed (a slow trend does not look
    /// seasonal); each point is then predicted by the median of its phase in the other cycles.
    static func detect(_ points: [SeriesPoint], candidates: [Season], threshold: Double) -> Season {
        let origin = points.first?.micros ?? 0
        var best = Season.none(origin: origin)
        for var candidate in candidates {
            candidate.strength = strength(points, candidate)
            if candidate.strength >= threshold, candidate.strength > best.strength { best = candidate }
        }
        return best
    }

    /// 1 − Σ|d − leave-one-cycle-out phase median| / Σ|d| over the points of complete cycles,
    /// d = value − its cycle's mean; −∞ when fewer than two complete cycles. Each phase's values
    /// are sorted once and a cycle's own value is skipped in place (`WithoutOne`): the same
    /// medians as sorting the other cycles' values for every cycle, which took most of the
    /// anomaly section on hourly series (28 cycles × 672 points per series).
    static func strength(_ points: [SeriesPoint], _ season: Season) -> Double {
        // Cycles and phases are small integers: arrays indexed from the first cycle, not
        // dictionaries (this ran for every series and candidate of every analysis).
        var cycleOf: [Int] = [], phaseOf: [Int] = [], valueOf: [Double] = []
        cycleOf.reserveCapacity(points.count)
        phaseOf.reserveCapacity(points.count)
        valueOf.reserveCapacity(points.count)
        for p in points {
            guard let v = p.value else { continue }
            cycleOf.append(season.cycle(p.micros))
            phaseOf.append(season.phase(p.micros))
            valueOf.append(v)
        }
        guard let lowest = cycleOf.min(), let highest = cycleOf.max(), season.phases > 0 else { return -.infinity }
        var members = [[Int]](repeating: [], count: highest - lowest + 1)  // point indices per cycle, in order
        for i in cycleOf.indices { members[cycleOf[i] - lowest].append(i) }
        let fullest = members.map(\.count).max() ?? 0
        let kept = members.indices.filter { Double(members[$0].count) >= 0.75 * Double(fullest) && members[$0].count >= 2 }
        guard kept.count >= 2 else { return -.infinity }
        // Each kept cycle's values less its mean, in point order.
        var detrended = [Double](repeating: 0, count: valueOf.count)
        for c in kept {
            let mean = members[c].reduce(0) { $0 + valueOf[$1] } / Double(members[c].count)
            for i in members[c] { detrended[i] = valueOf[i] - mean }
        }
        var byPhase = [[Double]](repeating: [], count: season.phases)
        var simple = true
        var seen = [Int](repeating: -1, count: season.phases)  // the last kept cycle with a value in each phase
        for c in kept {
            for i in members[c] {
                let phase = phaseOf[i]
                byPhase[phase].append(detrended[i])
                if detrended[i].isNaN || seen[phase] == c { simple = false }
                seen[phase] = c
            }
        }
        // Two values of one cycle in one phase, or a value that does not order (NaN): the list
        // without the cycle is built and sorted as the definition says.
        for phase in byPhase.indices { byPhase[phase].sort() }
        var residual = 0.0, total = 0.0
        for c in kept {
            for i in members[c] {
                let d = detrended[i]
                let predicted: Double?
                if simple {
                    predicted = Percentile.of(sorted: WithoutOne(byPhase[phaseOf[i]], value: d), 0.5)
                } else {
                    let phase = phaseOf[i]
                    let others = kept.filter { $0 != c }.flatMap { members[$0].filter { phaseOf[$0] == phase } }.map { detrended[$0] }
                    predicted = Percentile.median(others)
                }
                guard let predicted else { continue }
                residual += abs(d - predicted)
                total += abs(d)
            }
        }
        return total > 0 ? 1 - residual / total : -.infinity
    }

    /// An ascending array read without one occurrence of `value` (which it holds).
    private struct WithoutOne: RandomAccessCollection {
        let sorted: [Double]
        let skipped: Int

        init(_ sorted: [Double], value: Double) {
            self.sorted = sorted
            var low = 0, high = sorted.count  // the first position not below `value`
            while low < high {
                let middle = (low + high) / 2
                if sorted[middle] < value { low = middle + 1 } else { high = middle }
            }
            skipped = low
        }

        var startIndex: Int { 0 }
        var endIndex: Int { sorted.count - 1 }
        subscript(position: Int) -> Double { sorted[position < skipped ? position : position + 1] }
    }
}
