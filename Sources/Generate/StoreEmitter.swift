import Foundation
import HomeBaseCore
import SQLiteStore
import Codecs
import Ingest

/// Routes one agent's generated files to the `--store` layout: transcript files go to JSONL
/// files, to the agent's SQLite store (one `transcript_events` row per complete line), or both;
/// everything else (`sessions.json`, checkpoint copies, sidecars, locks) stays a file.
/// A compaction successor always goes where its parent goes, so the two stay in one store.
final class StoreEmitter {
    /// Where one session's transcript ends up.
    enum Route: String { case jsonl, both, imported, sqlite }

    /// `current`/`current-live`: the third agent never migrated to SQLite.
    let migrated: Bool
    /// `current`: archived sessions leave `transcript_events`.
    var archives: Bool { layout == .current }
    private var archiveInsert: SQLiteStatement?
    /// Archived sessions placed so far: every trap comes round in turn, so a small fleet has each.
    private var archivedCount = 0

    let layout: SessionStoreLayout
    let sessionsDir: String
    let databasePath: String
    /// Sessions starting before this (epoch ms) were migrated; later ones exist only in SQLite.
    let migrationMs: Int64
    /// Sessions per route, for the manifest.
    private(set) var routes: [String: Int] = [:]
    private var database: SQLiteDatabase?
    private var insert: SQLiteStatement?
    private var nextSeq: [String: Int64] = [:]
    /// Successors seen before their parent (the generator emits the parent last), by parent file name.
    private var waiting: [String: [(name: String, bytes: [UInt8], header: Header)]] = [:]

    init(layout: SessionStoreLayout, sessionsDir: String, migrationMs: Int64, agentIndex: Int = 0) {
        self.layout = layout
        migrated = !(layout == .current || layout == .currentLive) || agentIndex % 3 != 2
        self.sessionsDir = sessionsDir
        databasePath = (sessionsDir as NSString).deletingLastPathComponent + "/agent/" + SessionStoreDiscovery.fileName
        self.migrationMs = migrationMs
    }

    func emit(_ name: String, _ bytes: [UInt8]) throws {
        guard layout != .jsonl, migrated || Self.isArchiveName(name), Self.isTranscript(name) else {
            try FileOutput.write(bytes, to: sessionsDir + "/" + name)
            return
        }
        let header = Header(bytes)
        if let parent = header.parentName {
            waiting[parent, default: []].append((name, bytes, header))
            return
        }
        let route = route(name: name, header: header)
        try place(name, bytes, header, route)
        for successor in waiting.removeValue(forKey: name) ?? [] { try place(successor.name, successor.bytes, successor.header, route) }
    }

    /// Places successors whose parent never came, and commits the store.
    func finish() throws {
        for (_, successors) in waiting.sorted(by: { $0.key < $1.key }) {
            for s in successors { try place(s.name, s.bytes, s.header, route(name: s.name, header: s.header)) }
        }
        waiting = [:]
        insert = nil
        archiveInsert = nil
        if let database {
            // Rollback-journal mode once written: a committed sample then stays one file, with no
            // -wal/-shm beside it after a reader opens it (OpenClaw's own stores are WAL; both are read).
            do { try database.execute("COMMIT; PRAGMA journal_mode=DELETE;") } catch { throw GenerateError(path: databasePath, message: "\(error)") }
        }
        database = nil
    }

    /// sqlite: everything in SQLite. mixed: before the migration, 1 in 10 sessions stays a JSONL
    /// file only and 1 in 10 is in both places; the rest are imported (JSONL moved to the archive).
    private func route(name: String, header: Header) -> Route {
        guard migrated else { return .jsonl }
        guard layout == .mixed || layout == .current || layout == .currentLive, header.startMs < migrationMs else { return .sqlite }
        var hash = FNV1a()
        hash.add(name)
        switch hash.value % 10 {
        case 0: return .jsonl
        case 1: return .both
        default: return .imported
        }
    }

    private func place(_ name: String, _ bytes: [UInt8], _ header: Header, _ route: Route) throws {
        if (layout == .current || layout == .currentLive) && Self.isArchiveName(name) {
            try placeArchived(name, bytes, header, route)
            return
        }
        routes[route.rawValue, default: 0] += 1
        switch route {
        case .jsonl: try FileOutput.write(bytes, to: sessionsDir + "/" + name)
        case .both:
            try FileOutput.write(bytes, to: sessionsDir + "/" + name)
            try store(bytes, header)
        case .imported:
            let archive = sessionsDir + "/" + SessionStoreDiscovery.importArchive
            try FileOutput.makeDirectories(archive)
            try FileOutput.write(bytes, to: archive + "/" + name)
            try store(bytes, header)
        case .sqlite: try store(bytes, header)
        }
    }

