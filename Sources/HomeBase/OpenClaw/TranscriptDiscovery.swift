import Foundation

/// Finds the transcript files and gateway logs to read (openclaw-logs.md §1.2 and §7).
///
/// Read: `agents/*/sessions/*.jsonl` (with `-topic-` files), `*.jsonl.reset.<ts>`,
/// `*.jsonl.deleted.<ts>`, and the legacy `<stateDir>/sessions/*.jsonl`. Excluded: checkpoint
/// copies `*.checkpoint.<uuid>.jsonl` (full duplicates), trajectory sidecars, `sessions.json`,
/// `*.bak*`, lock files and anything else. `.zst` archives are listed as skipped (no zstd here).
/// Sub-directories such as `session-sqlite-import-archive/` are not entered.
package enum TranscriptDiscovery {
    package struct DiscoveryError: Error, Sendable, CustomStringConvertible {
        package var path: String
        package var message: String
        package var description: String { "\(path): \(message)" }
    }

    package static func transcripts(stateDir: String) throws -> (files: [TranscriptFile], skipped: [(path: String, reason: String)]) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: stateDir, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DiscoveryError(path: stateDir, message: "state directory not found; set OPENCLAW_STATE_DIR or --state-dir to the OpenClaw state directory (e.g. ~/.openclaw)")
        }
        var files: [TranscriptFile] = []
        var skipped: [(path: String, reason: String)] = []
        let agentsDir = stateDir + "/agents"
        for agent in try sortedEntries(agentsDir) {
            let sessions = agentsDir + "/" + agent + "/sessions"
            guard isDirectoryPath(sessions) else { continue }
            for name in try sortedEntries(sessions) {
                classify(name: name, directory: sessions, agentId: agent, legacy: false, files: &files, skipped: &skipped)
            }
        }
        let legacy = stateDir + "/sessions"
        if isDirectoryPath(legacy) {
            for name in try sortedEntries(legacy) {
                classify(name: name, directory: legacy, agentId: "main", legacy: true, files: &files, skipped: &skipped)
            }
        }
        return (files, skipped)
    }

    /// `openclaw-*.log` files of a directory (the openclaw-cn fork's `clawdbot-*.log` too), sorted.
    package static func gatewayLogs(directory: String) throws -> [String] {
        guard isDirectoryPath(directory) else {
            throw DiscoveryError(path: directory, message: "gateway log directory not found (default /tmp/openclaw; on Windows %TEMP%\\openclaw)")
        }
        return try sortedEntries(directory)
            .filter { ($0.hasPrefix("openclaw-") || $0.hasPrefix("clawdbot-")) && $0.hasSuffix(".log") }
            .map { directory + "/" + $0 }
            .filter { !isDirectoryPath($0) }
    }

    /// Compaction successors (`<ISO ts>_<uuid>.jsonl`) after the other files, oldest first: the
    /// first copy of an entry read is the one kept, so the original session is read before its copy.
    package static func successorsLast(_ files: [TranscriptFile]) -> [TranscriptFile] {
        func isSuccessor(_ file: TranscriptFile) -> Bool {
            let bytes = Array(file.fileSessionId.utf8.prefix(11))
            return bytes.count == 11 && bytes[4] == UInt8(ascii: "-") && bytes[7] == UInt8(ascii: "-") && bytes[10] == UInt8(ascii: "T")
                && file.fileSessionId.contains("_")
        }
        return files.filter { !isSuccessor($0) } + files.filter(isSuccessor)
    }

    /// Decides what one directory entry is. Internal for tests.
    static func classify(name: String, directory: String, agentId: String, legacy: Bool,
                         files: inout [TranscriptFile], skipped: inout [(path: String, reason: String)]) {
        let path = directory + "/" + name
        guard !isDirectoryPath(path) else { return }
        if name == "sessions.json" || name.contains(".bak") || name.contains(".checkpoint.")
            || name.hasSuffix(".trajectory.jsonl") || name.hasSuffix(".trajectory-path.json") {
            return
        }
        guard let range = name.range(of: ".jsonl") else { return }
        let stem = String(name[..<range.lowerBound])
        let rest = name[range.upperBound...]
        let kind: TranscriptFile.Kind
        if rest.isEmpty {
            kind = legacy ? .legacy : (stem.contains("-topic-") ? .topic : .primary)
        } else if rest.hasPrefix(".reset.") {
            kind = .reset
        } else if rest.hasPrefix(".deleted.") {
            kind = .deleted
        } else {
            return  // .jsonl.lock, user copies such as .jsonl.full_backup
        }
        if name.hasSuffix(".zst") {
            skipped.append((path, "zstd-compressed archive; no zstd decoder here, decompress it (zstd -d) to include it"))
            return
        }
        let sessionId = stem.range(of: "-topic-").map { String(stem[..<$0.lowerBound]) } ?? stem
        files.append(TranscriptFile(path: path, agentId: agentId, fileSessionId: sessionId, kind: kind))
    }

    private static func sortedEntries(_ directory: String) throws -> [String] {
        guard isDirectoryPath(directory) else { return [] }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw DiscoveryError(path: directory, message: "cannot list directory: \(error.localizedDescription)")
        }
    }

    private static func isDirectoryPath(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
