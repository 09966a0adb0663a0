import Foundation
import HomeBaseCore
import SQLiteStore
import Parquet
import Lake

/// Checks a (restored or staged) data directory: the catalog passes `PRAGMA integrity_check`, and
/// every part live in its newest snapshot is present, has the catalogued size and reads in full
/// with our ParquetReader. Returns the problems found, each naming its file.
package enum DataDirCheck {
    package static func problems(dataDir: String) -> [String] {
        let catalogPath = dataDir + "/" + Catalog.fileName
        let parts: [(path: String, size: Int64)]
        do {
            let database = try SQLiteDatabase(path: catalogPath, readOnly: true)
            let statement = try database.prepare("PRAGMA integrity_check")
            var results: [String] = []
            while try statement.step() { results.append(statement.text(0)) }
            guard results == ["ok"] else { return ["\(catalogPath): integrity_check says \(results.prefix(3).joined(separator: "; "))"] }
            parts = try livePartRows(database)
        } catch {
            return ["\(catalogPath): cannot open the catalog: \(error)"]
        }
        var problems: [String] = []
        for part in parts {
            let path = dataDir + "/" + part.path
            guard let size = FileSize.of(path) else {
                problems.append("\(path): live part named by the catalog is missing")
                continue
            }
            guard size == part.size else {
                problems.append("\(path): \(size) bytes, the catalog says \(part.size)")
                continue
            }
            do { _ = try ParquetReader(path: path).readAll() } catch {
                problems.append("\(path): not readable as Parquet: \(error)")
            }
        }
        return problems
    }

    /// (path, byte_size) of every part live in `snapshot` (default: the newest), all tables.
    package static func livePartRows(_ database: SQLiteDatabase, snapshot: Int64? = nil) throws -> [(path: String, size: Int64)] {
        guard let snap = try snapshot ?? database.scalarInt("SELECT max(snapshot_id) FROM snapshots") else { return [] }
        let statement = try database.prepare(
            """
            SELECT path, byte_size FROM parts
            WHERE added_snapshot <= ? AND (removed_snapshot IS NULL OR removed_snapshot > ?) ORDER BY path
            """)
        try statement.bind([.int(snap), .int(snap)])
        var rows: [(String, Int64)] = []
        while try statement.step() { rows.append((statement.text(0), statement.int64(1))) }
        return rows
    }
}
