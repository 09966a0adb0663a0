import Foundation
import HomeBaseCore
import SQLiteStore
import Lake

/// The `credential_inventory` history in the catalog (`catalog.sqlite`, so backups carry it):
/// every import is kept whole, one row per secret per import, so the audit can tell when a key
/// rotated and which keys disappeared. An import is one transaction: all of it or none.
package struct InventoryStore {
    package let catalog: Catalog

    package init(dataDir: String) throws {
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        catalog = try Catalog(dataDir: dataDir)
        try Self.createTables(catalog.database)
    }

    static func createTables(_ database: SQLiteDatabase) throws {
        try database.execute(
            """
            CREATE TABLE IF NOT EXISTS credential_imports(
                import_id INTEGER PRIMARY KEY, source TEXT NOT NULL, origin TEXT NOT NULL,
                imported_at INTEGER NOT NULL, entries INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS credential_inventory(
                import_id INTEGER NOT NULL, source TEXT NOT NULL, name TEXT NOT NULL, arn TEXT,
                rotation_enabled INTEGER, rotate_after_days INTEGER, created INTEGER, updated INTEGER,
                last_accessed INTEGER, next_rotation INTEGER, rotations TEXT NOT NULL, versions INTEGER,
                tags TEXT NOT NULL, PRIMARY KEY(import_id, name)) WITHOUT ROWID;
            """)
    }

    /// One kept import.
    package struct Import: Sendable, Equatable {
        package var id: Int64
        package var source: String
        package var origin: String
        package var importedAt: Int64
        package var entries: [InventoryEntry]
    }

    /// Saves one import (`origin`: the file or URL read) and returns its id.
    @discardableResult
    package func save(source: String, origin: String, at micros: Int64, entries: [InventoryEntry]) throws -> Int64 {
        let database = catalog.database
        return try database.transaction {
            try database.prepare("INSERT INTO credential_imports(source, origin, imported_at, entries) VALUES(?,?,?,?)")
                .run([.text(source), .text(origin), .int(micros), .int(Int64(entries.count))])
            let importID = database.lastInsertRowID
            let insert = try database.prepare(
                """
                INSERT OR REPLACE INTO credential_inventory(import_id, source, name, arn, rotation_enabled, rotate_after_days, created,
                  updated, last_accessed, next_rotation, rotations, versions, tags) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)
                """)
            for e in entries {
                let tags = try JSONSerialization.data(withJSONObject: e.tags, options: [.sortedKeys])
                try insert.run([
                    .int(importID), .text(e.source), .text(e.name), Self.value(e.arn), Self.value(e.rotationEnabled.map { $0 ? 1 : 0 }),
                    Self.value(e.rotateAfterDays.map(Int64.init)), Self.value(e.created), Self.value(e.updated), Self.value(e.lastAccessed),
                    Self.value(e.nextRotation), .text(e.rotations.map(String.init).joined(separator: ",")),
                    Self.value(e.versions.map(Int64.init)), .text(String(decoding: tags, as: UTF8.self))
                ])
            }
            return importID
        }
    }

    /// Every import, oldest first.
    package func imports() throws -> [Import] {
        let database = catalog.database
        var result: [Import] = []
        let list = try database.prepare("SELECT import_id, source, origin, imported_at FROM credential_imports ORDER BY import_id")
        while try list.step() {
            result.append(Import(id: list.int64(0), source: list.text(1), origin: list.text(2), importedAt: list.int64(3), entries: []))
        }
        let rows = try database.prepare(
            """
            SELECT import_id, source, name, arn, rotation_enabled, rotate_after_days, created, updated, last_accessed, next_rotation,
              rotations, versions, tags FROM credential_inventory ORDER BY import_id, name
            """)
        var index: [Int64: Int] = [:]
        for (i, item) in result.enumerated() { index[item.id] = i }
        while try rows.step() {
            guard let i = index[rows.int64(0)] else { continue }
            var e = InventoryEntry(source: rows.text(1), name: rows.text(2))
            e.arn = rows.optionalText(3)
            e.rotationEnabled = rows.optionalInt(4).map { $0 != 0 }
            e.rotateAfterDays = rows.optionalInt(5).map(Int.init)
            e.created = rows.optionalInt(6)
            e.updated = rows.optionalInt(7)
            e.lastAccessed = rows.optionalInt(8)
            e.nextRotation = rows.optionalInt(9)
            e.rotations = rows.text(10).split(separator: ",").compactMap { Int64($0) }
            e.versions = rows.optionalInt(11).map(Int.init)
            if let object = try? JSONSerialization.jsonObject(with: Data(rows.text(12).utf8)) as? [String: String] { e.tags = object }
            result[i].entries.append(e)
        }
        return result
    }

    /// The imports of a data directory, or none when it has no catalog or never imported.
    package static func history(dataDir: String) throws -> [Import] {
        guard FileManager.default.fileExists(atPath: dataDir + "/" + Catalog.fileName) else { return [] }
        let catalog = try Catalog(dataDir: dataDir, readOnly: true)
        let exists = try catalog.database.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'credential_imports'")
        guard try exists.step(), exists.int64(0) > 0 else { return [] }
        return try InventoryStore(catalog: catalog).imports()
    }

    init(catalog: Catalog) { self.catalog = catalog }

    static func value(_ text: String?) -> SQLiteValue { text.map { .text($0) } ?? .null }
    static func value(_ number: Int64?) -> SQLiteValue { number.map { .int($0) } ?? .null }
}
