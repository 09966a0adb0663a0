import Foundation
import HomeBaseCore
@testable import ObjectStore
import TestSupport
import Testing

/// The network helper: its frames, the requests it makes against a local Python HTTP server,
/// and what the caller sees when the helper is missing, dies or answers nonsense.
@Suite struct HelperTransportTests {
    /// Writes `message` into one end of a socket pair and reads it back from the other.
    private func roundTrip(_ message: HelperMessage) throws -> HelperMessage? {
        let (near, child) = try FramedChannel.pair()
        defer { near.close() }
        let far = FileHandle(fileDescriptor: child, closeOnDealloc: true)
        try message.write(to: near)
        // The far end is a plain descriptor: read the frame's bytes back as the helper would.
        var bytes = [UInt8]()
        while bytes.count < 9 || bytes.count < 9 + Self.length(bytes) { bytes += [UInt8](far.availableData) }
        return HelperMessage(FramedChannel.Frame(kind: bytes[0], payload: Array(bytes[9...])))
    }

    private static func length(_ header: [UInt8]) -> Int { (1...8).reduce(0) { $0 | Int(header[$1]) << (8 * ($1 - 1)) } }

    @Test func framesCarryRequestsResponsesChunksAndFailures() throws {
        let body = Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let request = HTTPRequest(
            method: "PUT", url: "https://b.s3.example/k%20ey?partNumber=2", headers: [("x-amz-date", "20261204T000000Z"), ("Ünï", "ç ô")], body: body)
        guard case .request(let read, let timeout, let streamed) = try roundTrip(.request(request, timeoutSeconds: 12.5, streamed: true)) else {
            Issue.record("not a request")
            return
        }
        #expect(read.method == "PUT" && read.url == request.url && read.body == body && timeout == 12.5 && streamed)
        #expect(read.headers.map { "\($0.0)=\($0.1)" } == ["x-amz-date=20261204T000000Z", "Ünï=ç ô"])
        guard case .response(let response) = try roundTrip(.response(HTTPResponse(status: 404, headers: ["etag": "\"x\""], body: Data("no".utf8))))
        else {
            Issue.record("not a response")
            return
        }
        #expect(response.status == 404 && response.headers == ["etag": "\"x\""] && response.body == Data("no".utf8))
        guard case .chunk(let chunk) = try roundTrip(.chunk(Data())), chunk.isEmpty else {
            Issue.record("not an empty chunk")
            return
        }
        guard case .failure(let failure) = try roundTrip(.failure(TransportFailure(message: "reset", timedOut: true, code: -1001))) else {
            Issue.record("not a failure")
            return
        }
        #expect(failure.message == "reset" && failure.timedOut && failure.code == -1001)
    }

    /// A long stream of chunks (a big download) is read in bounded memory: what was handed out
    /// is dropped before the buffer grows.
    @Test func aLongStreamOfFramesKeepsTheBufferSmall() throws {
        let (near, child) = try FramedChannel.pair()
        defer { near.close() }
        let far = FileHandle(fileDescriptor: child, closeOnDealloc: true)
        let chunk = [UInt8](repeating: 7, count: 100_000), frames = 300
        let writer = Thread {
            var header: [UInt8] = [0x43]
            ByteCursor.appendFixed(UInt64(chunk.count), to: &header)
            for _ in 0..<frames { far.write(Data(header + chunk)) }
            try? far.close()
        }
        writer.start()
        var read = 0, largest = 0
        while let frame = try near.read(idleSeconds: 10) {
            #expect(frame.kind == 0x43 && frame.payload.count == chunk.count)
            read += 1
            largest = max(largest, near.buffered)
        }
        #expect(read == frames)
        #expect(largest < 3 * chunk.count, "the buffer held \(largest) bytes after 30 MB went through")
    }

    @Test func cutOrUnknownFramesAreRefused() {
        #expect(HelperMessage(FramedChannel.Frame(kind: 0x52, payload: [1, 0, 0])) == nil)
        #expect(HelperMessage(FramedChannel.Frame(kind: 0x7A, payload: [])) == nil)
        // A header count larger than the payload could hold.
        var payload = [UInt8](repeating: 0, count: 8)
        payload[0] = 200
        payload += [UInt8](repeating: 0xFF, count: 8)
        #expect(HelperMessage(FramedChannel.Frame(kind: 0x52, payload: payload)) == nil)
    }

