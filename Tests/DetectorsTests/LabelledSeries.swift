import Foundation
@testable import Detectors

/// A seeded 64-bit generator (SplitMix64), so every generated series is the same on every run.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func int(_ range: Range<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }

    /// Standard normal (Box–Muller).
    mutating func normal() -> Double {
        let u = max(uniform(), 1e-300), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}

/// A generated series with its labelled anomalies: each event spans points start...end (indices
/// into `points`), and an alert anywhere in it finds it.
struct LabelledSeries {
    enum Kind: String, CaseIterable {
        case flat, seasonal, levelShift = "level_shift", drift, missing, ramp, hourly
    }

    struct Event {
        var start: Int
        var end: Int
        var kind: String
    }

    var kind: Kind
    var points: [SeriesPoint] = []
    var events: [Event] = []

    static let day: Int64 = 86_400_000_000
    static let start: Int64 = 20_089 * day  // 2025-01-01

    /// `days` daily points (or `days`·24 hourly ones for `.hourly`) of the given kind.
    /// Noise σ = 5 around 100 with a weekly profile (weekends lower); spikes are 6–12 σ, shifts 8–14 σ;
    /// a ramp is an incident that grows by 2 σ a day for 6 days (2, 4, … 12 σ) and then ends.
    static func make(_ kind: Kind, days: Int = 365, seed: UInt64) -> LabelledSeries {
        var random = SeededRandom(seed: seed &* 7919 &+ UInt64(Kind.allCases.firstIndex(of: kind) ?? 0))
        var series = LabelledSeries(kind: kind)
        let weekly = [0.0, 4, 6, 5, 3, -8, -10]
        let hourly = (0..<24).map { 15 * sin(Double($0 - 6) / 24 * 2 * Double.pi) }
        let sigma = 5.0
        let count = kind == .hourly ? days * 24 : days
        let step = kind == .hourly ? day / 24 : day
        var level = 100.0
        var values = [Double](repeating: 0, count: count)
        var shiftAt = Set<Int>()
        if kind == .levelShift {
            var at = 50
            while at < count - 20 {
                shiftAt.insert(at)
                at += random.int(60..<110)
            }
        }
        for i in 0..<count {
            let dayIndex = kind == .hourly ? i / 24 : i
            if shiftAt.contains(i) {
                level += (random.uniform() < 0.5 ? -1 : 1) * sigma * (8 + 6 * random.uniform())
                series.events.append(Event(start: i, end: i + 4, kind: "level_shift"))
            }
            switch kind {
            case .flat: values[i] = 100
            case .hourly: values[i] = level + weekly[dayIndex % 7] + hourly[i % 24] + sigma * random.normal()
            case .drift: values[i] = level + 20 * sigma * Double(i) / Double(count) + weekly[dayIndex % 7] + sigma * random.normal()
            default: values[i] = level + weekly[dayIndex % 7] + sigma * random.normal()
            }
        }
        let warm = kind == .hourly ? 24 * 21 : 21
        if kind == .ramp {
            var at = warm + random.int(20..<40)
            while at < count - 10 {
                for j in 0..<6 { values[at + j] += 2 * sigma * Double(j + 1) }
                series.events.append(Event(start: at, end: at + 5, kind: "ramp"))
                at += 50 + random.int(0..<40)
            }
            return series.finish(values, step: step)
        }
        // Sparse spikes, away from shifts and from each other, after the warm-up.
        var at = warm + random.int(10..<40)
        let gap = kind == .hourly ? 24 * 10 : 30
        while at < count - 5 {
            if !shiftAt.contains(where: { abs($0 - at) < 8 }) {
                let size = kind == .flat ? 5 + 20 * random.uniform() : sigma * (6 + 6 * random.uniform())
                values[at] += (random.uniform() < 0.3 ? -1 : 1) * size
                series.events.append(Event(start: at, end: at, kind: "spike"))
            }
            at += gap + random.int(0..<gap)
        }
        series.events.sort { $0.start < $1.start }
        return series.finish(values, step: step)
    }

    /// The points of `values` (a share blanked or dropped for `.missing`), events re-indexed by time.
    private func finish(_ values: [Double], step: Int64) -> LabelledSeries {
        var series = self
        let kind = self.kind, start = Self.start, count = values.count
        let warm = kind == .hourly ? 24 * 21 : 21
        var random = SeededRandom(seed: UInt64(count) &* 31 &+ UInt64(events.count))
        for i in 0..<count {
            if kind == .missing, i > warm, random.uniform() < 0.05, !series.events.contains(where: { $0.start == i }) {
                // Half the missing points are blank values, half are absent timestamps.
                if random.uniform() < 0.5 { series.points.append(SeriesPoint(micros: start + Int64(i) * step, value: nil)) }
                continue
            }
            series.points.append(SeriesPoint(micros: start + Int64(i) * step, value: values[i]))
        }
        if kind == .missing {
            // Events index points, and absent timestamps removed some: re-map them by time.
            let index = Dictionary(uniqueKeysWithValues: series.points.enumerated().map { ($1.micros, $0) })
            series.events = series.events.compactMap { e in
                guard let s = index[start + Int64(e.start) * step] else { return nil }
                let end = index[start + Int64(e.end) * step] ?? s
                return Event(start: s, end: end, kind: e.kind)
            }
        }
        return series
    }
}

/// Detection figures of a scorer over labelled series.
struct DetectionReport {
    var events = 0
    var detected = 0
    var delays: [Int] = []
    var falseAlarms = 0
    var scoredPoints = 0
    /// Points per month: 30 for daily series, 720 for hourly.
    var pointsPerMonth = 30.0

    var detectionRate: Double { events > 0 ? Double(detected) / Double(events) : 1 }
    var falseAlarmsPerMonth: Double { scoredPoints > 0 ? Double(falseAlarms) / (Double(scoredPoints) / pointsPerMonth) : 0 }
    var meanDelay: Double { delays.isEmpty ? 0 : Double(delays.reduce(0, +)) / Double(delays.count) }

    /// Scores `series` and adds its figures. An alert inside an event (or within `grace` points
    /// after its end: the return to normal after an incident is part of it) is not a false alarm.
    mutating func add(_ series: LabelledSeries, configuration: AnomalyScorer.Configuration = .init(), grace: Int = 4) {
        var scorer = AnomalyScorer(configuration: configuration)
        let scores = series.points.map { scorer.score($0) }
        let alerts = scores.indices.filter { scores[$0].isAlert }
        scoredPoints += scores.filter { $0.score != nil }.count
        for e in series.events where scores[e.start].status != .warmingUp {
            events += 1
            if let first = alerts.first(where: { $0 >= e.start && $0 <= e.end }) {
                detected += 1
                delays.append(first - e.start)
            }
        }
        for a in alerts where !series.events.contains(where: { a >= $0.start && a <= $0.end + grace }) { falseAlarms += 1 }
    }
}
