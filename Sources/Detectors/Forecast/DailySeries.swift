import HomeBaseCore

/// A regular daily series: one value per UTC day from `startDay`, gaps filled so every method
/// sees a full week structure (the value a week earlier when there is one, else a straight line
/// between the neighbours, else the nearest value).
package struct DailySeries: Sendable, Equatable {
    /// Days since 1970-01-01 of `values[0]`.
    package var startDay: Int64
    package var values: [Double]
    /// How many days were filled in (missing in the file).
    package var filledDays: Int

    package init(startDay: Int64, values: [Double], filledDays: Int = 0) {
        self.startDay = startDay
        self.values = values
        self.filledDays = filledDays
    }

    /// Builds the series from points (in time order, at most one per UTC day); nil when no value is present.
    package init?(points: [SeriesPoint]) {
        let present = points.compactMap { p in p.value.map { (UTCDate.dayNumber(micros: p.micros), $0) } }
        guard let first = present.first, let last = present.last else { return nil }
        var slots = [Double?](repeating: nil, count: Int(last.0 - first.0) + 1)
        for (day, value) in present { slots[Int(day - first.0)] = value }
        var values = [Double](repeating: 0, count: slots.count)
        var filled = 0
        for i in slots.indices {
            if let v = slots[i] { values[i] = v; continue }
            filled += 1
            if i >= 7 { values[i] = values[i - 7]; continue }
            let previous = (0..<i).last { slots[$0] != nil }, next = ((i + 1)..<slots.count).first { slots[$0] != nil }
            switch (previous, next) {
            case let (p?, n?):
                let a = values[p], b = slots[n] ?? a
                values[i] = a + (b - a) * Double(i - p) / Double(n - p)
            case let (p?, nil): values[i] = values[p]
            case let (nil, n?): values[i] = slots[n] ?? 0
            default: values[i] = 0
            }
        }
        self.init(startDay: first.0, values: values, filledDays: filled)
    }

    /// Reads a `timestamp,value` CSV of daily values.
    /// - Throws: `SeriesError` for a bad line, or two values on one UTC day.
    package static func read(path: String) throws(SeriesError) -> DailySeries {
        let reader = try SeriesReader(path: path)
        var points: [SeriesPoint] = []
        var lastDay: Int64?
        while let point = try reader.next() {
            let day = UTCDate.dayNumber(micros: point.micros)
            if day == lastDay {
                throw SeriesError(
                    file: path, line: reader.lineNumber, code: .duplicateDay,
                    reason: "a second value for \(UTCDate.dateString(days: day))",
                    fix: "forecasts take one value per UTC day; sum or average the day's values first")
            }
            lastDay = day
            points.append(point)
        }
        guard let series = DailySeries(points: points) else {
            throw SeriesError(file: path, line: 0, code: .tooShort, reason: "the series has no values", fix: "give at least one dated value")
        }
        return series
    }

    /// `YYYY-MM-DD` of day index `i` (0 is `startDay`; may be past the end).
    package func date(_ i: Int) -> String { UTCDate.dateString(days: startDay + Int64(i)) }
}
