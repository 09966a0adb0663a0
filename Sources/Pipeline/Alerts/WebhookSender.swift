import Dispatch
import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

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

    private func send(_ body: String, to url: URL, timeout: Double) -> (status: Int?, error: String?) {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("homebase", forHTTPHeaderField: "User-Agent")
        request.httpBody = Data(body.utf8)
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: configuration)
        session.dataTask(with: request) { _, response, error in
            outcome.set(status: (response as? HTTPURLResponse)?.statusCode, error: error.map { "\($0.localizedDescription)" })
            done.signal()
        }.resume()
        if done.wait(timeout: .now() + timeout + 1) == .timedOut {
            session.invalidateAndCancel()
            return (nil, "timed out after \(timeout) s")
        }
        session.finishTasksAndInvalidate()
        return outcome.get()
    }

    /// The completion handler's result, handed across threads under a lock.
    private final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var status: Int?
        private var error: String?
        func set(status: Int?, error: String?) {
            lock.withLock {
                self.status = status; self.error = error
            }
        }
        func get() -> (Int?, String?) { lock.withLock { (status, error) } }
    }
}
