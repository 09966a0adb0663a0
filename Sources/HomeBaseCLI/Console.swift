#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a command prints: standard output and standard error, swappable in tests.
package final class Console: @unchecked Sendable {
    package private(set) var capturedOut = ""
    package private(set) var capturedErr = ""
    private let capture: Bool

    /// A console over the process's own stdout/stderr.
    package static func standard() -> Console { Console(capture: false) }
    /// A console that keeps everything printed, for tests.
    package static func capturing() -> Console { Console(capture: true) }

    private init(capture: Bool) { self.capture = capture }

    /// Whether stdout is a terminal (progress displays only then).
    package var isTerminal: Bool { !capture && isatty(1) == 1 }

    package func out(_ text: String) {
        if capture { capturedOut += text + "\n" } else { write(1, text + "\n") }
    }

    package func err(_ text: String) {
        if capture { capturedErr += text + "\n" } else { write(2, text + "\n") }
    }

    private func write(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, base + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
