/// One part file as the catalog's `parts` table lists it (mirrors `PartRecord`, which lives in
/// the HomeBase target).
package struct DeltaCatalogPart: Sendable, Equatable {
    package var table: String
    /// Partition date `YYYY-MM-DD`.
    package var date: String
    /// Where the file is now, relative to the data dir: `tables/<table>/date=…/part-….parquet`,
    /// or the same under `history/` once it was retired and moved.
    package var path: String
    package var addedSnapshot: Int64
    package var removedSnapshot: Int64?

    package init(table: String, date: String, path: String, addedSnapshot: Int64, removedSnapshot: Int64? = nil) {
        self.table = table
        self.date = date
        self.path = path
        self.addedSnapshot = addedSnapshot
        self.removedSnapshot = removedSnapshot
    }

    /// The path relative to the table root `tables/<table>/`, as Delta names it (the original
    /// place, also for a part that has since moved to `history/`).
    package var tablePath: String? {
        var relative = Substring(path)
        if relative.hasPrefix("history/") { relative = relative.dropFirst("history/".count) }
        let prefix = "tables/\(table)/"
        guard relative.hasPrefix(prefix) else { return nil }
        return String(relative.dropFirst(prefix.count))
    }
}
