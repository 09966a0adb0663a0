/// Builds or completes a table's log from the catalog's history: for upgrading a lake that has
/// no `_delta_log/` yet, and for recovery when a run died after its catalog commit but before
/// its Delta commit (the log then lags the catalog by one snapshot).
extension DeltaTableLog {
    /// Writes version 0 (protocol + metaData, no files) unless the log exists, then one version
    /// per snapshot in `changes` newer than the last one the log publishes and that adds or
    /// removes a file of this table. `changes` must be in snapshot order. Returns the versions
    /// written. Running it twice writes nothing the second time.
    @discardableResult
    package func catchUp(
        metadata: DeltaMetadata, createdSnapshot: Int64 = 0,
        changes: [DeltaSnapshotChange]
    ) throws -> [Int64] {
        var written: [Int64] = []
        if try latestVersion() == nil {
            written.append(try commit(DeltaCommit(snapshot: createdSnapshot, timestampMillis: metadata.createdTime, metadata: metadata)))
        }
        let done = try lastSnapshot() ?? .min
        var previous = Int64.min
        for change in changes {
            guard change.snapshot > previous else {
                throw DeltaLogError(
                    .invalidLog, path: logDirectory, "snapshot \(change.snapshot) comes after \(previous)",
                    fix: "pass the catalog's snapshots in ascending order")
            }
            previous = change.snapshot
            guard change.snapshot > done, !(change.added.isEmpty && change.removed.isEmpty) else { continue }
            let millis = change.committedMicros >= 0 ? change.committedMicros / 1000 : (change.committedMicros - 999) / 1000
            written.append(
                try commit(
                    DeltaCommit(
                        snapshot: change.snapshot, timestampMillis: millis,
                        added: change.added, removed: change.removed)))
        }
        return written
    }
}
