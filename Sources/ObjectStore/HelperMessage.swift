import Foundation
import HomeBaseCore

/// What `homebase` and its network helper `homebase-net` say to each other, one frame each
/// (`FramedChannel`): a request, then for it any number of body chunks (a streamed 2xx body) and
/// one response or failure. Fields are lengths and bytes, little endian; nothing is parsed as text.
package enum HelperMessage {
    case request(HTTPRequest, timeoutSeconds: Double, streamed: Bool)
    case chunk(Data)
    case response(HTTPResponse)
    case failure(TransportFailure)

    private enum Kind: UInt8 {
        case request = 0x51, chunk = 0x43, response = 0x52, failure = 0x45
    }

    package func write(to channel: FramedChannel) throws(FramedChannel.ChannelError) {
        var out = Payload()
        let kind: Kind
        switch self {
        case .request(let request, let timeout, let streamed):
            kind = .request
            out.string(request.method)
            out.string(request.url)
            out.number(timeout.bitPattern)
            out.number(streamed ? 1 : 0)
            out.pairs(request.headers)
            out.blob(request.body)
        case .chunk(let data):
            kind = .chunk
            out.bytes.append(contentsOf: data)
        case .response(let response):
            kind = .response
            out.number(UInt64(bitPattern: Int64(response.status)))
            out.pairs(response.headers.sorted { $0.key < $1.key })
            out.blob(response.body)
        case .failure(let failure):
            kind = .failure
            out.number(failure.timedOut ? 1 : 0)
            out.number(UInt64(bitPattern: Int64(failure.code)))
            out.string(failure.message)
        }
        try channel.write(kind: kind.rawValue, payload: out.bytes)
    }

    /// The message in `frame`; nil for a frame of an unknown kind or cut short.
    package init?(_ frame: FramedChannel.Frame) {
        guard let kind = Kind(rawValue: frame.kind) else { return nil }
        var input = FieldReader(cursor: ByteCursor(bytes: frame.payload))
        switch kind {
        case .request:
            guard let method = input.string(), let url = input.string(), let timeout = input.number(), let streamed = input.number(),
                let headers = input.pairs(), let body = input.blob()
            else { return nil }
            self = .request(
                HTTPRequest(method: method, url: url, headers: headers, body: body), timeoutSeconds: Double(bitPattern: timeout),
                streamed: streamed == 1)
        case .chunk:
            self = .chunk(Data(frame.payload))
        case .response:
            guard let status = input.number(), let headers = input.pairs(), let body = input.blob() else { return nil }
            self = .response(
                HTTPResponse(status: Int(Int64(bitPattern: status)), headers: Dictionary(headers, uniquingKeysWith: { a, _ in a }), body: body))
        case .failure:
            guard let timedOut = input.number(), let code = input.number(), let message = input.string() else { return nil }
            self = .failure(TransportFailure(message: message, timedOut: timedOut == 1, code: Int(Int64(bitPattern: code))))
        }
    }

    private struct Payload {
        var bytes: [UInt8] = []
        mutating func number(_ value: UInt64) { ByteCursor.appendFixed(value, to: &bytes) }
        mutating func blob(_ data: Data) {
            number(UInt64(data.count))
            bytes.append(contentsOf: data)
        }
        mutating func string(_ text: String) { blob(Data(text.utf8)) }
        mutating func pairs(_ list: [(String, String)]) {
            number(UInt64(list.count))
            for (name, value) in list {
                string(name)
                string(value)
            }
        }
    }

    /// The fields `Payload` writes, read with `ByteCursor`.
    private struct FieldReader {
        var cursor: ByteCursor
        mutating func number() -> UInt64? { cursor.fixed() }
        mutating func blob() -> Data? { number().flatMap { cursor.bytes($0) }.map { Data($0) } }
        mutating func string() -> String? { blob().map { String(decoding: $0, as: UTF8.self) } }
        mutating func pairs() -> [(String, String)]? {
            guard let count = number(), count <= UInt64(cursor.bytes.count) else { return nil }
            var list: [(String, String)] = []
            for _ in 0..<count {
                guard let name = string(), let value = string() else { return nil }
                list.append((name, value))
            }
            return list
        }
    }
}
