import SQLiteStore

extension Catalog {
    /// Retires the rollup companions of a `requests` part whenever the part is retired (or, on a
    /// restore, made live again), in the same statement and so the same transaction: no writer
    /// of the catalog (re-ingest, compaction, invoices, restore) can leave a rollup out of step
    /// with its part. Paths under `history/` keep the mapping (`replace` matches inside them).
    static func createRollupTrigger(_ database: SQLiteDatabase) throws {
        let companions = RequestsRollup.tables.map {
            "replace(NEW.path, 'tables/\(LakeTable.requests.name)/', 'tables/\($0.name)/')"
        }
        let names = RequestsRollup.tables.map { "'\($0.name)'" }
        try database.execute(
            """
            CREATE TRIGGER IF NOT EXISTS requests_rollup_follows AFTER UPDATE OF removed_snapshot ON parts
            WHEN NEW.table_name = '\(LakeTable.requests.name)'
            BEGIN
                UPDATE parts SET removed_snapshot = NEW.removed_snapshot
                WHERE table_name IN (\(names.joined(separator: ", "))) AND path IN (\(companions.joined(separator: ", ")));
            END;
            """)
    }
}
