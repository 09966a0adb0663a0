/// One interesting gateway (tslog) log line: failover, rate limit, timeout, lane error, …
package struct GatewayEvent: Sendable, Equatable {
    /// Event time, epoch µs UTC.
    package var timestampMicros: Int64
    package var level: String
    package var subsystem: String?
    /// A short machine name for what happened (e.g. `failover_decision`, `rate_limit`, `timeout`, `lane_error`).
    package var event: String
    package var provider: String?
    package var model: String?
    package var reason: String?
    package var httpStatus: Int32?
    package var runId: String?
    /// The log message, truncated to 1 KiB.
    package var message: String
    package var sourceFile: String
    package var sourceLine: Int64

    package init(timestampMicros: Int64, level: String, event: String, message: String, sourceFile: String, sourceLine: Int64) {
        self.timestampMicros = timestampMicros
        self.level = level
        self.event = event
        self.message = message
        self.sourceFile = sourceFile
        self.sourceLine = sourceLine
    }
}
