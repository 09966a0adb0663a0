import SQLiteStore

/// What the catalog knows about the raw files of some kinds, for one ingest run: the `sources`
/// rows and the transcripts' packs (`SourcePack`), looked up by path and changed in memory;
/// `write` puts the changed packs back inside the run's transaction.
package final class KnownSources {
    /// The kind whose files are packed: one file per chat session, the ones that are many.
    package static let packedKind = "transcript"

    private let database: SQLiteDatabase
    private var rows: [String: SourceState] = [:]
    private var packs: [String: SourcePack] = [:]
    private var changedPacks: Set<String> = []

    /// Loads the rows of `kinds` and, when they include transcripts, every pack.
    init(database: SQLiteDatabase, kinds: Set<String>) throws {
        self.database = database
        // Sized up front: rows can be tens of thousands, and growing the dictionary rehashed it a dozen times.
        let count = try database.withStatement("SELECT count(*) FROM sources") { try $0.step() ? Int($0.int64(0)) : 0 }
        rows.reserveCapacity(count)
        try database.withStatement(Catalog.sourceColumns) { statement in
            while try statement.step() {
                guard kinds.contains(statement.text(1)) else { continue }
                let state = Catalog.sourceState(statement)
                rows[state.path] = state
            }
        }
        guard kinds.contains(Self.packedKind) else { return }
        try database.withStatement("SELECT dir, records FROM source_packs") { statement in
            while try statement.step() {
                let dir = statement.text(0)
                guard let pack = SourcePack(bytes: statement.bytes(1)) else {
                    throw UnreadablePack(dir: dir)
                }
                packs[dir] = pack
            }
        }
    }

    /// A `source_packs` row this build cannot read.
    package struct UnreadablePack: Error, CustomStringConvertible {
        package var dir: String
        package var description: String {
            "catalog.sqlite: the source_packs row of \(dir) cannot be read. If a newer build of homebase wrote it, run that build; "
                + "if it is damaged, `sqlite3 catalog.sqlite \"DELETE FROM source_packs WHERE dir = '\(dir)'\"` makes the next ingest "
                + "read that folder's transcripts again from the start (calls already in the lake are recognised and counted once)"
        }
    }

    /// The state of the file at `path`, if the catalog has one.
    package subscript(path: String) -> SourceState? {
        if let row = rows[path] { return row }
        let (dir, name) = SourcePack.split(path)
        guard let record = packs[dir]?[SourcePack.nameHash(name)] else { return nil }
        return record.state(path: path, name: name, kind: Self.packedKind)
    }

    /// Whether the catalog has read all of the file at `path` as it is now (same size and mtime):
    /// the plan's check for every file, answered without building its state.
    package func isUnchanged(path: String, size: Int64, mtimeNanos: Int64) -> Bool {
        // The rows are usually empty (transcripts live in packs): no hashing of the path for them.
        if !rows.isEmpty, let row = rows[path] { return row.size == size && row.mtimeNanos == mtimeNanos && row.offset == size }
        let (dir, name) = SourcePack.split(path)
        guard let record = packs[dir]?[SourcePack.nameHash(name)] else { return false }
        return record.size == size && record.mtimeNanos == mtimeNanos && record.offset == size
    }

    /// Remembers `state`: in its directory's pack when a record gives it back exactly, else as a row.
    package func save(_ state: SourceState, snapshot: Int64) throws {
        if try pack(state, snapshot: snapshot) { return }
        let (dir, name) = SourcePack.split(state.path)
        let hash = SourcePack.nameHash(name)
        if packs[dir]?[hash] != nil {
            packs[dir]?[hash] = nil
            changedPacks.insert(dir)
        }
        rows[state.path] = state
        try Catalog.saveSourceRow(state, snapshot: snapshot, in: database)
    }

    /// Moves every transcript row a record can hold into its pack (once, when the packs came).
    /// Returns how many moved.
    func packRows(snapshot: Int64) throws -> Int {
        var moved = 0
        for state in Array(rows.values) {
            if try pack(state, snapshot: snapshot) { moved += 1 }
        }
        return moved
    }

    /// Puts `state` in its directory's pack (and drops its row) when it is a transcript's and a
    /// record gives it back exactly; false otherwise.
    private func pack(_ state: SourceState, snapshot: Int64) throws -> Bool {
        let (dir, name) = SourcePack.split(state.path)
        guard state.kind == Self.packedKind, let record = SourcePack.record(state, name: name, snapshot: snapshot) else { return false }
        packs[dir, default: SourcePack()][SourcePack.nameHash(name)] = record
        changedPacks.insert(dir)
        if rows.removeValue(forKey: state.path) != nil {
            try database.withStatement("DELETE FROM sources WHERE path = ?") { try $0.run([.text(state.path)]) }
        }
        return true
    }

    /// Marks the records updated after `snapshot` to be read again from the start, as a restore to
    /// that snapshot marks the `sources` rows (`BackupRestorer.trimCatalog`).
    package static func markRestored(after snapshot: Int64, in database: SQLiteDatabase) throws {
        // A catalog from before the packs (an older archive, not migrated yet) has only rows.
        guard try database.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'source_packs'") == 1 else { return }
        var changed: [(String, SourcePack)] = []
        try database.withStatement("SELECT dir, records FROM source_packs WHERE updated_snapshot > ?") { statement in
            try statement.bind([.int(snapshot)])
            while try statement.step() {
                let dir = statement.text(0)
                guard var pack = SourcePack(bytes: statement.bytes(1)) else { throw UnreadablePack(dir: dir) }
                for (hash, var record) in pack.records where record.updatedSnapshot > snapshot {
                    record.markRestored(after: snapshot)
                    pack[hash] = record
                }
                changed.append((dir, pack))
            }
        }
        for (dir, pack) in changed {
            try database.withStatement("UPDATE source_packs SET records = ? WHERE dir = ?") {
                try $0.run([.blob(pack.encoded()), .text(dir)])
            }
        }
    }

    /// Writes the packs changed since loading (inside the caller's transaction).
    package func write() throws {
        for dir in changedPacks.sorted() {
            let all = packs[dir]?.records ?? []
            guard !all.isEmpty else {
                try database.withStatement("DELETE FROM source_packs WHERE dir = ?") { try $0.run([.text(dir)]) }
                continue
            }
            let updated = all.lazy.map(\.record.updatedSnapshot).max() ?? 0
            try database.withStatement(
                "INSERT INTO source_packs(dir, records, updated_snapshot) VALUES(?,?,?) ON CONFLICT(dir) DO UPDATE SET records=excluded.records, updated_snapshot=excluded.updated_snapshot"
            ) { try $0.run([.text(dir), .blob(SourcePack.encode(all)), .int(updated)]) }
        }
        changedPacks.removeAll()
    }
}
