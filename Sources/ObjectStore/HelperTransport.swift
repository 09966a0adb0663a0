import Foundation
import HomeBaseCore

/// `HTTPTransport` through the network helper `homebase-net`, which does the requests with
/// URLSession (libcurl on Linux). `homebase` itself does not link FoundationNetworking: libcurl
/// and the ~30 libraries it loads cost every command about 10 ms of start-up (two thirds of it),
/// and only S3, alerts and key imports make requests. The helper starts at the first request
/// and serves this transport's requests one at a time until `close()`. It is found by
/// `HOMEBASE_NET`, else beside the running executable, else on `PATH`.
package final class HelperTransport: HTTPTransport, @unchecked Sendable {
    /// The helper could not be found or started: not retried, the message says what to install.
    package struct Unavailable: Error, CustomStringConvertible {
        package var description: String
    }

    package static let helperName = "homebase-net"
    private let lock = NSLock()
    private var process: Process?
    private var channel: FramedChannel?
    private let environment: [String: String]

    package init(environment: [String: String] = ProcessEnvironment.current) {
        self.environment = environment
    }

    deinit { stop() }

    /// Ends the helper (it exits when its input closes).
    package func close() { lock.withLock { stop() } }

    package func send(_ request: HTTPRequest, timeoutSeconds: Double, sink: ((Data) throws -> Void)?) throws -> HTTPResponse {
        try lock.withLock {
            let channel = try running()
            do {
                try HelperMessage.request(request, timeoutSeconds: timeoutSeconds, streamed: sink != nil).write(to: channel)
                // URLSession gives up after `timeoutSeconds` without progress and says so; this
                // wait only catches a helper that stopped answering.
                while let frame = try channel.read(idleSeconds: timeoutSeconds + 30) {
                    switch HelperMessage(frame) {
                    case .chunk(let data):
                        do { try sink?(data) } catch {
                            stop()  // the helper is mid-body: start a fresh one for the next request
                            throw error
                        }
                    case .response(let response): return response
                    case .failure(let failure): throw failure
                    case .request, nil:
                        stop()
                        throw TransportFailure(message: "\(Self.helperName) answered with a frame of kind \(frame.kind)", timedOut: false)
                    }
                }
                throw FramedChannel.ChannelError.closed
            } catch let error as FramedChannel.ChannelError {
                let status = stop()
                if case .timedOut = error { throw TransportFailure(message: "\(Self.helperName) gave no answer: \(error)", timedOut: true) }
                throw TransportFailure(message: "\(Self.helperName) stopped\(status.map { " (exit status \($0))" } ?? ""): \(error)", timedOut: false)
            }
        }
    }

    /// The helper's channel, starting it when none runs.
    private func running() throws -> FramedChannel {
        if let channel { return channel }
        guard let path = Self.locate(environment: environment) else {
            throw Unavailable(
                description: "\(Self.helperName), the helper that makes homebase's HTTP requests (S3, alerts, key imports), is not beside "
                    + "\(Self.executablePath() ?? "homebase") nor on PATH: install it beside homebase (`make install` does) or set "
                    + "HOMEBASE_NET to its path")
        }
        let (channel, child) = try FramedChannel.pair()
        let handle = FileHandle(fileDescriptor: child, closeOnDealloc: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.standardInput = handle
        process.standardOutput = handle
        do { try process.run() } catch {
            channel.close()
            throw Unavailable(description: "cannot start \(path): \(error)")
        }
        try? handle.close()
        self.process = process
        self.channel = channel
        return channel
    }

    /// Closes the channel and ends the helper; its exit status when it has ended.
    @discardableResult
    private func stop() -> Int32? {
        guard let process else { return nil }
        channel?.close()
        channel = nil
        self.process = nil
        if process.isRunning {
            process.terminate()
            return nil
        }
        return process.terminationStatus
    }

    /// `HOMEBASE_NET`, else `homebase-net` beside the running executable, else on `PATH`.
    package static func locate(environment: [String: String]) -> String? {
        let files = FileManager.default
        if let path = environment["HOMEBASE_NET"], !path.isEmpty { return path }
        if let executable = executablePath() {
            let beside = (executable as NSString).deletingLastPathComponent + "/" + helperName
            if files.isExecutableFile(atPath: beside) { return beside }
        }
        for directory in (environment["PATH"] ?? "").split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(helperName)"
            if files.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The running executable, symbolic links resolved (`/proc/self/exe`).
    static func executablePath() -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    }
}
