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
        let started = ContinuousClock.now
        defer { report(label(), seconds: started.secondsElapsed) }
        return try body()
    }

    private static func report(_ label: String, seconds: Double) {
        let millis = (seconds * 100_000).rounded() / 100
        let line = "trace \(label) \(millis) ms\n"
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}
