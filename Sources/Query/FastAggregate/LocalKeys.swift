import Foundation
import HomeBaseCore
import Lake

/// The group keys of one `local_…(ts, zone)` term for the aggregate fast path: per row an
/// integer that identifies the group (the local day number; for `local_hour` the hour; for
/// `local_week` the day number of its Monday) and, once per distinct integer, the value SQLite's
/// function returns for it (`YYYY-MM-DD`, `YYYY-MM`, or the hour). The offsets follow
/// `LocalTime`'s rule, looked up by 15-minute bucket from a table of the part's UTC day.
struct LocalKeys {
    let unit: FastAggregatePlan.LocalUnit
    private let zone: TimeZone
    /// The UTC day the table holds, and its 96 offsets in µs.
    private var day: Int64 = .min
    private var offsets: [Int64] = []

    init?(unit: FastAggregatePlan.LocalUnit, zone: String) {
        guard let made = TimeZone(identifier: zone) else { return nil }
        self.unit = unit
        self.zone = made
    }

    /// Key integers of the rows `mask` keeps (`ts` micros in `values`, NULL rows skipped by the
    /// caller) for a part of UTC day `partDay`; throws `FastPathDeclined` for a `ts` outside the
    /// years the lake holds (SQLite's function reports an error there).
    mutating func keys(_ values: [Int64], valid: [Bool]?, mask: [Bool], partDay: Int64?, into out: inout [Int64]) throws {
        if let partDay, partDay != day {
            day = partDay
            let first = partDay * 96
            offsets = (0..<96).map { LocalTime.offsetMicros(zone, bucket: first + Int64($0)) }
        }
        let dayStart = day == .min ? 0 : day * 86_400_000_000
        for r in values.indices where mask[r] && (valid?[r] ?? true) {
            let micros = values[r]
            guard micros >= CallRange.minMicros && micros <= CallRange.maxMicros else { throw FastPathDeclined() }
            let b = micros &- dayStart
            let offset: Int64
            if day != .min && b >= 0 && b < 86_400_000_000 {
                offset = offsets[Int(b / 900_000_000)]
            } else {
                offset = LocalTime.offsetMicros(zone, bucket: LocalTime.bucket(micros))
            }
            let local = micros + offset
            let days = UTCDate.dayNumber(micros: local)
            switch unit {
            case .hour: out[r] = (local - days * 86_400_000_000) / 3_600_000_000
            case .week: out[r] = days - (days + 3).modulo(7)
            case .date, .month: out[r] = days
            }
        }
    }

    /// The value SQLite's function gives for key integer `key`.
    func value(_ key: Int64) -> FastAggregateScan.Key {
        switch unit {
        case .hour: return .int(key)
        case .date, .week: return .text(Array(UTCDate.dateString(days: key).utf8))
        case .month: return .text(Array(UTCDate.dateString(days: key).utf8.prefix(7)))
        }
    }
}
