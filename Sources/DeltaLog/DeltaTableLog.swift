import Foundation

/// The `_delta_log/` of one table: lists the committed versions and writes the next one with
/// put-if-absent, so two writers can never both commit the same version.
///
/// A commit is written to a hidden temporary file in `_delta_log/` (which no Delta reader
/// lists: they only see names of the form `%020d.json`), fsynced, given the commit time as its
/// mtime, then hard-linked to its final name. `link()` fails when that name exists, so the
/// loser of a race gets `DeltaLogError.Code.commitConflict` and nothing of it is visible.
/// The temporary is unlinked after; a crash leaves only a hidden file that `recover()` removes.
package final class DeltaTableLog {
    /// The table directory (holding `_delta_log/` and the `date=…` folders).
    package let tableRoot: String
    package let logDirectory: String
    /// `commitInfo.engineInfo`, e.g. `homebase 0.9`.
    package let engineInfo: String

    package init(tableRoot: String, engineInfo: String = "homebase") {
        self.tableRoot = tableRoot
        self.logDirectory = tableRoot + "/_delta_log"
        self.engineInfo = engineInfo
    }

    /// The file name of commit `version`: `%020d.json`.
    package static func commitFileName(_ version: Int64) -> String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".json"
    }

    /// Committed versions, ascending (empty when the table has no log yet).
    package func versions() throws -> [Int64] {
        guard FileManager.default.fileExists(atPath: logDirectory) else { return [] }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: logDirectory) } catch {
            throw DeltaLogError(.io, path: logDirectory, "cannot list: \(error)", fix: "check permissions on the table directory")
        }
        return names.compactMap(DeltaTableLog.version(ofFileName:)).sorted()
    }

    package func latestVersion() throws -> Int64? { try versions().last }

    /// Writes `commit` as the next version (or as `version`, for a writer that read the table at
    /// `version - 1`); returns the version written. The first version of a table must carry
    /// `metadata`; it also gets the `protocol` action.
    @discardableResult
    package func commit(_ commit: DeltaCommit, version: Int64? = nil) throws -> Int64 {
        let next = try version ?? ((try latestVersion()).map { $0 + 1 } ?? 0)
        guard next >= 0 else { throw DeltaLogError(.invalidLog, path: logDirectory, "version \(next) is negative", fix: "versions start at 0") }
        if next == 0 && commit.metadata == nil {
            throw DeltaLogError(
                .invalidLog, path: logDirectory, "version 0 needs the table's metaData",
                fix: "create the table first (a commit with metadata), or pass DeltaMetadata")
        }
        let lines = try commit.lines(isFirstVersion: next == 0, engineInfo: engineInfo)
        try writeIfAbsent(version: next, contents: lines.joined(separator: "\n") + "\n", mtimeMillis: commit.timestampMillis)
        return next
    }

    /// Removes temporary commit files left by writers that are no longer running (a crash
    /// between writing and linking). Returns the names removed. Safe beside a live writer: its
    /// temporary names its process id, and a live process's files are kept.
    @discardableResult
    package func recover(isProcessAlive: (Int32) -> Bool = DeltaTableLog.processIsAlive) throws -> [String] {
        guard FileManager.default.fileExists(atPath: logDirectory) else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: logDirectory)) ?? []
        var removed: [String] = []
        for name in names.sorted() {
            guard let pid = DeltaTableLog.writerPID(ofTemporary: name), !isProcessAlive(pid) else { continue }
            guard unlink(logDirectory + "/" + name) == 0 || errno == ENOENT else {
                throw DeltaLogError(
                    .io, path: logDirectory + "/" + name, "cannot remove: \(String(cString: strerror(errno)))",
                    fix: "check permissions on _delta_log/")
            }
            removed.append(name)
        }
        return removed
    }

    package static func processIsAlive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 || errno == EPERM }

    // MARK: Files

    private static let temporaryPrefix = ".homebase-commit-"

    /// `.homebase-commit-<pid>-<thread>-<version>.json.tmp`: unique per writer thread, and
    /// naming the process so `recover()` can tell a crashed writer's file from a live one's.
    static func temporaryName(version: Int64, pid: Int32, thread: UInt) -> String {
        "\(temporaryPrefix)\(pid)-\(thread)-\(version).json.tmp"
    }

    static func writerPID(ofTemporary name: String) -> Int32? {
        guard name.hasPrefix(temporaryPrefix), name.hasSuffix(".json.tmp") else { return nil }
        let middle = name.dropFirst(temporaryPrefix.count).dropLast(".json.tmp".count)
        guard let dash = middle.firstIndex(of: "-") else { return nil }
        return Int32(middle[..<dash])
    }

    static func version(ofFileName name: String) -> Int64? {
        guard name.count == 25, name.hasSuffix(".json") else { return nil }
        let digits = name.prefix(20)
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(digits)
    }

    private func writeIfAbsent(version: Int64, contents: String, mtimeMillis: Int64) throws {
        do { try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true) } catch {
            throw DeltaLogError(.io, path: logDirectory, "cannot create: \(error)", fix: "check permissions on the table directory")
        }
        let final = logDirectory + "/" + DeltaTableLog.commitFileName(version)
        let temporary = logDirectory + "/" + DeltaTableLog.temporaryName(version: version, pid: getpid(), thread: UInt(pthread_self()))
        defer { unlink(temporary) }
        try writeDurably(temporary, Array(contents.utf8), mtimeMillis: mtimeMillis)
        guard link(temporary, final) == 0 else {
            let code = errno
            if code == EEXIST {
                throw DeltaLogError(
                    .commitConflict(version: version), path: final, "another writer committed version \(version) first",
                    fix: "read the table again and retry on top of version \(version)")
            }
            throw DeltaLogError(
                .io, path: final, "link failed: \(String(cString: strerror(code)))",
                fix: "the lake must be on a file system with hard links (put-if-absent commits need them)")
        }
        let directory = open(logDirectory, O_RDONLY | O_DIRECTORY)
        if directory >= 0 { fsync(directory); close(directory) }
    }

    private func writeDurably(_ path: String, _ bytes: [UInt8], mtimeMillis: Int64) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw DeltaLogError(.io, path: path, "cannot create: \(String(cString: strerror(errno)))", fix: "check permissions on _delta_log/")
        }
        defer { close(fd) }
        var done = 0
        try bytes.withUnsafeBytes { raw in
            while done < raw.count {
                guard let base = raw.baseAddress else { return }
                let n = write(fd, base + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    throw DeltaLogError(.io, path: path, "write failed: \(String(cString: strerror(errno)))", fix: "check free disk space")
                }
                done += n
            }
        }
        guard fsync(fd) == 0 else {
            throw DeltaLogError(.io, path: path, "fsync failed: \(String(cString: strerror(errno)))", fix: "check the disk")
        }
        // Timestamp time travel (Spark, delta-rs) reads the commit file's mtime: make it the commit time.
        let seconds = mtimeMillis >= 0 ? mtimeMillis / 1000 : (mtimeMillis - 999) / 1000
        let nanos = (mtimeMillis - seconds * 1000) * 1_000_000
        var times = [timespec(tv_sec: Int(seconds), tv_nsec: Int(nanos)), timespec(tv_sec: Int(seconds), tv_nsec: Int(nanos))]
        _ = futimens(fd, &times)
    }
}
