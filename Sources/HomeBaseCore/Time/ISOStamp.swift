/// Timestamps as queries see them: `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, always 27 bytes), which
/// sorts as text in time order and which DuckDB, Spark and Trino cast to a timestamp unchanged.
package enum ISOStamp {
    /// Writes `micros` (epoch µs) into the first 27 bytes of `out` without allocating.
    package static func format(micros: Int64, into out: UnsafeMutableBufferPointer<UInt8>) {
        let perDay: Int64 = 86_400_000_000
        let days = micros >= 0 ? micros / perDay : (micros - perDay + 1) / perDay
        let rest = micros - days * perDay
        let (y, m, d) = UTCDate.civil(days: days)
        let seconds = rest / 1_000_000
        func put(_ value: Int64, _ at: Int, _ width: Int) {
            var v = value
            for k in stride(from: at + width - 1, through: at, by: -1) {
                out[k] = UInt8(truncatingIfNeeded: 48 + v % 10)
                v /= 10
            }
        }
        put(y, 0, 4); out[4] = 45; put(m, 5, 2); out[7] = 45; put(d, 8, 2); out[10] = 84
        put(seconds / 3600, 11, 2); out[13] = 58; put(seconds / 60 % 60, 14, 2); out[16] = 58; put(seconds % 60, 17, 2)
        out[19] = 46; put(rest % 1_000_000, 20, 6); out[26] = 90
    }

    static func string(micros: Int64) -> String {
        let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 27)
        defer { bytes.deallocate() }
        format(micros: micros, into: bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
