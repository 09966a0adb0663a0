import Foundation
import HomeBaseCore
import SQLiteStore

/// Finds the transcript files and gateway logs to read (openclaw-logs.md §1.2 and §7).
///
/// Every copy of a transcript is read, and a call is counted once by its own identity (see
/// ``Ingestor``), so nothing depends on which copies exist: `agents/*/sessions/*.jsonl` (with
/// `-topic-` files and compaction successors), checkpoint copies `*.checkpoint.<uuid>.jsonl`,
/// reset/deleted archives in both spellings (`*.jsonl.reset.<ts>` and OpenClaw 2026.8+'s
/// `*.jsonl.<reason>.<ts>.<generation>`), each also as `.zst`, the JSONL that OpenClaw's SQLite
/// migration moved to `sessions/session-sqlite-import-archive/`, and the legacy
/// `<stateDir>/sessions/*.jsonl`. Not transcripts, so not read: trajectory sidecars,
/// `sessions.json`, `*.bak*` repair backups, lock files.
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
            throw DiscoveryError(
                path: stateDir,
                message: "state directory not found; set OPENCLAW_STATE_DIR or --state-dir to the OpenClaw state directory (e.g. ~/.openclaw)")
        }
        var files: [TranscriptFile] = []
        var skipped: [(path: String, reason: String)] = []
        let agentsDir = stateDir + "/agents"
        // Agents' folders are listed and classified on every CPU the process may use, and put
        // together in agent order: a fleet's year is 192 k names looked at before any is read.
        let agents = try sortedEntries(agentsDir).filter { $0.status?.isDirectory ?? false }.map(\.name)
        var found = try ParallelSlots.tryMap(agents.count, workers: Processors.available) { a in
            try agentFiles(agentsDir + "/" + agents[a] + "/sessions", agentId: agents[a])
        }
        files.reserveCapacity(found.reduce(0) { $0 + $1.files.count })
        for a in found.indices {
            files += found[a].files
            skipped += found[a].skipped
            found[a] = Found()  // each agent's list is let go once copied
        }
        let legacy = stateDir + "/sessions"
        for entry in try sortedEntries(legacy) {
            classify(entry, directory: legacy, agentId: "main", legacy: true, files: &files, skipped: &skipped)
        }
        return (files, skipped)
    }

    private struct Found: Sendable {
        var files: [TranscriptFile] = []
        var skipped: [(path: String, reason: String)] = []
    }

    /// One agent's transcripts: its sessions folder and the SQLite migration's import archive in it.
    private static func agentFiles(_ sessions: String, agentId: String) throws(DiscoveryError) -> Found {
        var found = Found()
        let entries = try sortedEntries(sessions)
        for entry in entries {
            classify(entry, directory: sessions, agentId: agentId, legacy: false, files: &found.files, skipped: &found.skipped)
        }
        guard entries.contains(where: { $0.name == SessionStoreDiscovery.importArchive && $0.status?.isDirectory == true }) else { return found }
        let imports = sessions + "/" + SessionStoreDiscovery.importArchive
        for entry in try sortedEntries(imports) {
            classify(entry, directory: imports, agentId: agentId, legacy: false, files: &found.files, skipped: &found.skipped)
        }
        return found
    }

    /// `openclaw-*.log` files of a directory (the openclaw-cn fork's `clawdbot-*.log` too), sorted.
    package static func gatewayLogs(directory: String) throws -> [String] {
        guard isDirectoryPath(directory) else {
            throw DiscoveryError(path: directory, message: "gateway log directory not found (default /tmp/openclaw; on Windows %TEMP%\\openclaw)")
        }
        return try sortedEntries(directory)
            .filter { ($0.name.hasPrefix("openclaw-") || $0.name.hasPrefix("clawdbot-")) && $0.name.hasSuffix(".log") }
            .filter { !($0.status?.isDirectory ?? false) }
            .map { directory + "/" + $0.name }
    }

    /// The order copies are read in, so the first copy of an entry (the one whose lineage is
    /// kept) is the original: live and archived sessions, then checkpoint copies and imported
    /// JSONL, then compaction successors (`<ISO ts>_<uuid>.jsonl`), oldest first.
    package static func successorsLast(_ files: [TranscriptFile]) -> [TranscriptFile] {
        let ranks = files.map(rank)
        var ordered: [TranscriptFile] = []
        ordered.reserveCapacity(files.count)
        for r in 0...2 {
            for i in files.indices where ranks[i] == r { ordered.append(files[i]) }
        }
        return ordered
    }

    /// 0 for a session's own file, 1 for a checkpoint or an imported copy, 2 for a compaction
    /// successor: files are read in this order, so an original entry wins over its copies.
    package static func rank(_ file: TranscriptFile) -> Int {
        var id = file.fileSessionId
        let successor = id.withUTF8 { bytes in
            bytes.count >= 11 && bytes[4] == UInt8(ascii: "-") && bytes[7] == UInt8(ascii: "-")
                && bytes[10] == UInt8(ascii: "T") && bytes.contains(UInt8(ascii: "_"))
        }
        if successor { return 2 }
        return file.kind == .checkpoint || file.imported ? 1 : 0
    }

    /// Decides what one directory entry is, looking it up by path. Internal for tests.
    package static func classify(
        name: String, directory: String, agentId: String, legacy: Bool,
        files: inout [TranscriptFile], skipped: inout [(path: String, reason: String)]
    ) {
        let entry = DirectoryListing.Entry(name: name, status: DirectoryListing.FileStatus.of(directory + "/" + name))
        classify(entry, directory: directory, agentId: agentId, legacy: legacy, files: &files, skipped: &skipped)
    }

    /// Decides what one listed entry is; a file keeps what `stat` said of it for the ingest.
    static func classify(
        _ entry: DirectoryListing.Entry, directory: String, agentId: String, legacy: Bool,
        files: inout [TranscriptFile], skipped: inout [(path: String, reason: String)]
    ) {
        // A name that is not UTF-8 is classified by its readable form, and the file carries why
        // the ingest cannot read it (reported with the fix, not missed).
        let name = entry.name
        let path = directory + "/" + name
        guard !(entry.status?.isDirectory ?? false) else { return }
        if name == "sessions.json" || find(".bak", in: name) != nil || name.hasSuffix(".trajectory.jsonl")
            || name.hasSuffix(".trajectory-path.json")
        {
            return
        }
        let imported = directory.hasSuffix("/" + SessionStoreDiscovery.importArchive)
        if let checkpoint = find(".checkpoint.", in: name), name.hasSuffix(".jsonl") {
            files.append(
                TranscriptFile(
                    path: path, agentId: agentId, fileSessionId: String(name[..<checkpoint.lowerBound]),
                    kind: .checkpoint, imported: imported, listed: entry))
            return
        }
        guard let range = find(".jsonl", in: name) else { return }
        let stem = String(name[..<range.lowerBound])
        var rest = name[range.upperBound...]
        let compressed = rest.hasSuffix(".zst")
        if compressed { rest = rest.dropLast(4) }
        let kind: TranscriptFile.Kind
        if rest.isEmpty {
            kind = legacy ? .legacy : (find("-topic-", in: stem) != nil ? .topic : .primary)
        } else if rest.hasPrefix(".reset.") {
            kind = .reset
        } else if rest.hasPrefix(".deleted.") {
            kind = .deleted
        } else {
            if compressed {
                skipped.append((path, "a .zst file that is not a transcript archive (<session>.jsonl[.reset|.deleted.<ts>].zst); not read"))
            }
            return  // .jsonl.lock, user copies such as .jsonl.full_backup
        }
        let sessionId = find("-topic-", in: stem).map { String(stem[..<$0.lowerBound]) } ?? stem
        files.append(
            TranscriptFile(
                path: path, agentId: agentId, fileSessionId: sessionId, kind: kind, compressed: compressed, imported: imported,
                listed: entry))
    }

    /// Where ASCII `needle` first occurs in `text`, compared byte by byte: Foundation's
    /// `range(of:)` and the standard library's `firstRange(of:)` (which walks characters) were
    /// most of a nightly ingest that had nothing new to read (29 k names, 5 searches each).
    static func find(_ needle: String, in text: String) -> Range<String.Index>? {
        var needle = needle, text = text
        // In place: an array of each name's bytes per search was a fifth of the classifying.
        let start: Int? = needle.withUTF8 { pattern in
            text.withUTF8 { bytes in
                guard !pattern.isEmpty, pattern.count <= bytes.count else { return nil }
                for start in 0...(bytes.count - pattern.count) where bytes[start] == pattern[0] {
                    if memcmp(bytes.baseAddress! + start, pattern.baseAddress!, pattern.count) == 0 { return start }
                }
                return nil
            }
        }
        guard let start else { return nil }
        let lower = text.utf8.index(text.utf8.startIndex, offsetBy: start)
        return lower..<text.utf8.index(lower, offsetBy: needle.utf8.count)
    }

    /// The entries of `directory` sorted by name; none when it is not a directory.
    private static func sortedEntries(_ directory: String) throws(DiscoveryError) -> [DirectoryListing.Entry] {
        guard isDirectoryPath(directory) else { return [] }
        do {
            return try DirectoryListing.entries(directory)
        } catch {
            throw DiscoveryError(path: directory, message: "cannot list directory: \(error.message)")
        }
    }

    private static func isDirectoryPath(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
