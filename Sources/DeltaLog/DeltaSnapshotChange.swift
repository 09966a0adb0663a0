/// What one catalog snapshot did to one table, as the catalog records it: the parts it made
/// live and the parts it retired. Paths are relative to the table root.
package struct DeltaSnapshotChange: Sendable, Equatable {
    package var snapshot: Int64
    /// Catalog `committed_us`.
    package var committedMicros: Int64
    package var added: [DeltaDataFile]
    package var removed: [DeltaRemovedFile]

    package init(snapshot: Int64, committedMicros: Int64, added: [DeltaDataFile], removed: [DeltaRemovedFile]) {
        self.snapshot = snapshot
        self.committedMicros = committedMicros
        self.added = added
        self.removed = removed
    }
}