    /// A deleted or reset session in the 2026.8+ layouts. Never-migrated agent: the old-style
    /// archive file (half the deleted ones as `.zst`; `current-live`: still the live `.jsonl`).
    /// Migrated agent: an archive row (`current`) or live events (`current-live`); an imported
    /// one also keeps its JSONL in the import archive, a file-only one stays a file.
    private func placeArchived(_ name: String, _ original: [UInt8], _ header: Header, _ route: Route) throws {
        var hash = FNV1a()
        hash.add(name)
        let h = hash.value
        let k = archivedCount
        archivedCount += 1
        let stem = String(name[..<name.range(of: ".jsonl")!.lowerBound])
        guard migrated, route != .jsonl else {
            if !archives {
                try FileOutput.write(original, to: sessionsDir + "/" + stem + ".jsonl")
                routes["live_jsonl", default: 0] += 1
            } else if k % 2 == 0 {
                try FileOutput.write(try Self.zstd(original), to: sessionsDir + "/" + name + ".zst")
                routes["archive_file_zst", default: 0] += 1
            } else {
                try FileOutput.write(original, to: sessionsDir + "/" + name)
                routes["archive_file", default: 0] += 1
            }
            return
        }
        // One in five archived sessions has an id that is not a safe file name.
        var bytes = original
        var header = header
        if k % 5 == 1 {
            let unsafe = "tg:group/-100\(h % 1_000_000_007):topic/\(h % 97):" + header.sessionId
            let end = bytes.firstIndex(of: 0x0A) ?? bytes.count
            let headerLine = String(decoding: bytes[..<end], as: UTF8.self)
                .replacingOccurrences(of: "\"id\":\"\(header.sessionId)\"", with: "\"id\":\"\(unsafe)\"")
            bytes.replaceSubrange(..<end, with: Array(headerLine.utf8))
            header.sessionId = unsafe
            routes["unsafe_session_id", default: 0] += 1
        }
        if route == .imported {
            let archive = sessionsDir + "/" + SessionStoreDiscovery.importArchive
            try FileOutput.makeDirectories(archive)
            try FileOutput.write(bytes, to: archive + "/" + name)
        }
        guard archives else {
            try store(bytes, header)
            routes["live_events", default: 0] += 1
            return
        }
        let reason = name.contains(".reset.") ? "reset" : "deleted"
        let stamp = String(name[name.range(of: ".\(reason).")!.upperBound...])
        let generation = String(h % 0xFFFF_FFFF, radix: 16)
        let zstd = k % 2 == 0
        let published = k % 3 != 2
        let safe = header.sessionId.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
        let fileSid = safe ? header.sessionId : "session-" + SHA256.hex(Array(header.sessionId.utf8))
        let archiveName = fileSid + ".jsonl.\(reason).\(stamp).\(generation)" + (zstd ? ".zst" : "")
        let blob = zstd ? try Self.zstd(bytes) : bytes
        let created = (ISO8601Time.micros(Self.isoFromStamp(stamp)) ?? header.startMs * 1000) / 1000
        do {
            _ = try openStore()
            let insert =
                try archiveInsert
                ?? database!.prepare(
                    """
                    INSERT INTO session_transcript_archives(session_id, generation, session_key, reason, encoding, archive_blob,
                        archive_sha256, archive_name, created_at, published_at) VALUES(?,?,?,?,?,?,?,?,?,?)
                    """)
            archiveInsert = insert
            try insert.run([
                .text(header.sessionId), .text(generation), .text("agent:gen:" + header.sessionId), .text(reason),
                .text(zstd ? "zstd" : "identity"), .blob(blob), .text(SHA256.hex(bytes)), .text(archiveName),
                .int(created), published ? .int(created + 1_000) : .null
            ])
        } catch {
            throw GenerateError(path: databasePath, message: "cannot insert an archive row: \(error)")
        }
        routes[zstd ? "archive_row_zstd" : "archive_row", default: 0] += 1
        if published {
            try FileOutput.write(blob, to: sessionsDir + "/" + archiveName)
            routes["archive_published", default: 0] += 1
        }
    }

