import Foundation
import HomeBaseCore

/// The last days' parts as one analysis decoded them, for another analysis of the same lake in
/// the same process: the nightly keeps what its daily report's analysis reads again (the report's
/// day and the 56 days of history before it), and the report's analysis takes those tables
/// instead of decoding the Parquet again. Parts are immutable and kept by path, so a kept table
/// is the part's content; ids are the keeping analysis' names, which the reusing analysis starts
/// from (sections never depend on which id a name got). Bounded: past `maxRows` rows no more
/// parts are kept, and the reusing analysis decodes the rest itself.
package final class DecodedParts: @unchecked Sendable {
    /// The first UTC partition date worth keeping.
    let keepFrom: String
    let maxRows: Int
    private let lock = NSLock()
    private var tables: [String: CallTable] = [:]
    private var rows = 0
    private var full = false
    /// Set once the keeping analysis has read every part: its names and zone.
    private var sealed: (names: CallTable.Names, timeZone: String)?

    package init(keepFrom: String, maxRows: Int = 500_000) {
        self.keepFrom = keepFrom
        self.maxRows = maxRows
    }

    /// Keeps what the analysis of a daily report on local day `lastDay` reads: the UTC
    /// partitions from the day before its history (`Analyzer.historyDays`) on.
    package static func forDailyReport(lastDay: Int64) -> DecodedParts {
        DecodedParts(keepFrom: UTCDate.dateString(days: lastDay - 2 - Int64(Analyzer.historyDays)))
    }

    /// Keeps `table` (part `path` of partition `date`) while there is room.
    func offer(path: String, date: String, table: CallTable) {
        guard date >= keepFrom else { return }
        lock.lock()
        defer { lock.unlock() }
        guard sealed == nil, !full else { return }
        guard rows + table.count <= maxRows else {
            full = true
            return
        }
        rows += table.count
        tables[path] = table
    }

    /// Ends the keeping: `names` are the keeping analysis' names after its last part.
    func seal(names: CallTable.Names, timeZone: String) {
        lock.lock()
        defer { lock.unlock() }
        guard sealed == nil else { return }
        sealed = (names, timeZone)
    }

    /// The names to start from, when the keeping analysis is done and bucketed days in `timeZone`.
    func names(timeZone: String) -> CallTable.Names? {
        lock.lock()
        defer { lock.unlock() }
        guard let sealed, sealed.timeZone == timeZone else { return nil }
        return sealed.names
    }

    /// The kept table of part `path`, if any.
    func table(_ path: String) -> CallTable? {
        lock.lock()
        defer { lock.unlock() }
        guard let table = tables[path] else { return nil }
        taken += 1
        return table
    }

    /// Kept tables handed out so far.
    private(set) var taken = 0

    /// Whether the keeping analysis is done (nothing more is kept; the tables may be taken).
    var isSealed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return sealed != nil
    }

    /// Parts and rows kept.
    var kept: (parts: Int, rows: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (tables.count, rows)
    }

    /// Lets go of the tables (the reports are done).
    package func release() {
        lock.lock()
        defer { lock.unlock() }
        tables = [:]
    }
}
