import Foundation
import HomeBaseCore

/// A causal, streaming anomaly scorer: the score of a point uses only the points before it and
/// itself, and the state has a fixed size whatever the series' length.
///
/// Model: value = level + season[phase] + noise. The first points (warm-up) fix the sampling
/// interval and test a daily and a weekly season out of sample; they are then replayed through
/// the model and get no score. After that each point is compared with the baseline
/// (damped-trend level + the median of its phase's last cycles) and z = residual / scale, where
/// the scale is 1.4826 × the median absolute residual of a sliding window (with a floor, so a flat
/// line does not explode). Residuals update the baseline only after clipping (a spike cannot drag
/// it); `shiftConfirm` consecutive points beyond `shiftZ` on one side reset the level to them
/// (a level shift becomes the new normal).
package struct AnomalyScorer: Sendable {
    package let configuration: Configuration
    /// The sampling interval in microseconds (median of the first intervals); nil while unknown.
    package private(set) var interval: Int64?
    /// The season in use; nil while warming up.
    package private(set) var season: Season?

    /// The level smoothing in use (from the configuration, or chosen on the warm-up points).
    package private(set) var alpha: Double
    private var warmup: [SeriesPoint] = []
    private var warmupPresent = 0
    private var warmupTarget: Int?
    private var level = 0.0
    private var trend = 0.0
    /// Each phase's effect as its ring's median; the effect used is `seasonal[p] − seasonalOffset`,
    /// which keeps the effects summing to 0 so the level stays the deseasonalised level.
    private var seasonal: [Double] = []
    private var seasonalOffset = 0.0
    private var rings: [Double] = []
    private var ringCount: [Int] = []
    private var ringNext: [Int] = []
    private var scratch: [Double] = []
    private var residuals: SlidingWindow
    private var scale = 0.0
    private var lastMicros: Int64?
    private var shiftBuffer: [Double] = []
    private var shiftSign = 0

    /// Intervals looked at to fix the sampling interval.
    static let intervalSample = 16

    package init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        alpha = configuration.alpha
        residuals = SlidingWindow(capacity: configuration.scaleWindow)
    }

    /// Scores the next point; points must come in increasing time.
    package mutating func score(_ point: SeriesPoint) -> Score {
        guard season != nil else {
            warmup.append(point)
            if point.value != nil { warmupPresent += 1 }
            if warmup.count > 2 * max(configuration.warmupMaximum, Self.intervalSample + 1) {
                // Mostly missing values: keep the newest half so memory stays bounded.
                warmup.removeFirst(warmup.count / 2)
                warmupPresent = warmup.filter { $0.value != nil }.count
            }
            if warmupTarget == nil, warmup.count > Self.intervalSample { planWarmup() }
            if let target = warmupTarget, warmupPresent >= target { finishWarmup() }
            return Score(status: .warmingUp)
        }
        return step(point)
    }

    /// Fixes the interval and how many present values the warm-up needs: three cycles of the
    /// longest candidate season that fits twice into `warmupMaximum`.
    private mutating func planWarmup() {
        let gaps = zip(warmup.dropFirst(), warmup).map { $0.micros - $1.micros }.filter { $0 > 0 }.sorted()
        let interval = gaps.isEmpty ? Season.day : gaps[gaps.count / 2]
        self.interval = interval
        let c = configuration
        let longest =
            Season.candidates(interval: interval, origin: 0, maxPhases: c.maxPhases)
            .map(\.phases).filter { 2 * $0 <= c.warmupMaximum }.max() ?? 0
        warmupTarget = min(max(3 * longest, c.warmupMinimum), c.warmupMaximum)
    }

    /// Chooses the season, starts the model from the warm-up points and replays them.
    private mutating func finishWarmup() {
        let c = configuration
        let interval = self.interval ?? Season.day
        let origin = warmup.first?.micros ?? 0
        let fitting = Season.candidates(interval: interval, origin: origin, maxPhases: c.maxPhases)
            .filter { 2 * $0.phases <= warmupPresent }
        let season = Season.detect(warmup, candidates: fitting, threshold: c.seasonalityThreshold)
        let profile = Self.profile(warmup, season)
        seasonal = profile
        let k = max(1, c.seasonCycles)
        rings = [Double](repeating: 0, count: season.phases * k)
        ringCount = [Int](repeating: 0, count: season.phases)
        ringNext = ringCount
        for p in 0..<season.phases { pushSeason(p, profile[p]) }
        level = 0
        seasonalOffset = 0
        let deseasonalized = warmup.compactMap { point in point.value.map { $0 - profile[season.phase(point.micros)] } }
        level = Percentile.median(Array(deseasonalized.prefix(7))) ?? 0
        trend = 0
        // The residual window starts with the point-to-point changes (÷√2, the noise of one point).
        for (a, b) in zip(deseasonalized.dropFirst(), deseasonalized).suffix(c.scaleWindow) {
            residuals.push(abs(a - b) / 2.0.squareRoot())
        }
        updateScale()
        self.season = season
        let replay = warmup
        warmup = []
        if c.adaptiveAlpha {
            alpha = Self.localLevelAlpha(replay, season: season, profile: profile, range: c.minimumAlpha...max(c.minimumAlpha, c.maximumAlpha))
        }
        for point in replay { _ = step(point) }
    }

    /// The local-level smoothing that fits the warm-up: from the lag-1 autocorrelation r of the
    /// changes between consecutive present deseasonalised values, q = −1/r − 2 (signal-to-noise
    /// of a random walk plus noise) and alpha = (−q + √(q² + 4q)) / 2, clamped to `range`.
    static func localLevelAlpha(_ points: [SeriesPoint], season: Season, profile: [Double], range: ClosedRange<Double>) -> Double {
        let x = points.compactMap { p in p.value.map { $0 - profile[season.phase(p.micros)] } }
        let d = zip(x.dropFirst(), x).map { $0 - $1 }
        guard d.count >= 4 else { return range.lowerBound }
        let mean = d.reduce(0, +) / Double(d.count)
        var numerator = 0.0, denominator = 0.0
        for i in d.indices {
            denominator += (d[i] - mean) * (d[i] - mean)
            if i > 0 { numerator += (d[i] - mean) * (d[i - 1] - mean) }
        }
        guard denominator > 0 else { return range.lowerBound }
        // Few changes give a noisy r: shrink it towards white noise's −0.5 by n / (n + 20).
        let n = Double(d.count - 1)
        let r = -0.5 + (numerator / denominator + 0.5) * n / (n + 20)
        guard r < 0 else { return range.upperBound }
        let q = max(0, -1 / r - 2)
        let alpha = (-q + (q * q + 4 * q).squareRoot()) / 2
        return min(max(alpha, range.lowerBound), range.upperBound)
    }

    /// The median of each phase's values after removing their cycle's mean, centred on 0
    /// (zeros without a season or for a phase never seen).
    static func profile(_ points: [SeriesPoint], _ season: Season) -> [Double] {
        guard season.phases > 1 else { return [0] }
        var sums: [Int: (Double, Int)] = [:]
        for p in points { if let v = p.value { let c = season.cycle(p.micros); sums[c, default: (0, 0)].0 += v; sums[c, default: (0, 0)].1 += 1 } }
        var byPhase = [[Double]](repeating: [], count: season.phases)
        for p in points {
            guard let v = p.value, let (sum, n) = sums[season.cycle(p.micros)], n >= 2 else { continue }
            byPhase[season.phase(p.micros)].append(v - sum / Double(n))
        }
        let medians = byPhase.map { Percentile.median($0) }
        let known = medians.compactMap { $0 }
        let centre = known.isEmpty ? 0 : known.reduce(0, +) / Double(known.count)
        return medians.map { ($0 ?? centre) - centre }
    }

    /// One point through the model: score it against the baseline, then learn from it.
    private mutating func step(_ point: SeriesPoint) -> Score {
        let c = configuration
        let phase = season?.phase(point.micros) ?? 0
        let steps = lastMicros.map { Double(point.micros - $0) / Double(interval ?? Season.day) } ?? 1
        let decay = pow(c.damping, steps)
        let trendGain = c.damping >= 1 ? steps : c.damping * (1 - decay) / (1 - c.damping)
        let predictedLevel = level + trend * trendGain
        let seasonalEffect = seasonal[phase] - seasonalOffset
        let expected = predictedLevel + seasonalEffect
        guard let y = point.value else { return Score(status: .missing, expected: expected) }
        let r = y - expected
        let s = max(scale, c.relativeScaleFloor * abs(predictedLevel), c.absoluteScaleFloor)
        let z = s > 0 ? r / s : (r == 0 ? 0 : (r > 0 ? Double.infinity : -Double.infinity))
        var status = Status.scored
        if abs(z) >= c.shiftZ {
            let sign = z > 0 ? 1 : -1
            if sign != shiftSign { shiftBuffer.removeAll(keepingCapacity: true) }
            shiftSign = sign
            shiftBuffer.append(y - seasonalEffect)
        } else {
            shiftBuffer.removeAll(keepingCapacity: true)
            shiftSign = 0
        }
        if shiftBuffer.count >= max(1, c.shiftConfirm) {
            level = Percentile.median(shiftBuffer) ?? y - seasonalEffect
            trend = 0
            shiftBuffer.removeAll(keepingCapacity: true)
            shiftSign = 0
            status = .levelShift
        } else {
            let bound = c.clip * s
            let clipped = min(max(r, -bound), bound)
            level = predictedLevel + alpha * clipped
            trend = trend * decay + alpha * c.beta * clipped
            if seasonal.count > 1 { pushSeason(phase, seasonal[phase] + clipped) }
        }
        residuals.push(abs(r))
        updateScale()
        lastMicros = point.micros
        var score = Self.score(z: z, alertZ: c.alertZ)
        if status == .levelShift, c.alertOnShift { score = max(score, 0.5) }
        return Score(status: status, score: score, z: z, expected: expected)
    }

    /// Values the state holds (fixed once warmed up: phases × seasonCycles + phases + the residual window).
    var stateSize: Int { rings.count + seasonal.count + residuals.capacity + warmup.count + shiftBuffer.count }

    /// Adds a value to a phase's ring and makes the phase's effect the ring's median.
    private mutating func pushSeason(_ phase: Int, _ value: Double) {
        let k = max(1, configuration.seasonCycles)
        rings[phase * k + ringNext[phase]] = value
        ringNext[phase] = (ringNext[phase] + 1) % k
        ringCount[phase] = min(ringCount[phase] + 1, k)
        scratch.removeAll(keepingCapacity: true)
        for i in 0..<ringCount[phase] { scratch.append(rings[phase * k + i]) }
        scratch.sort()
        let n = scratch.count
        let old = seasonal[phase]
        seasonal[phase] = n % 2 == 1 ? scratch[n / 2] : (scratch[n / 2 - 1] + scratch[n / 2]) / 2
        // Re-centre: the effects' mean moved by (new − old)/phases; the level takes it over.
        let shift = (seasonal[phase] - old) / Double(seasonal.count)
        seasonalOffset += shift
        level += shift
    }

    /// 1.4826 × the median absolute residual. When over half the residuals are 0 (a sparse count
    /// series) but at least 1 in 20 (and 3) are not, the smallest non-zero residual's quantile is
    /// matched to the normal's instead; fewer non-zero residuals (a flat line with a few spikes) give 0.
    private mutating func updateScale() {
        let sorted = residuals.sorted
        guard let median = residuals.median else { scale = 0; return }
        if median > 0 {
            scale = 1.4826 * median
            return
        }
        var firstPositive = 0
        while firstPositive < sorted.count, sorted[firstPositive] <= 0 { firstPositive += 1 }
        let nonZero = sorted.count - firstPositive
        guard nonZero >= max(3, sorted.count / 20) else { scale = 0; return }
        let q = (Double(firstPositive) + 0.5) / Double(sorted.count)
        scale = sorted[firstPositive] / RobustStatistics.normalQuantile((1 + q) / 2)
    }
}
