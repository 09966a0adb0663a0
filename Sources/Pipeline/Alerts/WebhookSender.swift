import Foundation
import OnCall

/// POSTs a JSON body to a webhook with a timeout and bounded retries (a 5xx, 429 or network
/// failure is retried after a short pause; a 4xx is not). Blocking: nightly runs stages in order.
package struct WebhookSender: Sendable {
    /// Pause before retry `n` (1-based), injected so tests do not wait.
    package var pause: @Sendable (Int) -> Void = { attempt in Thread.sleep(forTimeInterval: min(8, 0.5 * Double(1 << attempt))) }

    package init() {}

    package struct Failure: Error, CustomStringConvertible {
        package var url: String
        package var attempts: Int
        package var reason: String
        package var description: String { "webhook \(url): \(reason) after \(attempts) attempt\(attempts == 1 ? "" : "s")" }
    }

    /// Delivers `body`; throws `Failure` when every attempt failed.
    package func post(_ body: String, to url: String, timeoutSeconds: Double, retries: Int) throws {
        guard let target = URL(string: url) else { throw Failure(url: url, attempts: 0, reason: "not a valid URL") }
        var reason = ""
        for attempt in 0...retries {
            if attempt > 0 { pause(attempt) }
            let (status, error) = send(body, to: target, timeout: timeoutSeconds)
            if let status, (200..<300).contains(status) { return }
            reason = error ?? "HTTP status \(status ?? 0)"
            if let status, (400..<500).contains(status), status != 429 {
                throw Failure(url: url, attempts: attempt + 1, reason: reason + " (not retried: fix the URL or payload format)")
            }
        }
        throw Failure(url: url, attempts: retries + 1, reason: reason)
    }

    /// One attempt through the on-call channels' transport (its errors carry only the URLError
    /// code: a Slack or Discord webhook URL is itself a secret).
    private func send(_ body: String, to url: URL, timeout: Double) -> (status: Int?, error: String?) {
        switch HTTPTransport(timeoutSeconds: timeout).post(Data(body.utf8), to: url) {
        case .success(let response): (response.status, nil)
        case .failure(let failure): (nil, failure.message)
        }
    }
}
