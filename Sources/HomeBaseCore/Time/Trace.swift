#if canImport(Glibc)
    import Glibc
#endif

/// Wall time of a run's phases, for finding where a nightly spends it: with `HOMEBASE_TRACE=1`
/// in the environment each measured phase prints `trace <label> <ms> ms` to stderr when it ends
/// (nested phases first). Unset, a span costs one load of a flag.
package enum Trace {
    package static let enabled: Bool = {
        guard let value = ProcessEnvironment.current["HOMEBASE_TRACE"] else { return false }
        return !value.isEmpty && value != "0"
    }()

    /// Runs `body`, printing its wall time under `label` when tracing is on.
    @inline(__always)
    package static func span<T>(_ label: @autoclosure () -> String, _ body: () throws -> T) rethrows -> T {
        guard enabled else { return try body() }
        let started = monotonicNanos()
        defer { report(label(), nanos: monotonicNanos() - started) }
        return try body()
    }

    private static func monotonicNanos() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    private static func report(_ label: String, nanos: Int64) {
        let millis = Double(nanos / 10_000) / 100
        let line = "trace \(label) \(millis) ms\n"
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}
