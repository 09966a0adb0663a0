import Foundation

/// The wall-clock zone a report shows timestamps in (storage stays UTC): an IANA name or "UTC".
package struct ReportZone: Sendable, Equatable {
    package let identifier: String
    private let zone: TimeZone

    package static let utc = ReportZone(utc: ())

    private init(utc: Void) {
        identifier = "UTC"
        zone = TimeZone(secondsFromGMT: 0) ?? TimeZone.current
    }

    /// The zone named `identifier`; throws for an unknown name so a typo never falls back to UTC silently.
    package init(_ identifier: String) throws(RenderError) {
        guard let zone = TimeZone(identifier: identifier) else {
            throw RenderError("unknown time zone '\(identifier)' (use an IANA name such as Europe/Berlin, or UTC)")
        }
        self.identifier = identifier
        self.zone = zone
    }

    package static func == (lhs: ReportZone, rhs: ReportZone) -> Bool { lhs.identifier == rhs.identifier }

    /// Offset from UTC at the instant `micros`, in seconds (DST-aware).
    package func offsetSeconds(micros: Int64) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(micros) / 1_000_000))
    }

    /// The local wall-clock time of `micros`, still as epoch-style microseconds.
    package func localMicros(_ micros: Int64) -> Int64 { micros + Int64(offsetSeconds(micros: micros)) * 1_000_000 }

    /// "Z" for UTC, else "+02:00" / "-05:00".
    package func offsetText(micros: Int64) -> String {
        let offset = offsetSeconds(micros: micros)
        if offset == 0 { return "Z" }
        let minutes = abs(offset) / 60
        let hh = minutes / 60, mm = minutes % 60
        return (offset < 0 ? "-" : "+") + (hh < 10 ? "0" : "") + String(hh) + ":" + (mm < 10 ? "0" : "") + String(mm)
    }
}
