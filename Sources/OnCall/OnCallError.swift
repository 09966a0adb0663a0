/// A delivery that failed, with the channel, a redacted target (never a routing key or bot
/// token), the attempts made and what to do about it.
package struct OnCallError: Error, CustomStringConvertible, Sendable, Equatable {
    package var channel: String
    /// The URL with any secret replaced by `<redacted>`.
    package var target: String
    package var attempts: Int
    package var reason: String
    package var fix: String

    package init(channel: String, target: String, attempts: Int, reason: String, fix: String) {
        self.channel = channel
        self.target = target
        self.attempts = attempts
        self.reason = reason
        self.fix = fix
    }

    package var description: String {
        "\(channel) \(target): \(reason) after \(attempts) attempt\(attempts == 1 ? "" : "s") (\(fix))"
    }
}
