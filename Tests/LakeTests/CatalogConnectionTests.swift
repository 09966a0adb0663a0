import Foundation
import Testing
@testable import SQLiteStore
@testable import Lake
@testable import TestSupport

/// A catalog connection is closed when its last user lets go: the kernel's list of this
/// process's open files (`/proc/self/fd`) is the witness. A connection kept alive by its own
/// statement cache left its catalog, WAL and their descriptors open until the process ended,
/// ~5,000 of them by the end of the suite, and Foundation's `Process.run()` then crashed
/// reading past its buffer of `/proc/self/fd` entries.
@Suite struct CatalogConnectionTests {
    /// Descriptors of this process open on a file under `directory`.
    static func openFiles(under directory: String) throws -> Int {
        let fds = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")
        return fds.filter { fd in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + fd))?.hasPrefix(directory + "/") ?? false
        }.count
    }

    @Test func aConnectionThatCachedStatementsClosesWithItsLastUser() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        do {
            let catalog = try Catalog(dataDir: dir.path)
            _ = try catalog.liveParts(table: "requests")  // prepared once and kept in the cache
            _ = try catalog.database.withStatement("SELECT count(*) FROM parts") { try $0.step() }
            #expect(try Self.openFiles(under: dir.path) >= 1)
        }
        #expect(try Self.openFiles(under: dir.path) == 0)
    }

    @Test func aStatementKeptByItsUserStillWorksAfterTheConnectionIsDropped() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var statement: SQLiteStatement? = try Catalog(dataDir: dir.path).database.prepare("SELECT count(*) FROM parts")
        #expect(try statement?.step() == true)
        #expect(statement?.int64(0) == 0)
        statement = nil
        #expect(try Self.openFiles(under: dir.path) == 0)
    }
}
