import CSQLite

/// A consistent copy of a live SQLite database with the online backup API: the copy is one
/// committed state even while another process writes (WAL readers do not block writers).
/// The only place the sqlite3_backup_* calls live.
package enum SQLiteBackup {
    /// Copies `sourcePath` into a new database at `destinationPath` (which must not exist),
    /// then switches the copy to rollback-journal mode so it is one self-contained file.
    package static func copy(from sourcePath: String, to destinationPath: String) throws(SQLiteError) {
        let source = try SQLiteDatabase(path: sourcePath, readOnly: true)
        let destination = try SQLiteDatabase(path: destinationPath, readOnly: false)
        guard let backup = sqlite3_backup_init(destination.handle, "main", source.handle, "main") else {
            throw SQLiteError(
                code: sqlite3_errcode(destination.handle), message: destination.lastMessage,
                context: "starting the online backup of \(sourcePath)")
        }
        // One step of -1 copies every page inside one read transaction: a single snapshot.
        var rc = sqlite3_backup_step(backup, -1)
        var attempts = 0
        while (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && attempts < 100 {
            sqlite3_sleep(50)
            attempts += 1
            rc = sqlite3_backup_step(backup, -1)
        }
        let finish = sqlite3_backup_finish(backup)
        guard rc == SQLITE_DONE, finish == SQLITE_OK else {
            throw SQLiteError(
                code: rc == SQLITE_DONE ? finish : rc, message: destination.lastMessage,
                context: "copying \(sourcePath) with the online backup API (busy for too long?)")
        }
        try destination.execute("PRAGMA journal_mode=DELETE")
    }
}