    static func isArchiveName(_ name: String) -> Bool { name.contains(".jsonl.reset.") || name.contains(".jsonl.deleted.") }

    private static func zstd(_ bytes: [UInt8]) throws -> [UInt8] {
        do { return try ZstdDecoder.compress(bytes) } catch { throw GenerateError(path: "zstd", message: "\(error)") }
    }

    /// `2026-03-02T08-15-44.120Z` → `2026-03-02T08:15:44.120Z`.
    private static func isoFromStamp(_ stamp: String) -> String {
        var chars = Array(stamp)
        for i in [13, 16] where i < chars.count { chars[i] = ":" }
        return String(chars)
    }

    /// One row per complete line; a final line without its newline was never committed, so it is left out.
    private func store(_ bytes: [UInt8], _ header: Header) throws {
        let insert = try openStore()
        var seq = nextSeq[header.sessionId] ?? 0
        var start = 0
        do {
            while let end = bytes[start...].firstIndex(of: 0x0A) {
                if end > start {
                    seq += 1
                    let line = String(decoding: bytes[start..<end], as: UTF8.self)
                    try insert.run([.text(header.sessionId), .int(seq), .text(line), .int(header.startMs + seq)])
                }
                start = end + 1
            }
        } catch {
            throw GenerateError(path: databasePath, message: "cannot insert an event: \(error)")
        }
        nextSeq[header.sessionId] = seq
    }

    private func openStore() throws -> SQLiteStatement {
        if let insert { return insert }
        do {
            try FileOutput.makeDirectories((databasePath as NSString).deletingLastPathComponent)
            for suffix in ["", "-wal", "-shm"] { unlink(databasePath + suffix) }
            let database = try SQLiteDatabase(path: databasePath)
            try database.execute(
                """
                PRAGMA synchronous=OFF;
                CREATE TABLE transcript_events(session_id TEXT NOT NULL, seq INTEGER NOT NULL, event_json TEXT NOT NULL,
                    created_at INTEGER NOT NULL, PRIMARY KEY(session_id, seq));
                CREATE TABLE session_entries(session_id TEXT NOT NULL, session_key TEXT, entry_json TEXT, updated_at INTEGER);
                CREATE TABLE session_transcript_archives(session_id TEXT NOT NULL, generation TEXT NOT NULL, session_key TEXT NOT NULL,
                    reason TEXT NOT NULL CHECK (reason IN ('deleted', 'reset')), encoding TEXT NOT NULL CHECK (encoding IN ('identity', 'zstd')),
                    archive_blob BLOB NOT NULL, archive_sha256 TEXT NOT NULL CHECK (length(archive_sha256) = 64),
                    archive_name TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL, published_at INTEGER,
                    publish_attempts INTEGER NOT NULL DEFAULT 0, last_publish_attempt_at INTEGER, last_publish_error TEXT,
                    PRIMARY KEY (session_id, generation)) STRICT;
                BEGIN;
                """)
            let statement = try database.prepare("INSERT INTO transcript_events(session_id, seq, event_json, created_at) VALUES(?,?,?,?)")
            self.database = database
            insert = statement
            return statement
        } catch let error as GenerateError {
            throw error
        } catch {
            throw GenerateError(path: databasePath, message: "cannot create the SQLite session store: \(error)")
        }
    }

    /// A transcript OpenClaw would count (primary, topic, successor, reset/deleted archive).
    static func isTranscript(_ name: String) -> Bool {
        var files: [TranscriptFile] = []
        var skipped: [(path: String, reason: String)] = []
        TranscriptDiscovery.classify(name: name, directory: "/nonexistent", agentId: "", legacy: false, files: &files, skipped: &skipped)
        return !files.isEmpty
    }

    /// What the first line of a transcript says: session id, start time, and the parent's file name.
    struct Header {
        var sessionId = ""
        var startMs: Int64 = 0
        var parentName: String?

        init(_ bytes: [UInt8]) {
            let end = bytes.firstIndex(of: 0x0A) ?? bytes.count
            guard let value = try? JSONValue.parse(String(decoding: bytes[..<end], as: UTF8.self)) else { return }
            sessionId = value["id"]?.stringValue ?? ""
            startMs = (value["timestamp"]?.stringValue).flatMap(ISO8601Time.micros).map { $0 / 1000 } ?? 0
            parentName = value["parentSession"]?.stringValue.map { ($0 as NSString).lastPathComponent }
        }
    }
}
