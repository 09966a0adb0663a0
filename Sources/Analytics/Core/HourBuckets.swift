import HomeBaseCore
/// The 168 UTC hour buckets ending with the one holding `now` (plus `history` before them), with local labels
/// (`YYYY-MM-DDTHH:MM±HH:MM`, unambiguous across DST) and each bucket's local hour of day.
struct HourBuckets {
    static let micros: Int64 = 3_600_000_000
    let first: Int64
    let count: Int
    let now: Int64
    let labels: [String]
    let hourOfDay: [Int]

    init(_ c: AnalysisContext, history: Int = 0) {
        now = c.now
        count = 168 + history
        let last = AnalysisMath.floorDiv(c.now, Self.micros)
        first = last - Int64(count) + 1
        var labels: [String] = [], hourOfDay: [Int] = []
        for k in 0..<count {
            let start = (first + Int64(k)) * Self.micros
            let local = c.calendar.localMicros(start)
            let offset = c.calendar.offsetSeconds(atMicros: start)
            labels.append(Self.label(localMicros: local, offsetSeconds: offset))
            hourOfDay.append(Int(AnalysisMath.floorMod(AnalysisMath.floorDiv(local, Self.micros), 24)))
        }
        self.labels = labels
        self.hourOfDay = hourOfDay
    }

    /// The bucket of an instant, if it is within the buckets and not after `now`.
    func index(_ micros: Int64) -> Int? {
        guard micros <= now else { return nil }
        let k = AnalysisMath.floorDiv(micros, Self.micros) - first
        return k >= 0 && k < Int64(count) ? Int(k) : nil
    }

    static func label(localMicros: Int64, offsetSeconds: Int64) -> String {
        let iso = UTCDate.isoString(micros: localMicros)  // YYYY-MM-DDTHH:MM:SS.ffffffZ of the wall clock
        let sign = offsetSeconds < 0 ? "-" : "+"
        let magnitude = abs(offsetSeconds)
        let hh = magnitude / 3600, mm = magnitude / 60 % 60
        return String(iso.prefix(16)) + sign + (hh < 10 ? "0" : "") + String(hh) + ":" + (mm < 10 ? "0" : "") + String(mm)
    }
}

/// Integer helpers with floor semantics for negative values.
enum AnalysisMath {
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { LocalCalendar.floorDiv(a, b) }
    static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }
}
