import Dispatch
import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One blocking JSON POST with a timeout, returning status, body and headers (the on-call
/// channels need the body for PagerDuty/Telegram error messages and `retry_after`).
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
        var request = URLRequest(url: url, timeoutInterval: timeoutSeconds)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("homebase", forHTTPHeaderField: "User-Agent")
        request.httpBody = body
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeoutSeconds
        configuration.timeoutIntervalForResource = timeoutSeconds
        let session = URLSession(configuration: configuration)
        session.dataTask(with: request) { data, response, error in
            if let http = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (name, value) in http.allHeaderFields { headers[String(describing: name).lowercased()] = String(describing: value) }
                box.set(.success(Response(status: http.statusCode, body: data ?? Data(), headers: headers)))
            } else {
                // Only the code: URLSession's descriptions can carry the URL, and with it a bot token.
                let code = (error as? URLError)?.code.rawValue ?? (error as NSError?)?.code ?? 0
                box.set(.failure(TransportFailure(message: "no HTTP response (URLError \(code))")))
            }
            done.signal()
        }.resume()
        if done.wait(timeout: .now() + timeoutSeconds + 1) == .timedOut {
            session.invalidateAndCancel()
            return .failure(TransportFailure(message: "timed out after \(timeoutSeconds) s"))
        }
        session.finishTasksAndInvalidate()
        return box.get() ?? .failure(TransportFailure(message: "no result"))
    }

    /// A request that got no HTTP response.
    package struct TransportFailure: Error, Sendable {
        package var message: String
    }

    /// The completion handler's result, handed across threads under a lock.
    private final class Box: @unchecked Sendable {
        private let lock = NSLock()
        private var result: Result<Response, TransportFailure>?
        func set(_ value: Result<Response, TransportFailure>) { lock.withLock { result = value } }
        func get() -> Result<Response, TransportFailure>? { lock.withLock { result } }
    }
}
