import Foundation

/// One HTTP exchange as the S3 client sees it: a request with an in-memory body (at most one
/// part), and a response whose body is either collected or streamed to `sink` chunk by chunk.
package protocol HTTPTransport: Sendable {
    /// Sends `request`. A 2xx body goes to `sink` when one is given (and is then not collected);
    /// any other body is collected (error documents are small). Throws `TransportFailure` when no
    /// response arrived (connection refused, reset, timed out).
    func send(_ request: HTTPRequest, timeoutSeconds: Double, sink: ((Data) throws -> Void)?) throws -> HTTPResponse
}

package struct HTTPRequest: Sendable {
    package var method: String
    package var url: String
    package var headers: [(String, String)]
    package var body: Data

    package init(method: String, url: String, headers: [(String, String)], body: Data = Data()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

package struct HTTPResponse: Sendable {
    package var status: Int
    /// Header names lowercased.
    package var headers: [String: String]
    package var body: Data

    package init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// No HTTP response: the connection failed or timed out. Retried with backoff.
package struct TransportFailure: Error, Sendable, CustomStringConvertible {
    package var message: String
    package var timedOut: Bool
    /// URLSession's error code when it gave one (`URLError.Code`), else 0: a message that must not
    /// carry the URL (a Telegram bot token is in its path) is made from the code alone.
    package var code: Int
    package init(message: String, timedOut: Bool, code: Int = 0) {
        self.message = message
        self.timedOut = timedOut
        self.code = code
    }
    package var description: String { message }
}
