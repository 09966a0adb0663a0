import Foundation
@testable import ObjectStore

/// Passes requests to the real transport (the network helper) and records what went out: the method and
/// path of each request and the largest request body (the memory an upload needed at once).
final class RecordingTransport: HTTPTransport, @unchecked Sendable {
    private let inner = HelperTransport()
    private let lock = NSLock()
    private var log: [(method: String, url: String, bodyBytes: Int)] = []

    func send(_ request: HTTPRequest, timeoutSeconds: Double, sink: ((Data) throws -> Void)?) throws -> HTTPResponse {
        lock.withLock { log.append((request.method, request.url, request.body.count)) }
        return try inner.send(request, timeoutSeconds: timeoutSeconds, sink: sink)
    }

    var requests: [(method: String, url: String, bodyBytes: Int)] { lock.withLock { log } }
    var largestBody: Int { requests.map(\.bodyBytes).max() ?? 0 }
    func reset() { lock.withLock { log.removeAll() } }
}
