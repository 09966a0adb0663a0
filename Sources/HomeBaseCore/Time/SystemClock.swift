#if canImport(Glibc)
    import Glibc
#endif

/// The real clock; everything else takes the time as an injected value.
package enum SystemClock {
    package static func nowMicros() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1000
    }
}
