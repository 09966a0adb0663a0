import Foundation
import HomeBaseCore

/// Keeps a Delta log in every `tables/<name>/` of a lake in step with the catalog: version 0
/// for each table (so an empty table has a schema readers find), one version per catalog
/// snapshot that touched the table, and catch-up from the catalog's history for upgrades and
/// for recovery after a crash between the catalog commit and the Delta commits.
package final class DeltaLakePublisher {
    package let dataDir: String
    package let tables: [DeltaLakeTable]
    /// Seed of the tables' stable ids (e.g. the first run's start time): the same lake always
    /// gets the same ids, also when its logs are rebuilt.
    package let lakeID: String
    package let engineInfo: String

    package init(dataDir: String, tables: [DeltaLakeTable], lakeID: String, engineInfo: String = "homebase") {
        self.dataDir = dataDir
        self.tables = tables
        self.lakeID = lakeID
        self.engineInfo = engineInfo
    }

    package func log(_ table: String) -> DeltaTableLog {
        DeltaTableLog(tableRoot: dataDir + "/tables/" + table, engineInfo: engineInfo)
    }

    package func metadata(_ table: DeltaLakeTable, createdMillis: Int64) -> DeltaMetadata {
        DeltaMetadata(
            tableID: DeltaMetadata.tableID(seed: "\(lakeID)/\(table.name)"), name: table.name, schema: table.schema,
            createdTime: createdMillis)
    }

    /// Writes version 0 (schema, no files) for every table that has no log; returns their names.
    @discardableResult
    package func createMissingTables(createdMicros: Int64, snapshot: Int64 = 0) throws -> [String] {
        var created: [String] = []
        for table in tables where try log(table.name).latestVersion() == nil {
            let millis = DeltaLakePublisher.millis(createdMicros)
            try log(table.name).commit(
                DeltaCommit(
                    snapshot: snapshot, timestampMillis: millis,
                    metadata: metadata(table, createdMillis: millis)))
            created.append(table.name)
        }
        return created
    }

    /// Publishes catalog snapshot `snapshot` (call right after its catalog COMMIT, once its parts
    /// are at their final paths): one Delta version per table it adds parts to or retires parts
    /// from. `compactionPaths` names the parts (added or retired) that only rearrange rows
    /// already in the table: they get `dataChange: false`. A table whose log already publishes
    /// this snapshot is skipped, so calling it again after a crash is harmless.
    /// Returns table name → version written.
    @discardableResult
    package func publish(
        snapshot: Int64, committedMicros: Int64, added: [DeltaCatalogPart], retired: [DeltaCatalogPart],
        compactionPaths: Set<String> = []
    ) throws -> [String: Int64] {
        try createMissingTables(createdMicros: committedMicros)
        var written: [String: Int64] = [:]
        for table in tables {
            let adds = added.filter { $0.table == table.name }, removes = retired.filter { $0.table == table.name }
            guard !(adds.isEmpty && removes.isEmpty) else { continue }
            let log = log(table.name)
            if let done = try log.lastSnapshot(), done >= snapshot { continue }
            let change = try self.change(
                snapshot: snapshot, committedMicros: committedMicros, adds: adds, removes: removes,
                compactionPaths: compactionPaths)
            // A table whose schema changed since its log's last metaData (a column added, money
            // now DECIMAL) says so in this version, so readers use the new schema from here on.
            let millis = DeltaLakePublisher.millis(committedMicros)
            let schemaChanged = try log.latestSchemaString() != SparkSchema.json(for: table.schema, partitionColumns: [.date])
            written[table.name] = try log.commit(
                DeltaCommit(
                    snapshot: snapshot, timestampMillis: millis, added: change.added, removed: change.removed,
                    metadata: schemaChanged ? metadata(table, createdMillis: millis) : nil))
        }
        return written
    }

    /// Brings every table's log up to the catalog: `parts` is every row of the catalog's
    /// `parts` table, `snapshots` every committed snapshot (id, committed µs). Tables without a
    /// log get version 0 at the first snapshot's time; then each missing snapshot that touched
    /// the table becomes a version. Without compaction hints, every file is `dataChange: true`
    /// (batch readers do not care; a streaming reader may see compacted rows again, never miss one).
    /// Returns table name → versions written.
    @discardableResult
    package func catchUp(parts: [DeltaCatalogPart], snapshots: [(id: Int64, committedMicros: Int64)]) throws -> [String: [Int64]] {
        let ordered = snapshots.sorted { $0.id < $1.id }
        var written: [String: [Int64]] = [:]
        for table in tables {
            let log = log(table.name)
            let done = try log.lastSnapshot() ?? .min
            let mine = parts.filter { $0.table == table.name }
            var changes: [DeltaSnapshotChange] = []
            for snapshot in ordered where snapshot.id > done {
                let adds = mine.filter { $0.addedSnapshot == snapshot.id }, removes = mine.filter { $0.removedSnapshot == snapshot.id }
                guard !(adds.isEmpty && removes.isEmpty) else { continue }
                changes.append(
                    try change(
                        snapshot: snapshot.id, committedMicros: snapshot.committedMicros, adds: adds, removes: removes,
                        compactionPaths: []))
            }
            let created = DeltaLakePublisher.millis(ordered.first?.committedMicros ?? 0)
            let versions = try log.catchUp(metadata: metadata(table, createdMillis: created), changes: changes)
            if !versions.isEmpty { written[table.name] = versions }
        }
        return written
    }

    private func change(
        snapshot: Int64, committedMicros: Int64, adds: [DeltaCatalogPart], removes: [DeltaCatalogPart],
        compactionPaths: Set<String>
    ) throws -> DeltaSnapshotChange {
        // A part both added and retired by this snapshot is never visible: leave it out (its file may be gone).
        let transient = Set(adds.map(\.path)).intersection(removes.map(\.path))
        var change = DeltaSnapshotChange(snapshot: snapshot, committedMicros: committedMicros, added: [], removed: [])
        // Each added part's footer is read for its statistics, on every CPU the process may use:
        // a year's first ingest publishes 2,500 parts.
        let visible = adds.filter { !transient.contains($0.path) }
        let dataDir = self.dataDir
        change.added = try ParallelSlots.tryMap(visible.count, workers: Processors.available) { i in
            let part = visible[i]
            return try DeltaDataFile.describe(
                path: try DeltaLakePublisher.tablePath(part), partitionValues: ["date": part.date],
                readingFrom: dataDir + "/" + part.path,
                dataChange: !compactionPaths.contains(part.path))
        }
        for part in removes where !transient.contains(part.path) {
            var info = stat()
            let size: Int64? = stat(dataDir + "/" + part.path, &info) == 0 ? Int64(info.st_size) : nil
            change.removed.append(
                DeltaRemovedFile(
                    path: try Self.tablePath(part), partitionValues: ["date": part.date], size: size,
                    dataChange: !compactionPaths.contains(part.path)))
        }
        return change
    }

    private static func tablePath(_ part: DeltaCatalogPart) throws -> String {
        guard let path = part.tablePath else {
            throw DeltaLogError(
                .invalidDataFile, path: part.path, "part of '\(part.table)' is not under tables/\(part.table)/",
                fix: "parts live at tables/<table>/date=YYYY-MM-DD/ (or history/tables/… once retired)")
        }
        return path
    }

    static func millis(_ micros: Int64) -> Int64 { micros >= 0 ? micros / 1000 : (micros - 999) / 1000 }
}
