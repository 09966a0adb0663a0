// homebase-net: the network helper of `homebase` (`HelperTransport`). It reads requests from its
// standard input and answers each on its standard output (`HelperMessage` frames) until its input
// closes; only this program links FoundationNetworking and libcurl.
import Foundation
import HomeBaseCore
import ObjectStore

if CommandLine.arguments.dropFirst().contains(where: { $0 == "--version" || $0 == "--help" }) {
    print("\(HelperTransport.helperName) \(Product.version): the network helper of homebase, started by it; not run by hand")
    exit(0)
}

let channel = FramedChannel.standardStreams()
/// One URLSession per timeout asked for (a session's timeout is set when it is made).
var transports: [Double: URLSessionTransport] = [:]
do {
    while let frame = try channel.read() {
        guard case .request(let request, let timeout, let streamed) = HelperMessage(frame) else {
            FileHandle.standardError.write(Data("\(HelperTransport.helperName): not a request (frame kind \(frame.kind))\n".utf8))
            exit(2)
        }
        let transport = transports[timeout] ?? URLSessionTransport(timeoutSeconds: timeout)
        transports[timeout] = transport
        let sink: ((Data) throws -> Void)? = streamed ? { data in try HelperMessage.chunk(data).write(to: channel) } : nil
        let answer: HelperMessage
        do {
            answer = .response(try transport.send(request, timeoutSeconds: timeout, sink: sink))
        } catch let failure as TransportFailure {
            answer = .failure(failure)
        } catch let error as FramedChannel.ChannelError {
            throw error  // homebase went away mid-body
        } catch {
            answer = .failure(TransportFailure(message: "\(error)", timedOut: false))
        }
        try answer.write(to: channel)
    }
} catch {
    FileHandle.standardError.write(Data("\(HelperTransport.helperName): \(error)\n".utf8))
    exit(1)
}
for transport in transports.values { transport.close() }
