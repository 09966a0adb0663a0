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
