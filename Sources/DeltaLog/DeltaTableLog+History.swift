import Foundation

/// Reading the log back: the version ↔ catalog snapshot map (`--as-of` ↔ `versionAsOf`) and
/// the live file set by replaying the JSON commits (no checkpoints are written, so the
/// commits are the whole state).
extension DeltaTableLog {
    /// Every version's commitInfo, ascending.
    package func history() throws -> [DeltaVersionInfo] {
        try versions().map { version in
            var info = DeltaVersionInfo(version: version)
            for action in try actions(version: version, onlyLinesStartingWith: "{\"commitInfo\"") {
                guard let commitInfo = action["commitInfo"] as? [String: Any] else { continue }
                info.snapshot = (commitInfo[DeltaCommit.snapshotKey] as? NSNumber)?.int64Value
                info.timestampMillis = (commitInfo["timestamp"] as? NSNumber)?.int64Value
                info.operation = commitInfo["operation"] as? String
            }
            return info
        }
    }

    /// The Delta version to read for catalog snapshot `snapshot`: the newest version published
    /// at or before it (a snapshot that did not touch this table maps to the version before);
    /// nil when the table did not exist yet.
    package func version(asOfSnapshot snapshot: Int64) throws -> Int64? {
        try history().last { ($0.snapshot ?? .max) <= snapshot }?.version
    }

    /// The newest catalog snapshot the log publishes (where a catch-up resumes), or nil. Reads
    /// commits from the newest back (snapshots only grow with versions), usually just one.
    package func lastSnapshot() throws -> Int64? {
        for version in try versions().reversed() {
            for action in try actions(version: version, onlyLinesStartingWith: "{\"commitInfo\"") {
                if let snapshot = ((action["commitInfo"] as? [String: Any])?[DeltaCommit.snapshotKey] as? NSNumber)?.int64Value {
                    return snapshot
                }
            }
        }
        return nil
    }

    /// The `schemaString` of the newest `metaData` action, nil when the log has none.
    package func latestSchemaString() throws -> String? {
        for version in try versions().reversed() {
            for action in try actions(version: version, onlyLinesStartingWith: "{\"metaData\"") {
                if let schema = (action["metaData"] as? [String: Any])?["schemaString"] as? String { return schema }
            }
        }
        return nil
    }

    /// Table-relative paths (decoded) of the files live at `version` (default: the latest).
    package func liveFiles(atVersion version: Int64? = nil) throws -> Set<String> {
        var live = Set<String>()
        for v in try versions() where v <= (version ?? .max) {
            for action in try actions(version: v) {
                if let add = action["add"] as? [String: Any], let path = add["path"] as? String {
                    live.insert(try decoded(path, version: v))
                } else if let remove = action["remove"] as? [String: Any], let path = remove["path"] as? String {
                    live.remove(try decoded(path, version: v))
                }
            }
        }
        return live
    }

    /// The parsed action objects of one commit file; with `prefix`, only the lines that start
    /// with it (the history reads just the commitInfo line of each commit, not its stats).
    package func actions(version: Int64, onlyLinesStartingWith prefix: String? = nil) throws -> [[String: Any]] {
        let wanted = prefix.map { Array($0.utf8) }
        let path = logDirectory + "/" + DeltaTableLog.commitFileName(version)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DeltaLogError(.io, path: path, "cannot read", fix: "check permissions on _delta_log/")
        }
        var result: [[String: Any]] = []
        // Lines found with memchr over the raw bytes: iterating `Data` byte by byte (split,
        // starts(with:)) paid an exclusivity check per byte, and a commit holding a year's
        // `add` actions is a megabyte read for its one commitInfo line.
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.baseAddress else { return }
            var start = 0, number = 0
            while start < raw.count {
                number += 1
                var end = raw.count
                if let newline = memchr(base + start, 0x0A, raw.count - start) { end = UnsafeRawPointer(newline) - base }
                let line = UnsafeRawBufferPointer(rebasing: raw[start..<end])
                start = end + 1
                if line.isEmpty { continue }
                if let wanted {
                    let matches = line.count >= wanted.count && wanted.withUnsafeBytes { memcmp(line.baseAddress!, $0.baseAddress!, $0.count) == 0 }
                    if !matches { continue }
                }
                guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                    throw DeltaLogError(
                        .invalidLog, path: path, "line \(number) is not a JSON object",
                        fix: "a commit file is never edited; restore it from a backup")
                }
                result.append(object)
            }
        }
        return result
    }

    private func decoded(_ uri: String, version: Int64) throws -> String {
        guard let path = DeltaPath.decode(uri) else {
            throw DeltaLogError(
                .invalidLog, path: logDirectory + "/" + DeltaTableLog.commitFileName(version),
                "path '\(uri)' has a malformed escape", fix: "a commit file is never edited; restore it from a backup")
        }
        return path
    }
}
