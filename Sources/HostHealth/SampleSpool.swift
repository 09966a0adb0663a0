import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// The JSONL file samples are appended to between ingests, under `<dataDir>/spool/`.
///
/// Appending is one `write` of one line under a short `flock` of the spool file, so concurrent
/// samplers never interleave. Folding renames the spool to `host_samples.folding.jsonl` under the
/// same lock, so samples appended meanwhile start a fresh spool; the folded file is deleted only
/// after the consumer returned, so a failed ingest folds the same samples again next time.
package struct SampleSpool: Sendable {
    package let directory: String
    /// Called between opening the spool and locking it: lets a test fold inside that window.
    var betweenOpenAndLock: (@Sendable () -> Void)?

    package init(dataDir: String) { directory = dataDir + "/spool" }
    package init(directory: String) { self.directory = directory }

    package var spoolPath: String { directory + "/host_samples.jsonl" }
    package var foldingPath: String { directory + "/host_samples.folding.jsonl" }
    package var statePath: String { directory + "/host_samples.state.json" }

    /// `PIPE_BUF`: the size below which one `write` is never split.
    package static let maxLineBytes = 4096

    /// The spool's contents split into samples, with what could not be used.
    package struct Contents: Sendable {
        package var samples: [HostSample] = []
        /// 1-based line numbers of complete lines that did not decode, with the reason.
        package var badLines: [(line: Int, reason: String)] = []
        /// Bytes after the last newline: a write cut short by a crash. Never a sample.
        package var tornTailBytes = 0
    }

    /// What a fold handed over and removed.
    package struct FoldReport: Sendable {
        package var folded = 0
        package var badLines = 0
        package var tornTailBytes = 0
    }

    /// Appends one sample as one line.
    package func append(_ sample: HostSample) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = try encoder.encode(sample)
        line.append(UInt8(ascii: "\n"))
        guard line.count < Self.maxLineBytes else {
            throw HealthError(
                path: spoolPath, message: "sample line of \(line.count) bytes is over \(Self.maxLineBytes)",
                fix: "shorten the disk directory paths in health.disk_dirs")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let fd = try openLocked(spoolPath, flags: O_RDWR | O_APPEND | O_CREAT)
        defer { close(fd) }
        // A crash mid-write leaves a line without its newline; start ours on a fresh line.
        var size = stat()
        if fstat(fd, &size) == 0, size.st_size > 0 {
            var last: UInt8 = 0
            if pread(fd, &last, 1, size.st_size - 1) == 1, last != UInt8(ascii: "\n") { line.insert(UInt8(ascii: "\n"), at: 0) }
        }
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.count else {
            throw HealthError(
                path: spoolPath, message: "short write (\(written) of \(line.count) bytes): \(String(cString: strerror(errno)))",
                fix: "check free space in the data dir")
        }
    }

    /// Reads complete samples of `path` (the spool by default); missing file = empty.
    package func read(_ path: String? = nil) throws -> Contents {
        let file = path ?? spoolPath
        guard FileManager.default.fileExists(atPath: file) else { return Contents() }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw HealthError(path: file, message: "cannot read", fix: "check permissions of the data dir")
        }
        return Self.parse(data)
    }

    /// Splits spool bytes into samples: every newline-terminated line is one sample; bytes after
    /// the last newline are a torn tail.
    package static func parse(_ data: Data) -> Contents {
        var contents = Contents()
        let decoder = JSONDecoder()
        let bytes = [UInt8](data)
        var start = 0, lineNumber = 0
        while start < bytes.count {
            guard let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                contents.tornTailBytes = bytes.count - start
                break
            }
            lineNumber += 1
            let line = bytes[start..<newline]
            start = newline + 1
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { continue }
            do {
                contents.samples.append(try decoder.decode(HostSample.self, from: Data(line)))
            } catch {
                contents.badLines.append((lineNumber, "not a sample: \(String(decoding: line.prefix(60), as: UTF8.self))"))
            }
        }
        return contents
    }

    /// Hands every complete sample to `consume` (which writes them to `host_samples`), then
    /// removes exactly those: a leftover `.folding` file from a failed fold first, then the spool.
    /// `consume` may see a sample twice after a crash between its commit and the removal, so it
    /// must de-duplicate on `(host, ts_us)`.
    @discardableResult
    package func fold(_ consume: ([HostSample]) throws -> Void) throws -> FoldReport {
        var report = FoldReport()
        // A leftover of a failed fold first, then the live spool; what is appended while
        // `consume` runs goes to a fresh spool and waits for the next fold.
        if FileManager.default.fileExists(atPath: foldingPath) { try foldDetached(consume, into: &report) }
        if FileManager.default.fileExists(atPath: spoolPath) {
            try detachSpool()
            try foldDetached(consume, into: &report)
        }
        return report
    }

    private func foldDetached(_ consume: ([HostSample]) throws -> Void, into report: inout FoldReport) throws {
        let contents = try read(foldingPath)
        if !contents.samples.isEmpty { try consume(contents.samples) }
        report.folded += contents.samples.count
        report.badLines += contents.badLines.count
        report.tornTailBytes += contents.tornTailBytes
        guard unlink(foldingPath) == 0 || errno == ENOENT else {
            throw HealthError(
                path: foldingPath, message: "cannot remove: \(String(cString: strerror(errno)))",
                fix: "check permissions of the data dir; its samples are folded again next time")
        }
    }

    /// Renames the spool to the folding name while holding its lock, so no append is lost:
    /// an appender waiting on the old file sees it moved and reopens the new name.
    private func detachSpool() throws {
        let fd = try openLocked(spoolPath, flags: O_RDONLY)
        defer { close(fd) }
        guard rename(spoolPath, foldingPath) == 0 else {
            throw HealthError(
                path: spoolPath, message: "rename to \(foldingPath) failed: \(String(cString: strerror(errno)))",
                fix: "check permissions of the data dir")
        }
    }

    /// Opens `path` and takes an exclusive `flock`, reopening when the file was renamed away
    /// while waiting (so the lock is always on the file now at `path`).
    private func openLocked(_ path: String, flags: Int32) throws -> Int32 {
        for _ in 0..<100 {
            let fd = open(path, flags | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw HealthError(path: path, message: "cannot open: \(String(cString: strerror(errno)))", fix: "check permissions of the data dir")
            }
            betweenOpenAndLock?()
            guard flock(fd, LOCK_EX) == 0 else {
                close(fd)
                throw HealthError(
                    path: path, message: "flock failed: \(String(cString: strerror(errno)))", fix: "is the data dir on a file system with locks?")
            }
            var opened = stat(), current = stat()
            if fstat(fd, &opened) == 0, stat(path, &current) == 0, opened.st_ino == current.st_ino, opened.st_dev == current.st_dev {
                return fd
            }
            close(fd)
        }
        throw HealthError(path: path, message: "the file kept moving while waiting for its lock", fix: "is another process renaming it in a loop?")
    }
}
