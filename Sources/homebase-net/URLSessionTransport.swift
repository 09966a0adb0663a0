import Foundation
import ObjectStore
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `HTTPTransport` over URLSession (libcurl on Linux) in the helper, made synchronous for a batch CLI: each call
/// blocks until the task completes. Response bodies are handed to the sink as they arrive, so a
/// GET of any size uses a bounded amount of memory. Redirects are not followed: S3 answers a
/// wrong region with 301/307, which the client reports with the region to set.
final class URLSessionTransport: NSObject, HTTPTransport, URLSessionDataDelegate, @unchecked Sendable {
    private final class TaskState {
        var response: HTTPURLResponse?
        var collected = Data()
        var sink: ((Data) throws -> Void)?
        var sinkError: Error?
        var error: Error?
        let done = DispatchSemaphore(value: 0)
        init(sink: ((Data) throws -> Void)?) { self.sink = sink }
    }

    /// A body that is not streamed (XML documents, small objects) may be at most this big.
    static let maxCollectedBytes = 64 << 20
    private let lock = NSLock()
    private var states: [Int: TaskState] = [:]
    private var session: URLSession?
    private let queue: OperationQueue

    /// `timeoutSeconds`: the session's request timeout (libcurl's low-speed limit on Linux).
    init(timeoutSeconds: Double = 60) {
        queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        super.init()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.timeoutIntervalForRequest = timeoutSeconds
        session = URLSession(configuration: configuration, delegate: self, delegateQueue: queue)
    }

    /// Lets running tasks finish, then releases the session (which holds this delegate strongly:
    /// without this the pair is never freed).
    func close() {
        let current = lock.withLock { () -> URLSession? in
            defer { session = nil }
            return session
        }
        current?.finishTasksAndInvalidate()
    }

    func send(_ request: HTTPRequest, timeoutSeconds: Double, sink: ((Data) throws -> Void)?) throws -> HTTPResponse {
        guard let url = URL(string: request.url), let session = lock.withLock({ self.session }) else {
            throw TransportFailure(message: "bad request URL \(request.url)", timedOut: false)
        }
        var urlRequest = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeoutSeconds)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers where name.lowercased() != "host" { urlRequest.setValue(value, forHTTPHeaderField: name) }
        // libcurl would send `Expect: 100-continue` for bodies over 1 MiB and wait up to a second
        // for servers that never answer it; the body is at most one part, so just send it.
        urlRequest.setValue("", forHTTPHeaderField: "Expect")
        if !request.body.isEmpty || ["PUT", "POST"].contains(request.method) { urlRequest.httpBody = request.body }
        let state = TaskState(sink: sink)
        let task = session.dataTask(with: urlRequest)
        lock.withLock { states[task.taskIdentifier] = state }
        task.resume()
        state.done.wait()
        lock.withLock { states[task.taskIdentifier] = nil }
        if let sinkError = state.sinkError { throw sinkError }
        if let error = state.error {
            let timedOut = (error as? URLError)?.code == .timedOut
            let code = (error as? URLError)?.code.rawValue ?? (error as NSError).code
            throw TransportFailure(
                message: timedOut ? "timed out after \(Int(timeoutSeconds)) s without progress" : error.localizedDescription, timedOut: timedOut,
                code: code)
        }
        guard let response = state.response else { throw TransportFailure(message: "no HTTP response", timedOut: false) }
        var headers: [String: String] = [:]
        for (name, value) in response.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return HTTPResponse(status: response.statusCode, headers: headers, body: state.collected)
    }

    private func state(_ task: URLSessionTask) -> TaskState? { lock.withLock { states[task.taskIdentifier] } }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        guard let state = state(dataTask) else { return completionHandler(.cancel) }
        state.response = response as? HTTPURLResponse
        if let status = state.response?.statusCode, !(200..<300).contains(status) { state.sink = nil }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard let state = state(dataTask), state.sinkError == nil else { return }
        if let sink = state.sink {
            do { try sink(data) } catch {
                state.sinkError = error
                dataTask.cancel()
            }
        } else if state.collected.count + data.count <= URLSessionTransport.maxCollectedBytes {
            state.collected.append(data)
        } else {
            state.sinkError = TransportFailure(message: "response body over \(URLSessionTransport.maxCollectedBytes) bytes", timedOut: false)
            dataTask.cancel()
        }
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        guard let state = state(task) else { return }
        if state.sinkError == nil { state.error = error }
        // A declined redirect completes without `didReceive response` on Linux: take it from the task.
        if state.response == nil { state.response = task.response as? HTTPURLResponse }
        state.done.signal()
    }
}
