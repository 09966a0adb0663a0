import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One end of a byte stream carrying frames: a kind byte, the payload's length (8 bytes, little
/// endian) and the payload. The parent of a helper process talks to it over a socket pair
/// (`pair()`), writing with `MSG_NOSIGNAL` so a helper that died is an error, not a SIGPIPE;
/// the helper reads its standard input and writes its standard output.
package final class FramedChannel: @unchecked Sendable {
    /// A frame's payload may be at most this big (a request body is one multipart part).
    package static let maxPayload = 1 << 31

    package struct Frame: Sendable {
        package var kind: UInt8
        package var payload: [UInt8]
        package init(kind: UInt8, payload: [UInt8]) {
            self.kind = kind
            self.payload = payload
        }
    }

    package enum ChannelError: Error, CustomStringConvertible {
        case closed
        case timedOut(seconds: Double)
        case system(call: String, errno: Int32)
        case badFrame(String)

        package var description: String {
            switch self {
            case .closed: return "the other end closed the channel"
            case .timedOut(let seconds): return "nothing arrived for \(Int(seconds)) s"
            case .system(let call, let code): return "\(call): \(String(cString: strerror(code)))"
            case .badFrame(let reason): return "bad frame: \(reason)"
            }
        }
    }

    private let readFD: Int32
    private let writeFD: Int32
    private let isSocket: Bool
    private var buffer: [UInt8] = []
    private var start = 0

    /// Standard input and output (the helper's side).
    package static func standardStreams() -> FramedChannel { FramedChannel(read: 0, write: 1, isSocket: false) }

    /// A connected socket pair, close-on-exec: this process's end and the descriptor to hand to a
    /// child as its standard input and output (close it here once the child has it).
    package static func pair() throws(ChannelError) -> (FramedChannel, child: Int32) {
        var fds: [Int32] = [0, 0]
        #if canImport(Glibc)
            let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
            let type = SOCK_STREAM
        #endif
        guard socketpair(AF_UNIX, type, 0, &fds) == 0 else { throw .system(call: "socketpair", errno: errno) }
        return (FramedChannel(read: fds[0], write: fds[0], isSocket: true), fds[1])
    }

    private init(read: Int32, write: Int32, isSocket: Bool) {
        readFD = read
        writeFD = write
        self.isSocket = isSocket
    }

    /// Closes this end (a socket pair's only; the standard streams stay open).
    package func close() {
        if isSocket { _ = Glibc.close(readFD) }
    }

    /// Writes one frame whole.
    package func write(kind: UInt8, payload: [UInt8]) throws(ChannelError) {
        var header = [kind]
        ByteCursor.appendFixed(UInt64(payload.count), to: &header)
        try writeAll(header)
        try writeAll(payload)
    }

    private func writeAll(_ bytes: [UInt8]) throws(ChannelError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                let base = raw.baseAddress! + offset, count = bytes.count - offset
                return isSocket ? send(writeFD, base, count, Int32(MSG_NOSIGNAL)) : Glibc.write(writeFD, base, count)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw errno == EPIPE || errno == ECONNRESET ? .closed : .system(call: "write", errno: errno)
            }
            offset += n
        }
    }

    /// The next frame; nil at a clean end of stream (between frames). `idleSeconds`: how long to
    /// wait for each piece of it before giving up (nil: as long as it takes).
    package func read(idleSeconds: Double? = nil) throws(ChannelError) -> Frame? {
        guard try fill(9, idleSeconds: idleSeconds) else { return nil }
        let kind = buffer[start]
        let length = ByteCursor.fixed(buffer, at: start + 1)
        guard length <= UInt64(Self.maxPayload) else { throw .badFrame("payload of \(length) bytes") }
        start += 9
        guard try fill(Int(length), idleSeconds: idleSeconds) else { throw .closed }
        let payload = Array(buffer[start..<start + Int(length)])
        start += Int(length)
        return Frame(kind: kind, payload: payload)
    }

    /// Bytes held in the read buffer (read from the stream, not yet all handed out as frames).
    package var buffered: Int { buffer.count }

    /// Makes `count` unread bytes available; false when the stream ends before any arrive.
    private func fill(_ count: Int, idleSeconds: Double?) throws(ChannelError) -> Bool {
        while buffer.count - start < count {
            // Drop what was read before reading more, so a long stream of chunks does not pile up.
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            if let idleSeconds {
                var descriptor = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
                let ready = poll(&descriptor, 1, Int32(min(idleSeconds * 1000, Double(Int32.max))))
                if ready < 0 {
                    if errno == EINTR { continue }
                    throw .system(call: "poll", errno: errno)
                }
                if ready == 0 { throw .timedOut(seconds: idleSeconds) }
            }
            let want = max(count - buffer.count, 64 << 10)
            let old = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: want))
            let n = buffer.withUnsafeMutableBytes { Glibc.read(readFD, $0.baseAddress! + old, want) }
            buffer.removeLast(want - max(n, 0))
            if n < 0 {
                if errno == EINTR { continue }
                throw errno == ECONNRESET ? .closed : .system(call: "read", errno: errno)
            }
            if n == 0 {
                if buffer.count == start { return false }
                throw .closed
            }
        }
        return true
    }
}
