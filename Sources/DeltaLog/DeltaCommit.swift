import HomeBaseCore

/// What one catalog snapshot changed in one table, written as one Delta version: files added,
/// files retired, optionally a new `metaData` (table creation or a schema change), and a
/// `commitInfo` that names the catalog snapshot so `--as-of` and Delta versions map both ways.
package struct DeltaCommit: Sendable, Equatable {
    /// The catalog snapshot this version publishes (0 for a table created before any snapshot).
    package var snapshot: Int64
    /// Catalog commit time, epoch milliseconds: `commitInfo.timestamp`, the remove actions'
    /// `deletionTimestamp` and the commit file's mtime (which timestamp time travel reads).
    package var timestampMillis: Int64
    package var added: [DeltaDataFile]
    package var removed: [DeltaRemovedFile]
    /// Set on the first version (with `protocol`) and whenever the schema changes.
    package var metadata: DeltaMetadata?

    package init(
        snapshot: Int64, timestampMillis: Int64, added: [DeltaDataFile] = [], removed: [DeltaRemovedFile] = [],
        metadata: DeltaMetadata? = nil
    ) {
        self.snapshot = snapshot
        self.timestampMillis = timestampMillis
        self.added = added
        self.removed = removed
        self.metadata = metadata
    }

    /// The commitInfo key holding the catalog snapshot id.
    package static let snapshotKey = "homebaseSnapshot"

    /// `CREATE TABLE` for the first version, `OPTIMIZE` when no file changes data (compaction
    /// only), `WRITE` otherwise.
    package var operation: String {
        let (adds, removes) = netted
        if metadata != nil && adds.isEmpty && removes.isEmpty { return "CREATE TABLE" }
        if (adds.contains { $0.dataChange } || removes.contains { $0.dataChange }) { return "WRITE" }
        return adds.isEmpty && removes.isEmpty ? "WRITE" : "OPTIMIZE"
    }

    /// Adds and removes with the files that are both added and removed here left out: a part
    /// written and compacted away in the same snapshot never becomes visible, and the protocol
    /// allows one file action per path and version.
    var netted: ([DeltaDataFile], [DeltaRemovedFile]) {
        let addedPaths = Set(added.map(\.path)), removedPaths = Set(removed.map(\.path))
        let both = addedPaths.intersection(removedPaths)
        return (added.filter { !both.contains($0.path) }, removed.filter { !both.contains($0.path) })
    }

    /// The newline-delimited actions of the commit file, in a fixed order.
    func lines(isFirstVersion: Bool, engineInfo: String) throws -> [String] {
        let (adds, removes) = netted
        var lines: [String] = []
        lines.append(commitInfoJSON(adds: adds, removes: removes, engineInfo: engineInfo))
        if isFirstVersion { lines.append(DeltaMetadata.protocolJSON) }
        if let metadata { lines.append(try metadata.actionJSON()) }
        for file in removes { lines.append(file.actionJSON(deletionTimestamp: timestampMillis)) }
        for file in adds { lines.append(file.actionJSON()) }
        return lines
    }

    private func commitInfoJSON(adds: [DeltaDataFile], removes: [DeltaRemovedFile], engineInfo: String) -> String {
        let operation = self.operation
        var info = DeltaJSON()
        info.int("timestamp", timestampMillis)
        info.string("operation", operation)
        info.object("operationParameters") { parameters in
            switch operation {
            case "CREATE TABLE":
                parameters.string("isManaged", "false")
                parameters.string(
                    "partitionBy", "[" + (metadata?.partitionColumns ?? []).map { JSONQuote.quote($0.name) }.joined(separator: ",") + "]")
            case "OPTIMIZE":
                parameters.string("predicate", "[]")
                parameters.string("zOrderBy", "[]")
            default:
                parameters.string("mode", removes.isEmpty ? "Append" : "Overwrite")
                parameters.string(
                    "partitionBy", "[" + (metadata?.partitionColumns ?? [.date]).map { JSONQuote.quote($0.name) }.joined(separator: ",") + "]")
            }
        }
        info.bool("isBlindAppend", removes.isEmpty && operation != "CREATE TABLE")
        info.object("operationMetrics") { metrics in
            metrics.string("numAddedFiles", String(adds.count))
            metrics.string("numRemovedFiles", String(removes.count))
            metrics.string("numOutputRows", String(adds.reduce(Int64(0)) { $0 + ($1.stats?.numRecords ?? 0) }))
        }
        info.string("engineInfo", engineInfo)
        info.int(DeltaCommit.snapshotKey, snapshot)
        var line = DeltaJSON()
        line.raw("commitInfo", info.finished)
        return line.finished
    }
}
