import Foundation

/// Day and hour buckets in an IANA time zone for UTC epoch-microsecond instants. The zone's UTC
/// offsets are looked up once (Foundation's tz database) as a short list of transitions, so
/// bucketing a row is a binary search over a handful of values, not a Foundation call; days
/// around DST changes have their true length (23 or 25 hours).
package struct LocalCalendar: Sendable {
    package let identifier: String
    /// Instants (µs) where the offset changes, ascending, and the offset (s) from each on.
    private let transitions: [Int64]
    private let offsets: [Int64]
    /// Offset before the first transition.
    private let initialOffset: Int64

    private static let microsPerSecond: Int64 = 1_000_000
    private static let microsPerDay: Int64 = 86_400_000_000

    /// The zone by IANA name ("UTC", "Europe/Berlin"), with its transitions between the two UTC
    /// day numbers (padded by a few days); nil for an unknown name.
    package init?(identifier: String, fromDay: Int64, toDay: Int64) {
        guard let zone = identifier == "UTC" ? TimeZone(secondsFromGMT: 0) : TimeZone(identifier: identifier) else { return nil }
        self.identifier = identifier
        let start = Date(timeIntervalSince1970: Double((fromDay - 3) * 86_400))
        let end = Date(timeIntervalSince1970: Double((toDay + 3) * 86_400))
        initialOffset = Int64(zone.secondsFromGMT(for: start))
        var transitions: [Int64] = [], offsets: [Int64] = []
        var cursor = start
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next <= end, transitions.count < 10_000 {
            let seconds = Int64(next.timeIntervalSince1970.rounded())
            transitions.append(seconds * Self.microsPerSecond)
            offsets.append(Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))))
            cursor = next
        }
        self.transitions = transitions
        self.offsets = offsets
    }

    /// The UTC offset in seconds at an instant.
    package func offsetSeconds(atMicros micros: Int64) -> Int64 {
        var low = 0, high = transitions.count
        while low < high {
            let mid = (low + high) / 2
            if transitions[mid] <= micros { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? initialOffset : offsets[low - 1]
    }

    /// Local wall-clock microseconds since 1970-01-01T00:00 local.
    package func localMicros(_ micros: Int64) -> Int64 { micros + offsetSeconds(atMicros: micros) * Self.microsPerSecond }

    /// The local day number (days since 1970-01-01) holding an instant.
    package func day(ofMicros micros: Int64) -> Int64 { Self.floorDiv(localMicros(micros), Self.microsPerDay) }

    /// The local hour number (hours since 1970-01-01T00 local wall clock) holding an instant.
    package func hour(ofMicros micros: Int64) -> Int64 { Self.floorDiv(localMicros(micros), 3_600_000_000) }

    /// The first instant (µs) of a local day: local midnight, or the first existing local time after it.
    package func startMicros(ofDay day: Int64) -> Int64 {
        startMicros(ofLocal: day * Self.microsPerDay)
    }

    /// The first instant whose local wall clock is at or after `local` (µs).
    package func startMicros(ofLocal local: Int64) -> Int64 {
        // Two candidates: the wall time read with the offset in force just before or after it.
        var best = Int64.max
        for probe in [
            local - offsetSeconds(atMicros: local - 2 * Self.microsPerDay) * Self.microsPerSecond,
            local - offsetSeconds(atMicros: local + 2 * Self.microsPerDay) * Self.microsPerSecond
        ] {
            if localMicros(probe) == local { best = min(best, probe) }
        }
        if best != .max { return best }
        // The wall time does not exist (a spring-forward gap): the day starts at the transition.
        let index = transitions.firstIndex { localMicros($0) >= local } ?? 0
        return transitions.isEmpty ? local - initialOffset * Self.microsPerSecond : transitions[index]
    }

    /// Length of a local day in seconds (86 400, or 82 800 / 90 000 on DST change days).
    package func secondsInDay(_ day: Int64) -> Int64 {
        (startMicros(ofDay: day + 1) - startMicros(ofDay: day)) / Self.microsPerSecond
    }

    package static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }
}