    @Test func postsThroughTheHelperAndStreamsA2xxBody() throws {
        let big = String(repeating: "0123456789abcdef", count: 6_000)  // 96 KB: several chunks (the server takes its replies as one argument)
        let server = try RecordingServer([(200, big, [:]), (201, "{\"ok\":true}", ["X-Reply": "two"])])
        let transport = HelperTransport()
        defer { transport.close() }
        var streamed = Data()
        let first = try transport.send(
            HTTPRequest(method: "POST", url: server.url + "/one", headers: [("Content-Type", "application/json")], body: Data("{\"a\":1}".utf8)),
            timeoutSeconds: 10, sink: { streamed += $0 })
        #expect(first.status == 200 && first.body.isEmpty, "a streamed body goes to the sink, not into the response")
        #expect(streamed == Data(big.utf8))
        let second = try transport.send(
            HTTPRequest(method: "POST", url: server.url + "/two", headers: [("Content-Type", "application/json")], body: Data("[2]".utf8)),
            timeoutSeconds: 10, sink: nil)
        #expect(second.status == 201 && second.headers["x-reply"] == "two" && second.body == Data("{\"ok\":true}".utf8))
        #expect(server.requests.map(\.path) == ["/one", "/two"])
        #expect(server.requests.map { $0.json?.count ?? -1 } == [1, -1])
    }

    @Test func aSinkThatFailsMidBodyEndsThatRequestAndTheNextStillWorks() throws {
        struct DiskFull: Error {}
        let server = try RecordingServer([(200, String(repeating: "x", count: 100_000), [:]), (200, "fine", [:])])
        let transport = HelperTransport()
        defer { transport.close() }
        let request = HTTPRequest(method: "POST", url: server.url + "/", headers: [], body: Data("{}".utf8))
        #expect(throws: DiskFull.self) { try transport.send(request, timeoutSeconds: 10, sink: { _ in throw DiskFull() }) }
        let next = try transport.send(request, timeoutSeconds: 10, sink: nil)
        #expect(next.status == 200 && next.body == Data("fine".utf8))
    }

    @Test func aMissingOrBrokenHelperIsAClearError() throws {
        let request = HTTPRequest(method: "GET", url: "http://127.0.0.1:9/", headers: [])
        let missing = HelperTransport(environment: ["HOMEBASE_NET": "/nonexistent/homebase-net"])
        #expect(throws: HelperTransport.Unavailable.self) { try missing.send(request, timeoutSeconds: 1, sink: nil) }
        // A "helper" that exits at once: the request fails with a transport failure naming it.
        let exits = HelperTransport(environment: ["HOMEBASE_NET": "/bin/true"])
        do {
            _ = try exits.send(request, timeoutSeconds: 1, sink: nil)
            Issue.record("no error")
        } catch let failure as TransportFailure {
            #expect(failure.message.hasPrefix("homebase-net stopped"), "\(failure.message)")
        }
        // One that answers nonsense (`cat` sends the request back).
        let echoes = HelperTransport(environment: ["HOMEBASE_NET": "/bin/cat"])
        defer { echoes.close() }
        do {
            _ = try echoes.send(request, timeoutSeconds: 1, sink: nil)
            Issue.record("no error")
        } catch let failure as TransportFailure {
            #expect(failure.message.contains("frame of kind 81"), "\(failure.message)")
        }
    }

    @Test func theHelperIsFoundBesideTheExecutableThenOnPath() throws {
        let beside = try #require(HelperTransport.executablePath()).components(separatedBy: "/").dropLast().joined(separator: "/") + "/homebase-net"
        #expect(HelperTransport.locate(environment: ["PATH": ""]) == beside, "make test builds homebase-net beside the test bundle")
        #expect(HelperTransport.locate(environment: ["HOMEBASE_NET": "/opt/x/net", "PATH": "/usr/bin"]) == "/opt/x/net")
    }

    /// The point of the helper: `homebase` itself loads neither FoundationNetworking nor libcurl.
    @Test func homebaseLinksNoNetworkingLibrary() throws {
        let directory = try #require(HelperTransport.executablePath()).components(separatedBy: "/").dropLast().joined(separator: "/")
        for (binary, networking) in [("homebase", false), ("homebase-net", true)] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
            process.arguments = ["\(directory)/\(binary)"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let libraries = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "ldd \(binary): make test builds it beside the test bundle")
            #expect(libraries.contains("libcurl") == networking, "\(binary): \(libraries)")
        }
    }
}
