import Foundation
import SQLiteStore
import DeltaLog

/// The lake's Delta Lake logs (`tables/<table>/_delta_log/`, see docs/lake-delta.md), kept in step
/// with the catalog: a version per table a snapshot touched, written right after the catalog
/// COMMIT and the move of its parts into `tables/`, and caught up from the catalog at every
/// start (first run, upgrade, a crash between the two commits, a restored backup).
package enum LakeDelta {
    package static var tables: [DeltaLakeTable] { LakeTable.all.map { DeltaLakeTable(name: $0.name, schema: $0.schema) } }

    /// The publisher for the lake at `dataDir`; its table ids are seeded by the catalog's first
    /// run, so a rebuilt log keeps them.
    package static func publisher(dataDir: String, catalog: Catalog) throws -> DeltaLakePublisher {
        let first = try catalog.database.scalarInt("SELECT min(started_us) FROM runs") ?? 0
        return DeltaLakePublisher(dataDir: dataDir, tables: tables, lakeID: "homebase-\(first)", engineInfo: "homebase")
    }

    /// Whether `table`'s Delta log describes an older schema than the table has now (an upgrade
    /// added a column or changed a type): its parts written before are then rewritten.
    package static func schemaOutdated(dataDir: String, table: LakeTable) throws -> Bool {
        let log = DeltaTableLog(tableRoot: dataDir + "/tables/" + table.name)
        guard let logged = try log.latestSchemaString() else { return false }
        return logged != (try SparkSchema.json(for: table.schema, partitionColumns: [.date]))
    }

    /// Publishes catalog snapshot `snapshot` (already committed, its parts at their final paths).
    @discardableResult
    package static func publish(
        dataDir: String, catalog: Catalog, snapshot: Int64, committedMicros: Int64, compactionPaths: Set<String> = []
    ) throws -> [String: Int64] {
        let parts = try catalogParts(catalog, where: "added_snapshot = \(snapshot) OR removed_snapshot = \(snapshot)")
        return try publisher(dataDir: dataDir, catalog: catalog).publish(
            snapshot: snapshot, committedMicros: committedMicros,
            added: parts.filter { $0.addedSnapshot == snapshot }, retired: parts.filter { $0.removedSnapshot == snapshot },
            compactionPaths: compactionPaths)
    }

    /// Brings every table's log up to the catalog: creates missing tables (version 0, schema
    /// only), writes the snapshots a log lacks, and rebuilds a log that is ahead of the catalog
    /// (a catalog restored to an older snapshot). Cheap when nothing is missing: one look at the
    /// newest commit per table. When the history cannot be replayed (a part retired long ago is
    /// not on disk, as after `backup restore`, which restores only live parts), that table's log
    /// is rebuilt as version 0 plus one version adding the parts live now, published as the
    /// latest snapshot. Returns table name → versions written.
    @discardableResult
    package static func catchUp(dataDir: String, catalog: Catalog) throws -> [String: [Int64]] {
        let publisher = try publisher(dataDir: dataDir, catalog: catalog)
        let latest = try catalog.latestSnapshot() ?? 0
        var behind: [DeltaLakeTable] = []
        for table in tables {
            let log = publisher.log(table.name)
            _ = try log.recover()
            let last = try log.lastSnapshot()
            if let last, last > latest {
                try FileManager.default.removeItem(atPath: log.logDirectory)
                behind.append(table)
                continue
            }
            let touched =
                try catalog.database.scalarInt(
                    "SELECT max(max(added_snapshot), coalesce(max(removed_snapshot), 0)) FROM parts WHERE table_name = ?",
                    [.text(table.name)]) ?? 0
            if last == nil || touched > (last ?? 0) { behind.append(table) }
        }
        guard !behind.isEmpty else { return [:] }
        let snapshots = try catalog.database.prepare("SELECT snapshot_id, committed_us FROM snapshots ORDER BY snapshot_id")
        var list: [(id: Int64, committedMicros: Int64)] = []
        while try snapshots.step() { list.append((snapshots.int64(0), snapshots.int64(1))) }
        let one = { (table: DeltaLakeTable) in
            DeltaLakePublisher(dataDir: dataDir, tables: [table], lakeID: publisher.lakeID, engineInfo: publisher.engineInfo)
        }
        guard let newest = list.last else {
            let created = try catalog.database.scalarInt("SELECT min(started_us) FROM runs") ?? 0
            let made = try publisher.createMissingTables(createdMicros: created)
            return Dictionary(uniqueKeysWithValues: made.map { ($0, [0]) })
        }
        var written: [String: [Int64]] = [:]
        for table in behind {
            let parts = try catalogParts(catalog, where: "table_name = '\(table.name)'")
            do {
                written.merge(try one(table).catchUp(parts: parts, snapshots: list)) { $1 }
            } catch {
                try? FileManager.default.removeItem(atPath: publisher.log(table.name).logDirectory)
                let live = parts.filter { $0.removedSnapshot == nil }.map {
                    DeltaCatalogPart(table: $0.table, date: $0.date, path: $0.path, addedSnapshot: newest.id)
                }
                written.merge(try one(table).catchUp(parts: live, snapshots: [newest])) { $1 }
            }
        }
        return written
    }

    static func catalogParts(_ catalog: Catalog, where condition: String) throws -> [DeltaCatalogPart] {
        let statement = try catalog.database.prepare(
            "SELECT table_name, date, path, added_snapshot, removed_snapshot FROM parts WHERE \(condition) ORDER BY part_id")
        var parts: [DeltaCatalogPart] = []
        while try statement.step() {
            parts.append(
                DeltaCatalogPart(
                    table: statement.text(0), date: statement.text(1), path: statement.text(2),
                    addedSnapshot: statement.int64(3), removedSnapshot: statement.optionalInt(4)))
        }
        return parts
    }
}
