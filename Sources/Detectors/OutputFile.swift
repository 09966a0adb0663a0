import HomeBaseCore
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A buffered text output: a file written under a temporary name and renamed over `path` on
/// `finish()` (readers never see half a file), or standard output when `path` is nil or "-".
final class OutputFile {
    let path: String?
    private let temporary: String?
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []
    private var closed = false

    init(path: String?) throws(SeriesError) {
        if let path, path != "-" {
            let temporary = AtomicFile.temporaryPath(for: path)
            guard let file = fopen(temporary, "w") else {
                throw SeriesError(
                    file: path, line: 0, code: .cannotWrite, reason: "cannot create the output file",
                    fix: "check that the directory exists and is writable")
            }
            self.path = path
            self.temporary = temporary
            self.file = file
        } else {
            self.path = nil
            temporary = nil
            guard let file = fdopen(1, "w") else {
                throw SeriesError(file: "stdout", line: 0, code: .cannotWrite, reason: "cannot write to standard output", fix: "give an output file")
            }
            self.file = file
        }
        buffer.reserveCapacity(1 << 16)
    }

    deinit {
        guard !closed, let temporary else { return }
        fclose(file)
        unlink(temporary)
    }

    func write(_ text: String) throws(SeriesError) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    private func flush() throws(SeriesError) {
        let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == buffer.count else {
            throw SeriesError(file: path ?? "stdout", line: 0, code: .cannotWrite, reason: "write failed", fix: "check free disk space")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes and (for a file) renames the output into place.
    func finish() throws(SeriesError) {
        try flush()
        guard let path, let temporary else {
            fflush(file)
            closed = true
            return
        }
        closed = true
        guard fclose(file) == 0 else {
            unlink(temporary)
            throw SeriesError(file: path, line: 0, code: .cannotWrite, reason: "closing the output failed", fix: "check free disk space")
        }
        do {
            try AtomicFile.commit(temporary, to: path)
        } catch {
            unlink(temporary)
            throw SeriesError(file: path, line: 0, code: .cannotWrite, reason: "\(error)", fix: "check that the directory is writable")
        }
    }
}
