import Foundation
import HomeBaseCore

/// The step that follows a catalog COMMIT of `snapshot`, in this order: retired parts leave
/// `tables/` (to `history/`), the staged parts move in (so a reader listing `tables/` may, for a
/// moment, miss rows of a compacted partition but never sees one twice nor one of an
/// uncommitted snapshot), then each touched table's Delta log gets its version. A crash
/// anywhere in it is finished by `LakeRecovery` at the next start.
package enum LakeCommit {
    /// Returns the Delta error as text (the catalog commit stands; the next start catches the
    /// log up), or nil.
    package static func afterCommit(
        writer: LakeWriter, catalog: Catalog, snapshot: Int64, committedMicros: Int64, compactionPaths: Set<String> = []
    ) throws -> String? {
        let statement = try catalog.database.prepare("SELECT path FROM parts WHERE added_snapshot = ? AND removed_snapshot = ?")
        try statement.bind([.int(snapshot), .int(snapshot)])
        var transient = Set<String>()
        while try statement.step() { transient.insert(statement.text(0)) }
        try LakeRecovery.moveRetiredParts(dataDir: writer.dataDir, catalog: catalog)
        FailPoint.reached("lake-before-publish")
        try writer.publish(skipping: transient)
        FailPoint.reached("lake-before-delta")
        // A compacted part's rollup companions only rearrange rows too.
        let compactionPaths = compactionPaths.union(compactionPaths.flatMap(RequestsRollup.companions))
        do {
            try LakeDelta.publish(
                dataDir: writer.dataDir, catalog: catalog, snapshot: snapshot, committedMicros: committedMicros,
                compactionPaths: compactionPaths)
            return nil
        } catch {
            return "\(error)"
        }
    }
}
