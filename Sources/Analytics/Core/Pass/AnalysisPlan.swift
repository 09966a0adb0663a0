import HomeBaseCore
import Parquet
import Lake

/// The first, cheap pass of an analysis: which parts to read, the local calendar, the analysed
/// days and `now`, all from the `ts` column (and `agent_id` with an agent filter), plus the
/// earliest call of every part still to come, which tells the second pass when a day or hour can
/// no longer get calls (`BucketLatencies`).
struct AnalysisPlan: Sendable {
    let scan: LakeScan
    let calendar: LocalCalendar
    let fromDay: Int64
    let toDay: Int64
    let dayCount: Int
    let now: Int64
    let nowSource: String
    /// `laterMinimum[k]`: the earliest `ts` in parts after part k (`Int64.max` after the last).
    let laterMinimum: [Int64]

    /// The parts to read and the calendar to bucket them with, without reading any part.
    struct Scope: Sendable {
        let scan: LakeScan
        let calendar: LocalCalendar
        let fromOption: Int64?
        let toOption: Int64?

        init(options: AnalysisOptions) throws {
            let fromOption = try options.from.map(Analyzer.parseDay)
            let toOption = try options.to.map(Analyzer.parseDay)
            let listing = try LakeScan(dataDir: options.dataDir, table: .requests, asOf: options.asOf)
            // UTC partitions to read: the requested local days widened by one day each side (a local
            // day spans two UTC dates), plus the 32 days before `now` for the rolling windows, plus the
            // history the anomaly scorer and the forecast are fed before the range (see `historyDays`).
            let nowGuessDay: Int64? =
                options.now.map { UTCDate.dayNumber(micros: $0) }
                ?? listing.parts.compactMap { UTCDate.parseDate($0.date) }.filter { toOption == nil || $0 <= toOption! + 1 }.max()
            var readFrom = fromOption.map { $0 - 1 - Int64(Analyzer.historyDays) }
            if let from = readFrom, let guess = nowGuessDay { readFrom = min(from, guess - 1 - Int64(Analyzer.historyDays)) }
            var readTo = toOption.map { $0 + 1 }
            if let to = readTo, let guess = nowGuessDay { readTo = max(to, guess + 1) }
            // Partition names have four-digit years: a bound past 9999-12-31 would be "10000-01-01",
            // which sorts before "9999-12-31" as text and hid year-9999 calls (issue 26, J4).
            readFrom = readFrom.map { max($0, Analyzer.firstDay) }
            readTo = readTo.map { min($0, Analyzer.lastDay) }
            scan = try LakeScan(
                dataDir: options.dataDir, table: .requests, asOf: listing.snapshot,
                from: readFrom.map { UTCDate.dateString(days: $0) }, to: readTo.map { UTCDate.dateString(days: $0) })
            let dayBounds = scan.parts.compactMap { UTCDate.parseDate($0.date) }
            guard
                let calendar = LocalCalendar(
                    identifier: options.timeZone,
                    fromDay: min(dayBounds.min() ?? 0, fromOption ?? .max, nowGuessDay ?? .max) - 40,
                    toDay: max(dayBounds.max() ?? 0, toOption ?? .min, nowGuessDay ?? .min) + 40)
            else {
                throw AnalysisError.unknownTimeZone(options.timeZone)
            }
            self.calendar = calendar
            self.fromOption = fromOption
            self.toOption = toOption
        }
    }

    init(options: AnalysisOptions) throws {
        let scope = try Scope(options: options)
        scan = scope.scan
        calendar = scope.calendar
        let fromOption = scope.fromOption, toOption = scope.toOption
        let calendar = scope.calendar

        // Per part: its earliest call, its latest call on or before `toOption`, and its first
        // and last local day within the requested days. Both cores take half of the parts.
        struct PartBounds: Sendable {
            var minimum = Int64.max
            var latest: Int64?
            var first: Int64?
            var last: Int64?
        }
        let scan = self.scan
        let agent = options.agent
        let columns = agent == nil ? ["ts"] : ["ts", "agent_id"]
        let bounds = { @Sendable (parts: ArraySlice<PartRecord>) throws -> [PartBounds] in
            try parts.map { part in
                let path = scan.path(of: part)
                let reader = try ParquetReader(path: path)
                // A part whose calls all lie within the asked days needs only its footer: the
                // `ts` statistics are its first and last call (the part's writer records them
                // exactly), so the column is decoded only for the parts at the range's ends.
                if agent == nil, let (low, high) = Self.tsRange(reader), low >= CallRange.minMicros, high <= CallRange.maxMicros {
                    let first = calendar.day(ofMicros: low), last = calendar.day(ofMicros: high)
                    if last <= toOption ?? .max && first >= fromOption ?? .min {
                        return PartBounds(minimum: low, latest: high, first: first, last: last)
                    }
                }
                let data = Analyzer.onlyAgent(agent, try reader.readAll(columns: columns))
                guard case .int64(let times) = data[0].values else { throw AnalysisError.badPart(file: path, reason: "ts is not int64") }
                var result = PartBounds()
                for ts in times {
                    result.minimum = min(result.minimum, ts)
                    guard ts >= CallRange.minMicros && ts <= CallRange.maxMicros else { continue }  // refused by the second pass
                    let day = calendar.day(ofMicros: ts)
                    if let toOption, day > toOption { continue }
                    result.latest = max(result.latest ?? ts, ts)
                    if let fromOption, day < fromOption { continue }
                    result.first = min(result.first ?? day, day)
                    result.last = max(result.last ?? day, day)
                }
                return result
            }
        }
        let half = scan.parts.count / 2
        let (head, tail) = try Parallel.both({ try bounds(scan.parts[..<half]) }, { try bounds(scan.parts[half...]) })
        let parts = head + tail
        var later = Int64.max
        var laterMinimum = [Int64](repeating: .max, count: parts.count)
        for k in parts.indices.reversed() {
            laterMinimum[k] = later
            later = min(later, parts[k].minimum)
        }
        self.laterMinimum = laterMinimum
        let latest = parts.compactMap(\.latest).max()
        let firstDay = parts.compactMap(\.first).min(), lastDay = parts.compactMap(\.last).max()
        if let given = options.now {
            now = given
            nowSource = "option"
        } else if let latest {
            now = latest
            nowSource = "data"
        } else {
            now = options.generatedAt
            nowSource = "clock"
        }
        // No call and only a last day (nightly on a lake with host samples only): an empty range,
        // not every day since 1970.
        fromDay = fromOption ?? firstDay ?? toOption.map { $0 + 1 } ?? 0
        toDay = toOption ?? lastDay ?? -1
        dayCount = toDay >= fromDay ? Int(toDay - fromDay + 1) : 0
    }

    /// The smallest and largest `ts` of a part from its row groups' statistics; nil when a row
    /// group has none, a null, or no rows.
    static func tsRange(_ reader: ParquetReader) -> (Int64, Int64)? {
        var low = Int64.max, high = Int64.min
        for group in reader.rowGroups {
            guard group.numRows > 0, let ts = group.column("ts"), ts.nullCount == 0, case .int(let lo)? = ts.min, case .int(let hi)? = ts.max
            else { return nil }
            (low, high) = (min(low, lo), max(high, hi))
        }
        return low <= high ? (low, high) : nil
    }
}
