import Foundation
import HomeBaseCore
import SQLiteStore

/// A SHA-256 per part file, kept in the catalog (`part_checksums`) by the run that writes the
/// part and checked by `homebase doctor --deep` and before a backup: a part changed on disk
/// after it was written (a flipped bit, a bad disk) is named instead of read or backed up.
/// The table is created on first use rather than by a numbered migration, so catalogs of any
/// version take it; parts written before it existed have no checksum and are skipped.
package enum PartChecksums {
    static let createTable = "CREATE TABLE IF NOT EXISTS part_checksums(path TEXT PRIMARY KEY, sha256 TEXT NOT NULL)"

    /// Records the parts `writer` wrote with the digests it took while writing them, in the
    /// caller's transaction; a part without one is read back and hashed.
    package static func record(_ writer: LakeWriter, in database: SQLiteDatabase) throws {
        guard !writer.written.isEmpty else { return }
        try database.execute(createTable)
        let insert = try database.prepare("INSERT OR REPLACE INTO part_checksums(path, sha256) VALUES(?, ?)")
        for part in writer.written {
            let digest = try writer.checksums[part.path] ?? sha256(file: writer.location(of: part.path))
            try insert.run([.text(part.path), .text(digest)])
        }
    }

    /// Path → SHA-256 of every recorded part (empty for a catalog without the table).
    package static func load(_ database: SQLiteDatabase) throws -> [String: String] {
        guard try database.scalarInt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'part_checksums'") == 1 else { return [:] }
        let statement = try database.prepare("SELECT path, sha256 FROM part_checksums")
        var result: [String: String] = [:]
        while try statement.step() { result[statement.text(0)] = statement.text(1) }
        return result
    }

    /// Why a part's bytes (SHA-256 `actual`) are not the ones the catalog recorded, or nil.
    package static func mismatch(path: String, recorded: String?, actual: String) -> String? {
        guard let recorded, recorded != actual else { return nil }
        return
            "\(path): SHA-256 \(actual) but the catalog recorded \(recorded) when the part was written: the part is damaged; restore it from a backup (homebase backup restore --at)"
    }

    /// Checks every live part of the newest snapshot that has a checksum: (parts checked, problems).
    package static func verify(dataDir: String) throws -> (checked: Int, problems: [String]) {
        let catalog = try Catalog(dataDir: dataDir, readOnly: true)
        let recorded = try load(catalog.database)
        var checked = 0
        var problems: [String] = []
        for table in LakeTable.all {
            for part in try catalog.liveParts(table: table.name) {
                guard let expected = recorded[part.path] else { continue }
                checked += 1
                let actual: String
                do { actual = try sha256(file: dataDir + "/" + part.path) } catch {
                    problems.append("\(part.path): cannot be read (\(error))")
                    continue
                }
                if let problem = mismatch(path: part.path, recorded: expected, actual: actual) { problems.append(problem) }
            }
        }
        return (checked, problems)
    }

    static func sha256(file: String) throws -> String {
        try SHA256.file(file).hex
    }
}
