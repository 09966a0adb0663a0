import Foundation
import ObjectStore

/// One blocking JSON POST with a timeout, returning status, body and headers (the on-call
/// channels need the body for PagerDuty/Telegram error messages and `retry_after`). Sent by the
/// network helper (`HelperTransport`), started for the one request.
package struct HTTPTransport: Sendable {
    package var timeoutSeconds: Double

    package init(timeoutSeconds: Double = 15) { self.timeoutSeconds = timeoutSeconds }

    package struct Response: Sendable {
        package var status: Int
        package var body: Data
        package var headers: [String: String]
    }

    /// The response, or a transport error message (connection refused, timeout) as `.failure`.
    package func post(_ body: Data, to url: URL) -> Result<Response, TransportFailure> {
        let request = HTTPRequest(
            method: "POST", url: url.absoluteString, headers: [("Content-Type", "application/json"), ("User-Agent", "homebase")], body: body)
        let helper = HelperTransport()
        defer { helper.close() }
        do {
            let response = try helper.send(request, timeoutSeconds: timeoutSeconds, sink: nil)
            return .success(Response(status: response.status, body: response.body, headers: response.headers))
        } catch let failure as ObjectStore.TransportFailure {
            // Only the code: URLSession's descriptions can carry the URL, and with it a bot token.
            if failure.timedOut { return .failure(TransportFailure(message: "timed out after \(timeoutSeconds) s")) }
            if failure.code != 0 { return .failure(TransportFailure(message: "no HTTP response (URLError \(failure.code))")) }
            return .failure(TransportFailure(message: "no HTTP response (\(Self.redacted(failure.message, url)))"))
        } catch {
            return .failure(TransportFailure(message: Self.redacted("\(error)", url)))
        }
    }

    /// `message` without `url`, its path or its query (where a bot token or routing key can be).
    static func redacted(_ message: String, _ url: URL) -> String {
        Redactor([url.absoluteString, url.path, url.query ?? ""].filter { $0.count > 1 })(message)
    }

    /// A request that got no HTTP response.
    package struct TransportFailure: Error, Sendable {
        package var message: String
    }
}
