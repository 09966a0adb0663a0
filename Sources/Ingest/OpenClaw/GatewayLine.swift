import Lake
/// What one gateway log line turned out to be.
package enum GatewayLine: Sendable, Equatable {
    /// A failover decision, rate limit, timeout, lane error or other warn/error line.
    case event(GatewayEvent)
    /// A valid line with nothing of interest (info/debug chatter, console continuation lines).
    case ignored
    /// A line that cannot be read; `reason` names the byte position and what is wrong.
    case quarantine(reason: String)
}
