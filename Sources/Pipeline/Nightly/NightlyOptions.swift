import Foundation
import HomeBaseCore
import Config

/// What one `homebase nightly` run does: the config (flags already applied) and the day it runs as.
package struct NightlyOptions: Sendable {
    package var config: HomeBaseConfig
    /// The local date the run acts as (`--today`); nil: today in the config's time zone.
    package var today: String?
    package var jobs = Processors.available
    /// Epoch µs; injected so tests are deterministic.
    package var now: @Sendable () -> Int64
    package var environment: [String: String] = ProcessEnvironment.current
    /// The pause before an alert delivery is retried, in seconds (tests make it instant).
    package var alertPause: @Sendable (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }

    package init(config: HomeBaseConfig, today: String? = nil, now: @escaping @Sendable () -> Int64) {
        self.config = config
        self.today = today
        self.now = now
    }
}
