import Foundation
import HomeBaseCore
import SQLiteStore
import Lake

/// Local wall-clock time of a UTC instant in an IANA zone, for the `local_*` SQL functions.
/// Offsets come from the system tz database through Foundation, cached per zone by 15 minutes.
final class LocalTime {
    struct Parts {
        /// Days since 1970-01-01 of the local date.
        var days: Int64
        var hour: Int64
    }

    private var zones: [String: TimeZone] = [:]
    private var cache: [String: (bucket: Int64, offset: Int64)] = [:]

    /// Runs `body` on the local time of `arguments[0]` (ISO-8601 text or epoch µs) in zone `arguments[1]`.
    func apply(_ arguments: [SQLiteValue], _ name: String, _ body: (Parts) -> SQLiteValue) throws -> SQLiteValue {
        guard case .text(let zone) = arguments[1] else {
            if arguments[1] == .null { return .null }
            throw SQLiteFunctionError("\(name): the time zone must be text such as 'Europe/Berlin'")
        }
        let micros: Int64
        switch arguments[0] {
        case .null: return .null
        case .int(let v): micros = v
        case .text(let t):
            guard let v = ISO8601Time.micros(t) ?? UTCDate.parseDate(t).map({ $0 * 86_400_000_000 }) else {
                throw SQLiteFunctionError("\(name): '\(t)' is not an ISO-8601 time with a zone (e.g. 2026-02-09T10:00:00Z)")
            }
            micros = v
        default: throw SQLiteFunctionError("\(name): expected a timestamp")
        }
        // Outside the years the lake holds there is no calendar to give (and Int64.min + offset would trap).
        guard micros >= CallRange.minMicros && micros <= CallRange.maxMicros else {
            throw SQLiteFunctionError("\(name): \(micros) µs is outside years 0001-9999, the times the lake holds")
        }
        let local = micros + (try offsetMicros(zone: zone, at: micros, name))
        let days = UTCDate.dayNumber(micros: local)
        return body(Parts(days: days, hour: (local - days * 86_400_000_000) / 3_600_000_000))
    }

    private func offsetMicros(zone: String, at micros: Int64, _ name: String) throws -> Int64 {
        let bucket = Self.bucket(micros)
        if let hit = cache[zone], hit.bucket == bucket { return hit.offset }
        let timeZone: TimeZone
        if let known = zones[zone] {
            timeZone = known
        } else {
            guard let made = TimeZone(identifier: zone) else {
                throw SQLiteFunctionError("\(name): unknown time zone '\(zone)' (use an IANA name such as 'Europe/Berlin' or 'UTC')")
            }
            zones[zone] = made
            timeZone = made
        }
        let offset = Self.offsetMicros(timeZone, bucket: bucket)
        cache[zone] = (bucket, offset)
        return offset
    }

    /// The 15-minute bucket of `micros` (floor division), the unit offsets are looked up by.
    static func bucket(_ micros: Int64) -> Int64 { micros >= 0 ? micros / 900_000_000 : (micros - 899_999_999) / 900_000_000 }

    /// The zone's offset from UTC at the start of `bucket`, in µs: the one rule of every `local_*`
    /// function and of the query fast path's local-time groups.
    static func offsetMicros(_ zone: TimeZone, bucket: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(bucket * 900)))) * 1_000_000
    }
}
