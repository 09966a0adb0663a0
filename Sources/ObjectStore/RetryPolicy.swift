import Foundation

/// When and how long to wait before trying a failed request again: up to `maxAttempts` tries,
/// sleeping a random time in [0, min(maxDelay, baseDelay·2^(n-1))] before try n+1 ("full jitter",
/// so many clients that failed together do not come back together). The random numbers come from
/// `seed` and the sleep is injected, so tests run instantly and deterministically.
package struct RetryPolicy: Sendable {
    package var maxAttempts = 5
    package var baseDelaySeconds = 0.25
    package var maxDelaySeconds = 20.0
    package var seed: UInt64 = 0x5EED
    package var sleep: @Sendable (Double) -> Void = { seconds in if seconds > 0 { Thread.sleep(forTimeInterval: seconds) } }

    package init() {}

    package init(maxAttempts: Int, baseDelaySeconds: Double, maxDelaySeconds: Double, seed: UInt64, sleep: @escaping @Sendable (Double) -> Void) {
        self.maxAttempts = maxAttempts
        self.baseDelaySeconds = baseDelaySeconds
        self.maxDelaySeconds = maxDelaySeconds
        self.seed = seed
        self.sleep = sleep
    }

    /// The wait before attempt `attempt + 1` after `attempt` failed (1-based), given a uniform
    /// random `unit` in [0, 1).
    package func delay(afterAttempt attempt: Int, unit: Double) -> Double {
        let ceiling = min(maxDelaySeconds, baseDelaySeconds * pow(2, Double(max(0, attempt - 1))))
        return ceiling * unit
    }

    /// Whether a response status and S3 error code are worth another try: 5xx, 429, and the
    /// codes S3 sends for throttling or a slow upload (`SlowDown`, `RequestTimeout`, …).
    package static func isRetryable(status: Int, code: String?) -> Bool {
        if status >= 500 || status == 429 { return true }
        return [
            "SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable", "Throttling", "ThrottlingException",
            "RequestLimitExceeded", "TooManyRequests"
        ].contains(code ?? "")
    }
}

/// SplitMix64: the seeded source of the jitter. Locked because one client may be shared.
final class JitterSource: @unchecked Sendable {
    private var state: UInt64
    private let lock = NSLock()

    init(seed: UInt64) { state = seed }

    /// Uniform in [0, 1).
    func next() -> Double {
        lock.withLock {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Double(z >> 11) / Double(UInt64(1) << 53)
        }
    }
}
