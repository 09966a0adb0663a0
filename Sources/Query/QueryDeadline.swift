import CSQLite
import SQLiteStore
#if canImport(Glibc)
    import Glibc
#endif

/// A wall-clock limit on one statement, enforced through `sqlite3_progress_handler`: SQLite
/// calls back every few thousand VM steps and the statement is interrupted once the time is up
/// (a runaway recursive CTE then fails with ``QueryError/timeout(seconds:)`` instead of hanging).
final class QueryDeadline {
    /// VM instructions between checks: frequent enough to stop within milliseconds, rare enough to cost nothing.
    static let checkEvery: Int32 = 10_000

    let seconds: Double
    private let deadlineNanos: UInt64
    private(set) var expired = false

    init(seconds: Double) {
        self.seconds = seconds
        let budget = seconds * 1e9 >= Double(UInt64.max / 2) ? UInt64.max / 2 : UInt64(max(0, seconds * 1e9))
        deadlineNanos = Self.monotonicNanos() &+ budget
    }

    /// Runs `body` with the limit installed on `database`, removing it afterwards.
    func run<T>(on database: SQLiteDatabase, _ body: () throws -> T) rethrows -> T {
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_progress_handler(
            database.handle, Self.checkEvery,
            { context in
                guard let context else { return 0 }
                let deadline = Unmanaged<QueryDeadline>.fromOpaque(context).takeUnretainedValue()
                if QueryDeadline.monotonicNanos() >= deadline.deadlineNanos {
                    deadline.expired = true
                    return 1  // non-zero: SQLite stops the statement with SQLITE_INTERRUPT
                }
                return 0
            }, context)
        defer { sqlite3_progress_handler(database.handle, 0, nil, nil) }
        return try withExtendedLifetime(self) { try body() }
    }

    static func monotonicNanos() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
    }
}
