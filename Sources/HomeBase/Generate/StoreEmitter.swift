import Foundation

/// Routes one agent's generated files to the `--store` layout: transcript files go to JSONL
/// files, to the agent's SQLite store (one `transcript_events` row per complete line), or both;
/// everything else (`sessions.json`, checkpoint copies, sidecars, locks) stays a file.
/// A compaction successor always goes where its parent goes, so the two stay in one store.
final class StoreEmitter {
    /// Where one session's transcript ends up.
    enum Route: String { case jsonl, both, imported, sqlite }

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

    init(layout: SessionStoreLayout, sessionsDir: String, migrationMs: Int64) {
        self.layout = layout
        self.sessionsDir = sessionsDir
        databasePath = (sessionsDir as NSString).deletingLastPathComponent + "/agent/" + SessionStoreDiscovery.fileName
        self.migrationMs = migrationMs
    }

    func emit(_ name: String, _ bytes: [UInt8]) throws {
        guard layout != .jsonl, Self.isTranscript(name) else {
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
        if let database {
            do { try database.execute("COMMIT") } catch { throw GenerateError(path: databasePath, message: "\(error)") }
        }
        database = nil
    }

    /// sqlite: everything in SQLite. mixed: before the migration, 1 in 10 sessions stays a JSONL
    /// file only and 1 in 10 is in both places; the rest are imported (JSONL moved to the archive).
    private func route(name: String, header: Header) -> Route {
        guard layout == .mixed, header.startMs < migrationMs else { return .sqlite }
        var hash = FNV1a()
        hash.add(name)
        switch hash.value % 10 {
        case 0: return .jsonl
        case 1: return .both
        default: return .imported
        }
    }

    private func place(_ name: String, _ bytes: [UInt8], _ header: Header, _ route: Route) throws {
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
            try database.execute("""
                PRAGMA synchronous=OFF;
                CREATE TABLE transcript_events(session_id TEXT NOT NULL, seq INTEGER NOT NULL, event_json TEXT NOT NULL,
                    created_at INTEGER NOT NULL, PRIMARY KEY(session_id, seq));
                CREATE TABLE session_entries(session_id TEXT NOT NULL, session_key TEXT, entry_json TEXT, updated_at INTEGER);
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
