import Foundation
import Testing
@testable import HomeBaseCore
@testable import Parquet
@testable import Lake
@testable import TestSupport

/// What the writer holds before it writes: a year of history touches hundreds of partitions at
/// once, and the buffers must stay within the budget however the rows are spread.
@Suite struct LakeWriterBudgetTests {
    /// One `quarantine` row of about `width` bytes.
    static func append(_ writer: LakeWriter, date: String, row: Int, width: Int = 200) throws {
        try writer.append(.quarantine, date: date) { c in
            c[0].append(Int64(row))
            c[1].append("/home/ana/.openclaw/agents/main/sessions/" + String(repeating: "f", count: 40) + ".jsonl")
            c[2].append(Int64(row))
            c[3].append(Int64(row) * 100)
            c[4].append("reason")
            c[5].append(String(repeating: "x", count: width - 110))
        }
    }

    static func date(_ day: Int) -> String { UTCDate.dateString(days: UTCDate.days(year: 2026, month: 1, day: 1) + Int64(day)) }

    /// 60 partitions filled round-robin (rows in no time order): the memory held never passes the
    /// budget by more than the 31 unmeasured rows a partition may add. Measuring a partition only
    /// every 1,024 rows let 60 × 1,023 rows (12 MB) pile up past a 2 MB budget.
    @Test func roundRobinOverManyPartitionsStaysWithinTheBudget() throws {
        let dir = TemporaryDirectory("lake-budget")
        defer { dir.remove() }
        let budget = 2 << 20
        let writer = LakeWriter(dataDir: dir.path, snapshot: 1, flushBytes: budget)
        var peak = 0
        for row in 0..<1500 {
            for day in 0..<60 {
                try Self.append(writer, date: Self.date(day), row: row)
                if (row * 60 + day) % 97 == 0 { peak = max(peak, writer.bufferedMemory) }
            }
        }
        // 31 unmeasured rows per partition, arrays at most twice full; and the allocator's share:
        // `bufferedMemory` counts capacities, which are malloc's usable sizes, a few bytes more
        // than asked when a chunk is reused from a fragmented heap and carried along by each
        // doubling (a full `make test` process measured 2,869,024 where the test alone stays
        // under 2,865,152).
        let slack = 60 * 32 * 200 * 2 + budget / 100
        #expect(peak > budget / 2, "the test fills the budget")
        #expect(peak <= budget + slack, "peak \(peak) bytes")
        try writer.flushAll()
        let rows = writer.written.reduce(0) { $0 + $1.rowCount }
        #expect(rows == 1500 * 60)
    }

    /// Rows that arrive day by day (as ingest reads sessions oldest first), each day larger than
    /// the one before (a growing fleet): each finished day is the stalest partition when the
    /// budget is reached, so every day is written as one part, never split, though the budget
    /// holds only a few days. Flushing the largest partition instead cut the current day short.
    @Test func rowsInTimeOrderWriteOnePartPerDay() throws {
        let dir = TemporaryDirectory("lake-budget-days")
        defer { dir.remove() }
        let writer = LakeWriter(dataDir: dir.path, snapshot: 1, flushBytes: 4 << 20)
        for day in 0..<20 {
            for row in 0..<(800 + 150 * day) { try Self.append(writer, date: Self.date(day), row: row) }
        }
        let beforeEnd = writer.written.count
        try writer.flushAll()
        let parts = Dictionary(grouping: writer.written, by: \.date)
        #expect(beforeEnd >= 14, "most days were written before the end (\(beforeEnd))")
        #expect(parts.count == 20)
        for day in 0..<20 {
            #expect(parts[Self.date(day)]?.map(\.rowCount) == [Int64(800 + 150 * day)], "day \(day)")
        }
    }
}
