import Foundation

/// One Parquet part file of a lake table, as the catalog lists it.
package struct PartRecord: Sendable, Equatable {
    package var id: Int64 = 0
    package var table: String
    /// Partition date `YYYY-MM-DD` (UTC).
    package var date: String
    /// Path relative to the data directory.
    package var path: String
    package var rowCount: Int64
    package var byteSize: Int64
    package var addedSnapshot: Int64 = 0
    package var removedSnapshot: Int64?

    package init(table: String, date: String, path: String, rowCount: Int64, byteSize: Int64) {
        self.table = table
        self.date = date
        self.path = path
        self.rowCount = rowCount
        self.byteSize = byteSize
    }
}

extension PartRecord {
    /// The file of this part for a reader of the catalog: at `path`, or, in the moment between a
    /// catalog COMMIT and the moves that follow it (or after a crash there), where it still is:
    /// in its snapshot's staging folder, or already in `history/` when a later snapshot retired it.
    package func location(dataDir: String) -> String {
        let direct = dataDir + "/" + path
        guard access(direct, F_OK) != 0, path.hasPrefix("tables/") else { return direct }
        for candidate in [
            dataDir + "/history/" + path,
            LakeWriter.stagingRoot(dataDir: dataDir, snapshot: addedSnapshot) + "/" + path
        ] where access(candidate, F_OK) == 0 {
            return candidate
        }
        return direct
    }
}
