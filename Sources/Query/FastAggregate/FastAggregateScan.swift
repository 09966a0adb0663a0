import Foundation
import HomeBaseCore
import SQLiteStore
import Parquet
import Lake

/// One row group to decode.
struct WorkItem: Sendable {
    let path: String
    let date: [UInt8]
    let group: Int
    let rows: Int
    /// Table column indices and names of the columns the part has.
    let columns: [Int]
    let names: [String]
    /// Per row filter: true when the row group's statistics prove every row passes it.
    var proven: [Bool] = []
}

/// The decoded row groups of one window, filled by concurrent workers (one index each).
final class DecodedSlots: @unchecked Sendable {
    // Columns and errors in two plain arrays, no `Result`: its generic metadata cost a query's
    // start-up at first use.
    private var columns: [[EncodedColumn]]
    private var errors: [(any Error)?]
    private let lock = NSLock()
    init(count: Int) {
        columns = Array(repeating: [], count: count)
        errors = Array(repeating: nil, count: count)
    }
    /// Runs `decode` and keeps what it returns or throws for slot `k`.
    func fill(_ k: Int, _ decode: () throws -> [EncodedColumn]) {
        do {
            let decoded = try decode()
            lock.withLock { columns[k] = decoded }
        } catch {
            lock.withLock { errors[k] = error }
        }
    }
    /// Slot `k`'s columns, or the error its decoding threw.
    func take(_ k: Int) throws -> [EncodedColumn] {
        let (decoded, error) = lock.withLock { (columns[k], errors[k]) }
        if let error { throw error }
        return decoded
    }
}

/// A fast-path scan met something only SQLite reproduces (an integer `sum` that overflows, which
/// SQLite reports as an error; too many distinct group keys): the statement goes to SQLite.
struct FastPathDeclined: Error {}

/// Runs a `FastAggregatePlan` as SQLite would, without SQLite: the parts and row groups the
/// `date`/`ts` filters keep, only the columns used, whole row groups at a time (a filter mask,
/// a group id per row, then one tight loop per aggregate).
///
/// Identical results: rows are aggregated in the order SQLite sees them (parts by date, row
/// groups and rows in file order; SQLite's GROUP BY sorter keeps that order within a group), and
/// the sums are SQLite 3.40's: a plain running double beside an overflow-checked integer, the
/// integer returned when every input was one. Groups come out in SQLite's key order (NULL, then
/// numbers, then text bytewise; a key runs descending where SQLite turns it so, see `output`); ORDER BY
/// is a stable sort on top, as SQLite's sorter is.
final class FastAggregateScan {
    enum Key: Hashable {
        case null
        case int(Int64)
        case text([UInt8])

        /// SQLite's order: NULL, numbers, text (bytewise).
        static func precedes(_ a: Key, _ b: Key) -> Bool {
            switch (a, b) {
            case (.null, .null): return false
            case (.null, _): return true
            case (_, .null): return false
            case (.int(let x), .int(let y)): return x < y
            case (.int, .text): return true
            case (.text, .int): return false
            case (.text(let x), .text(let y)): return x.lexicographicallyPrecedes(y)
            }
        }
    }

    /// The distinct values of one GROUP BY column, numbered in order of appearance.
    struct KeyColumn {
        var ids: [Key: Int32] = [:]
        var values: [Key] = []
        mutating func id(_ key: Key) -> Int32 {
            if let id = ids[key] { return id }
            let id = Int32(values.count)
            ids[key] = id
            values.append(key)
            return id
        }
    }

    /// One aggregate's running state, per group.
    struct Accumulator {
        let aggregate: FastAggregatePlan.Aggregate
        let column: Int?
        /// For `sum(CASE WHEN … THEN 1 ELSE 0 END)` (a `count` of the rows that pass).
        var condition: RowTest?
        var count: [Int64] = []
        var intSum: [Int64] = []
        var realSum: [Double] = []
        var approx: [Bool] = []
        var has: [Bool] = []
        var bestInt: [Int64] = []
        var bestReal: [Double] = []
        var bestText: [[UInt8]] = []
        /// `stddev`: Welford's running mean and sum of squared deviations.
        var mean: [Double] = []
        var m2: [Double] = []

        mutating func addGroup() {
            count.append(0)
            intSum.append(0)
            realSum.append(0)
            approx.append(false)
            has.append(false)
            bestInt.append(0)
            bestReal.append(0)
            bestText.append([])
            if aggregate == .stddev {
                mean.append(0)
                m2.append(0)
            }
        }

        /// The arrays a sum adds into (count, real sum, real-typed, integer sum) as buffers.
        @inline(__always) mutating func withSumBuffers(
            _ body: (
                UnsafeMutableBufferPointer<Int64>, UnsafeMutableBufferPointer<Double>, UnsafeMutableBufferPointer<Bool>,
                UnsafeMutableBufferPointer<Int64>
            ) -> Void
        ) {
            count.withUnsafeMutableBufferPointer { c in
                realSum.withUnsafeMutableBufferPointer { s in
                    approx.withUnsafeMutableBufferPointer { a in intSum.withUnsafeMutableBufferPointer { i in body(c, s, a, i) } }
                }
            }
        }

        func value(_ g: Int) throws -> SQLiteValue {
            func real(_ v: Double) -> SQLiteValue { v.isNaN ? .null : .double(v) }  // SQLite stores NaN as NULL
            switch aggregate {
            case .count: return .int(count[g])
            case .sum:
                guard count[g] > 0 else { return .null }
                return approx[g] ? real(realSum[g]) : .int(intSum[g])
            case .total: return real(realSum[g])
            case .avg: return count[g] > 0 ? real(realSum[g] / Double(count[g])) : .null
            case .stddev: return count[g] < 2 ? .null : real((m2[g] / Double(count[g] - 1)).squareRoot())
            case .min, .max:
                guard has[g] else { return .null }
                return .null  // replaced by the caller, which knows the column's kind
            }
        }
    }

    let plan: FastAggregatePlan
    let table: LakeVirtualTable
    private let deadlineNanos: UInt64?
    private let timeLimit: Double?
    private var keyColumns: [KeyColumn]
    /// GROUP BY column ids of each group.
    private var groupKeys: [[Int32]] = []
    private var singleKeyGroups: [Int32] = []
    private var packedGroups: [Int64: Int32] = [:]
    private var accumulators: [Accumulator]
    private let kinds: [FastAggregatePlan.Kind]
    /// Per GROUP BY term: the local-time keys (nil for a column) and the group-key id of each key integer seen.
    private var localKeys: [LocalKeys?]
    private var localIDs: [[Int64: Int32]]
    /// The columns `percentile`/`median` read, and per column the values of each group in lake order.
    private let sampleColumns: [Int]
    private var samples: [[[Double]]]
    private var samplesHeld = 0
    /// `count(DISTINCT column)`: the columns, their value ids, and per column the ids each group has seen.
    private let distinctColumns: [Int]
    private var distinctKeys: [KeyColumn]
    private var distinctSeen: [[Set<Int32>]]
    private var distinctHeld = 0
    /// At most this many percentile values are held (128 MB); beyond it SQLite's sorter, which
    /// spills to disk, answers instead, so memory stays bounded however many rows there are.
    static let sampleLimit = 16 << 20
    /// At most this many distinct values per `count(DISTINCT …)` column are interned (about 50 MB
    /// of keys); a column with more is counted by SQLite.
    static let distinctLimit = 1 << 18

    init(plan: FastAggregatePlan, timeLimit: Double?) {
        self.plan = plan
        table = plan.table
        self.timeLimit = timeLimit
        deadlineNanos = timeLimit.map { QueryDeadline.monotonicNanos() &+ UInt64(max(0, min($0, 1e9)) * 1e9) }
        keyColumns = plan.groupBy.map { _ in KeyColumn() }
        accumulators = plan.items.flatMap { item in
            switch item {
            case .aggregate(let a, let c): return [Accumulator(aggregate: a, column: c)]
            case .expression(let e): return e.aggregates.map { Accumulator(aggregate: $0.0, column: $0.1) }
            case .countWhen(let filter):
                return [Accumulator(aggregate: .count, column: filter.column, condition: RowTest(filter.test, kind: plan.kind(filter.column)))]
            case .term, .percentile, .countDistinct: return []
            }
        }
        kinds = (0...plan.table.dateColumn).map(plan.kind)
        localKeys = plan.groupBy.map { term in
            if case .local(let unit, let zone) = term { return LocalKeys(unit: unit, zone: zone) }
            return nil
        }
        localIDs = plan.groupBy.map { _ in [:] }
        var columns: [Int] = []
        for case .percentile(let c, _) in plan.items where !columns.contains(c) { columns.append(c) }
        sampleColumns = columns
        samples = columns.map { _ in [] }
        var distinct: [Int] = []
        for case .countDistinct(let c) in plan.items where !distinct.contains(c) { distinct.append(c) }
        distinctColumns = distinct
        distinctKeys = distinct.map { _ in KeyColumn() }
        distinctSeen = distinct.map { _ in [] }
        if plan.groupBy.isEmpty { _ = newGroup([]) }
    }

    private func newGroup(_ key: [Int32]) -> Int32 {
        let g = Int32(groupKeys.count)
        groupKeys.append(key)
        for a in accumulators.indices { accumulators[a].addGroup() }
        for k in samples.indices { samples[k].append([]) }
        for k in distinctSeen.indices { distinctSeen[k].append([]) }
        return g
    }

    /// The result rows, as SQLite would return them.
    func run() throws -> [[SQLiteValue]] {
        let dateFilters = plan.filters.filter { $0.column == table.dateColumn }
        let rowFilters = plan.filters.filter { $0.column != table.dateColumn }
        let tests = rowFilters.map { RowTest($0.test, kind: kinds[$0.column]) }
        let tsColumn = table.tsColumnIsMicros ? table.tsColumn : nil
        let tsBounds = zip(rowFilters, tests).filter { $0.0.column == tsColumn }.flatMap { $0.1.rangeBounds }
        let read = plan.columnsRead
        let schema = table.table.schema.columns
        // Whether `ts` is read for anything but its filters (an output column, a group, an aggregate).
        let needsTs = tsColumn.map(plan.columnsComputed.contains) ?? false
        table.stats.scans += 1
        table.stats.columnsRead.formUnion(read.map { schema[$0].name })
        // `ts` bounds prune parts as the virtual table's scans do (`DatePrune`: the part of day D
        // holds only ts of day D), so both paths read the same parts.
        var tsPartOps: [(Character, [SQLiteValue])] = []
        for filter in rowFilters where filter.column == table.tsColumn {
            switch filter.test {
            case .compare(let op, .text(let b)):
                let code: [String: Character] = ["=": "q", "<": "a", "<=": "A", ">": "b", ">=": "B"]
                if let c = code[op] { tsPartOps.append((c, [.text(String(decoding: b, as: UTF8.self))])) }
            case .anyEqual(let values):
                tsPartOps.append(
                    ("q", values.compactMap { if case .text(let b) = $0 { return .text(String(decoding: b, as: UTF8.self)) } else { return nil } }))
            default: break
            }
        }
        // First the row groups to read (footers only), then windows of them decoded on all
        // cores at once and aggregated one after another in lake order, so the sums are the same.
        var work: [WorkItem] = []
        for part in table.parts {
            let date = Array(part.date.utf8)
            guard dateFilters.allSatisfy({ RowTest($0.test, kind: .date).passesText(date) }) else { continue }
            guard tsPartOps.allSatisfy({ op in op.1.contains { DatePrune.keeps(part.date, ops: [op.0], values: [$0]) } }) else { continue }
            let path = part.location(dataDir: table.dataDir)
            let reader = try ParquetReader(path: path)
            table.stats.partsRead += 1
            let present = read.filter { reader.schema.index(of: schema[$0].name) != nil }
            for group in reader.rowGroups.indices {
                let info = reader.rowGroups[group]
                guard info.numRows > 0 else { continue }
                if !tsBounds.isEmpty && !TsBound.keeps(info, tsColumn: "ts", bounds: tsBounds) {
                    table.stats.rowGroupsSkipped += 1
                    continue
                }
                // A `ts` range that the statistics show holds for the whole group is not tested
                // row by row, and `ts` is not decoded when nothing else reads it.
                let proven = zip(rowFilters, tests).map { filter, test in
                    filter.column == tsColumn && TsBound.coversAll(info, tsColumn: "ts", bounds: test.rangeBounds)
                }
                if proven.contains(true) { table.stats.rowGroupsProven += 1 }
                var columns = present
                if let tsColumn, !needsTs,
                    zip(rowFilters, proven).allSatisfy({ filter, proven in filter.column != tsColumn || proven })
                {
                    columns.removeAll { $0 == tsColumn }
                }
                work.append(
                    WorkItem(
                        path: path, date: date, group: group, rows: info.numRows, columns: columns, names: columns.map { schema[$0].name },
                        proven: proven))
            }
        }
        let width = max(1, min(4, Processors.available))
        var start = 0
        while start < work.count {
            if let deadlineNanos, QueryDeadline.monotonicNanos() >= deadlineNanos { throw QueryError.timeout(seconds: timeLimit ?? 0) }
            let window = Array(work[start..<min(work.count, start + width)])
            start += window.count
            let slots = DecodedSlots(count: window.count)
            let decode: @Sendable (Int) -> Void = { k in
                let item = window[k]
                slots.fill(k) { item.names.isEmpty ? [] : try ParquetReader(path: item.path).readEncoded(rowGroup: item.group, columns: item.names) }
            }
            if window.count > 1 { DispatchQueue.concurrentPerform(iterations: window.count, execute: decode) } else { decode(0) }
            for (k, item) in window.enumerated() {
                let encoded = try slots.take(k)
                var vectors = [ColumnVector](repeating: .missing, count: table.dateColumn + 1)
                for (n, c) in item.columns.enumerated() { vectors[c] = ColumnVector(encoded[n]) }
                table.stats.rowGroupsRead += 1
                table.stats.rowsRead += item.rows
                let untested = rowFilters.indices.filter { !item.proven[$0] }
                try aggregate(
                    rows: item.rows, vectors: vectors, date: item.date,
                    filters: zip(untested.map { rowFilters[$0].column }, untested.map { tests[$0] }))
            }
        }
        return try output()
    }

    private func aggregate(rows: Int, vectors: [ColumnVector], date: [UInt8], filters: Zip2Sequence<[Int], [RowTest]>) throws {
        var mask = [Bool](repeating: true, count: rows)
        for (column, test) in filters { test.apply(vectors[column], &mask) }
        var gids = [Int32](repeating: 0, count: rows)
        if !plan.groupBy.isEmpty { try groupIDs(rows: rows, vectors: vectors, date: date, mask: mask, into: &gids) }
        for a in accumulators.indices {
            let column = accumulators[a].column
            if let condition = accumulators[a].condition {
                // A count of the rows the condition keeps: the condition is one more filter.
                var kept = mask
                if column == table.dateColumn {
                    if !condition.passesText(date) { kept = [Bool](repeating: false, count: rows) }
                } else if let column {
                    condition.apply(vectors[column], &kept)
                }
                try accumulate(&accumulators[a], nil, mask: kept, gids: gids)
                for r in 0..<rows where mask[r] { accumulators[a].has[Int(gids[r])] = true }  // the group has rows: a sum, not NULL
            } else if column == table.dateColumn {
                accumulateDate(&accumulators[a], date: date, mask: mask, gids: gids)
            } else {
                try accumulate(&accumulators[a], column.map { vectors[$0] }, mask: mask, gids: gids)
            }
        }
        for (k, column) in distinctColumns.enumerated() {
            let ids = try Self.keyIDs(
                &distinctKeys[k], vector: column == table.dateColumn ? nil : vectors[column], date: date, mask: mask, nullKey: .null)
            for r in 0..<rows where mask[r] { distinctSeen[k][Int(gids[r])].insert(ids[r]) }
            distinctHeld += rows
            // Bounded like the percentile values: past it SQLite's ephemeral index (spilling to disk) counts.
            if distinctKeys[k].values.count > Self.distinctLimit || distinctHeld > Self.sampleLimit { throw FastPathDeclined() }
        }
        for (k, column) in sampleColumns.enumerated() {
            // SQLite's percentile takes every non-NULL number as a double, in the order it sees them.
            var held = 0
            switch vectors[column] {
            case .ints(let values, let valid):
                let ok = Self.merge(mask, valid)
                for r in 0..<rows where ok[r] {
                    samples[k][Int(gids[r])].append(Double(values[r]))
                    held += 1
                }
            case .reals(let values, let valid):
                let ok = Self.merge(mask, valid)
                for r in 0..<rows where ok[r] {
                    samples[k][Int(gids[r])].append(values[r])
                    held += 1
                }
            case .missing: break
            case .texts, .dictionary: throw FastPathDeclined()  // the plan never asks this
            }
            samplesHeld += held
            if samplesHeld > Self.sampleLimit { throw FastPathDeclined() }
        }
    }

    /// Group ids of the kept rows: per column a key id (through the dictionary when the column
    /// has one), then per row the group of those ids.
    private func groupIDs(rows: Int, vectors: [ColumnVector], date: [UInt8], mask: [Bool], into gids: inout [Int32]) throws {
        var columnIDs: [[Int32]] = []
        for (k, term) in plan.groupBy.enumerated() {
            switch term {
            case .column(let c):
                columnIDs.append(
                    try Self.keyIDs(&keyColumns[k], vector: c == table.dateColumn ? nil : vectors[c], date: date, mask: mask, nullKey: .null))
            case .coalesce(let c, let literal):
                columnIDs.append(try Self.keyIDs(&keyColumns[k], vector: vectors[c], date: date, mask: mask, nullKey: .text(literal)))
            case .local:
                var ids = [Int32](repeating: 0, count: rows)
                try localGroupIDs(k, vector: vectors[table.tsColumn ?? 0], date: date, mask: mask, into: &ids)
                columnIDs.append(ids)
            }
        }
        if columnIDs.count == 1 {
            let ids = columnIDs[0]
            // A local copy: a class property in this loop costs an exclusivity check per row.
            var groupOf = singleKeyGroups
            singleKeyGroups = []
            defer { singleKeyGroups = groupOf }
            for r in 0..<rows where mask[r] {
                let id = Int(ids[r])
                while groupOf.count <= id { groupOf.append(-1) }
                var g = groupOf[id]
                if g < 0 {
                    g = newGroup([ids[r]])
                    groupOf[id] = g
                }
                gids[r] = g
            }
            return
        }
        guard keyColumns.allSatisfy({ $0.values.count < 1 << 21 }) else { throw FastPathDeclined() }
        var last: (Int64, Int32)?
        for r in 0..<rows where mask[r] {
            var packed: Int64 = 0
            for (k, ids) in columnIDs.enumerated() { packed |= Int64(ids[r]) << (21 * Int64(k)) }
            if let (lk, lg) = last, lk == packed { gids[r] = lg; continue }
            let g: Int32
            if let known = packedGroups[packed] {
                g = known
            } else {
                g = newGroup(columnIDs.map { $0[r] })
                packedGroups[packed] = g
            }
            last = (packed, g)
            gids[r] = g
        }
    }

    /// Key ids of a column's values in the rows `mask` keeps, through the dictionary when the
    /// column has one; a NULL row is `nullKey`; `vector` nil is the `date` column (`date`).
    private static func keyIDs(_ keys: inout KeyColumn, vector: ColumnVector?, date: [UInt8], mask: [Bool], nullKey: Key) throws -> [Int32] {
        let rows = mask.count
        var ids = [Int32](repeating: 0, count: rows)
        guard let vector else {
            let id = keys.id(.text(date))
            for r in 0..<rows { ids[r] = id }
            return ids
        }
        switch vector {
        case .missing:
            let id = keys.id(nullKey)
            for r in 0..<rows { ids[r] = id }
        case .dictionary(let values, let indices, let valid):
            let nullID = valid == nil ? 0 : keys.id(nullKey)
            let map = (0..<values.count).map { keys.id(.text(Array(values.value(at: $0)))) }
            map.withUnsafeBufferPointer { m in
                for r in 0..<rows where mask[r] { ids[r] = valid.map { $0[r] } ?? true ? m[Int(indices[r])] : nullID }
            }
        case .texts(let values, let valid):
            for r in 0..<rows where mask[r] {
                ids[r] = keys.id(valid.map { $0[r] } ?? true ? .text(Array(values.value(at: r))) : nullKey)
            }
        case .ints(let values, let valid):
            var last: (Int64, Int32)?
            for r in 0..<rows where mask[r] {
                guard valid.map({ $0[r] }) ?? true else { ids[r] = keys.id(nullKey); continue }
                let v = values[r]
                if let (lv, lid) = last, lv == v { ids[r] = lid; continue }
                let id = keys.id(.int(v))
                last = (v, id)
                ids[r] = id
            }
        case .reals:
            throw FastPathDeclined()
        }
        return ids
    }

    /// Key ids of a `local_…(ts, zone)` term: NULL `ts` is a NULL key.
    private func localGroupIDs(_ k: Int, vector: ColumnVector, date: [UInt8], mask: [Bool], into ids: inout [Int32]) throws {
        guard var keys = localKeys[k] else { throw FastPathDeclined() }
        defer { localKeys[k] = keys }
        switch vector {
        case .missing:
            let id = keyColumns[k].id(.null)
            for r in ids.indices { ids[r] = id }
        case .ints(let values, let valid):
            var ints = [Int64](repeating: 0, count: values.count)
            try keys.keys(values, valid: valid, mask: mask, partDay: UTCDate.parseDate(String(decoding: date, as: UTF8.self)), into: &ints)
            var known = localIDs[k]
            defer { localIDs[k] = known }
            var last: (Int64, Int32)?
            for r in ints.indices where mask[r] {
                guard valid.map({ $0[r] }) ?? true else { ids[r] = keyColumns[k].id(.null); continue }
                let v = ints[r]
                if let (lv, lid) = last, lv == v { ids[r] = lid; continue }
                let id: Int32
                if let seen = known[v] {
                    id = seen
                } else {
                    id = keyColumns[k].id(keys.value(v))
                    known[v] = id
                }
                last = (v, id)
                ids[r] = id
            }
        default: throw FastPathDeclined()  // `ts` is always an integer column here
        }
    }

    private func accumulateDate(_ acc: inout Accumulator, date: [UInt8], mask: [Bool], gids: [Int32]) {
        for r in mask.indices where mask[r] {
            let g = Int(gids[r])
            acc.count[g] += 1
            if acc.aggregate == .min || acc.aggregate == .max {
                if !acc.has[g]
                    || (acc.aggregate == .min ? date.lexicographicallyPrecedes(acc.bestText[g]) : acc.bestText[g].lexicographicallyPrecedes(date))
                {
                    acc.bestText[g] = date
                    acc.has[g] = true
                }
            }
        }
    }

    private func accumulate(_ acc: inout Accumulator, _ vector: ColumnVector?, mask: [Bool], gids: [Int32]) throws {
        let rows = mask.count
        guard let vector else {  // count(*)
            mask.withUnsafeBufferPointer { m in
                gids.withUnsafeBufferPointer { g in
                    acc.count.withUnsafeMutableBufferPointer { c in
                        for r in 0..<rows where m[r] { c[Int(g[r])] += 1 }
                    }
                }
            }
            return
        }
        switch vector {
        case .missing:
            return  // every row NULL: no aggregate moves
        case .ints(let values, let valid):
            let ok = Self.merge(mask, valid)
            switch acc.aggregate {
            case .count:
                for r in 0..<rows where ok[r] { acc.count[Int(gids[r])] += 1 }
            case .stddev:
                for r in 0..<rows where ok[r] { Self.welford(&acc, Int(gids[r]), Double(values[r])) }
            case .sum, .total, .avg:
                var overflowed = false
                acc.withSumBuffers { c, s, a, i in
                    Self.forEachKept(ok, gids, values) { g, x in
                        c[g] += 1
                        s[g] += Double(x)
                        guard !a[g] else { return }
                        let (t, overflow) = i[g].addingReportingOverflow(x)
                        if overflow {
                            a[g] = true
                            overflowed = true
                        } else {
                            i[g] = t
                        }
                    }
                }
                if overflowed && acc.aggregate == .sum { throw FastPathDeclined() }  // SQLite: "integer overflow"
            case .min, .max:
                let isMin = acc.aggregate == .min
                // A `ts` outside 0001-9999 reads as an integer, which SQLite orders before text.
                let (low, high) = kinds[acc.column ?? 0] == .tsMicros ? (CallRange.minMicros, CallRange.maxMicros) : (Int64.min, Int64.max)
                var outside = false
                acc.has.withUnsafeMutableBufferPointer { h in
                    acc.bestInt.withUnsafeMutableBufferPointer { b in
                        Self.forEachKept(ok, gids, values) { g, x in
                            if x < low || x > high { outside = true }
                            if !h[g] || (isMin ? x < b[g] : x > b[g]) {
                                b[g] = x
                                h[g] = true
                            }
                        }
                    }
                }
                if outside { throw FastPathDeclined() }
            }
        case .reals(let values, let valid):
            let ok = Self.merge(mask, valid)
            switch acc.aggregate {
            case .count:
                for r in 0..<rows where ok[r] { acc.count[Int(gids[r])] += 1 }
            case .stddev:
                for r in 0..<rows where ok[r] { Self.welford(&acc, Int(gids[r]), values[r]) }
            case .sum, .total, .avg:
                acc.withSumBuffers { c, s, a, _ in
                    Self.forEachKept(ok, gids, values) { g, x in
                        c[g] += 1
                        s[g] += x
                        a[g] = true  // a real input: SQLite's sum is real
                    }
                }
            case .min, .max:
                let isMin = acc.aggregate == .min
                for r in 0..<rows where ok[r] {
                    let g = Int(gids[r]), v = values[r]
                    if !acc.has[g] || (isMin ? v < acc.bestReal[g] : v > acc.bestReal[g]) {
                        acc.bestReal[g] = v
                        acc.has[g] = true
                    }
                }
            }
        case .texts(let values, let valid):
            let ok = Self.merge(mask, valid)
            for r in 0..<rows where ok[r] { try text(&acc, Int(gids[r]), values.value(at: r)) }
        case .dictionary(let values, let indices, let valid):
            let ok = Self.merge(mask, valid)
            if acc.aggregate == .count {
                for r in 0..<rows where ok[r] { acc.count[Int(gids[r])] += 1 }
                return
            }
            for r in 0..<rows where ok[r] { try text(&acc, Int(gids[r]), values.value(at: Int(indices[r]))) }
        }
    }

    private func text(_ acc: inout Accumulator, _ g: Int, _ value: ArraySlice<UInt8>) throws {
        acc.count[g] += 1
        switch acc.aggregate {
        case .count: break
        case .min:
            if !acc.has[g] || value.lexicographicallyPrecedes(acc.bestText[g]) { acc.bestText[g] = Array(value); acc.has[g] = true }
        case .max:
            if !acc.has[g] || acc.bestText[g].lexicographicallyPrecedes(value) { acc.bestText[g] = Array(value); acc.has[g] = true }
        case .sum, .total, .avg, .stddev: throw FastPathDeclined()  // the plan never asks this
        }
    }

    /// `body(group, value)` for each row `ok` keeps, over buffers: subscripts of the accumulator's
    /// arrays (an inout struct's) were checked for uniqueness at every store.
    @inline(__always) private static func forEachKept<T>(_ ok: [Bool], _ gids: [Int32], _ values: [T], _ body: (Int, T) -> Void) {
        ok.withUnsafeBufferPointer { m in
            gids.withUnsafeBufferPointer { gp in
                values.withUnsafeBufferPointer { v in
                    for r in 0..<m.count where m[r] { body(Int(gp[r]), v[r]) }
                }
            }
        }
    }

    /// One step of `StddevAggregate` (the same operations in the same order).
    @inline(__always) private static func welford(_ acc: inout Accumulator, _ g: Int, _ x: Double) {
        acc.count[g] += 1
        let delta = x - acc.mean[g]
        acc.mean[g] += delta / Double(acc.count[g])
        acc.m2[g] += delta * (x - acc.mean[g])
    }

    private static func merge(_ mask: [Bool], _ valid: [Bool]?) -> [Bool] {
        guard let valid else { return mask }
        var out = mask
        for r in out.indices where !valid[r] { out[r] = false }
        return out
    }

    /// Rows in SQLite's order: groups by key, then the ORDER BY (stable), then the LIMIT.
    private func output() throws -> [[SQLiteValue]] {
        var order = Array(groupKeys.indices)
        if !plan.groupBy.isEmpty {
            // SQLite 3.40 (select.c): when ORDER BY has as many terms as GROUP BY, each GROUP BY
            // term takes the direction of the ORDER BY term at its position, so that the groups
            // may already come out in ORDER BY order; ties of the ORDER BY keep that order.
            let descending = plan.orderBy.count == plan.groupBy.count ? plan.orderBy.map(\.1) : plan.groupBy.map { _ in false }
            let keys = groupKeys.map { ids in ids.enumerated().map { keyColumns[$0.offset].values[Int($0.element)] } }
            order.sort { a, b in
                for (k, (x, y)) in zip(keys[a], keys[b]).enumerated() {
                    if Key.precedes(x, y) { return !descending[k] }
                    if Key.precedes(y, x) { return descending[k] }
                }
                return a < b
            }
        }
        var rows: [[SQLiteValue]] = []
        var sorted: [[Double]?] = sampleColumns.map { _ in nil }
        var stamp = [UInt8](repeating: 0, count: 27)
        for g in order {
            var row: [SQLiteValue] = []
            var a = 0
            for k in sorted.indices { sorted[k] = nil }
            for item in plan.items {
                switch item {
                case .percentile(let column, let given):
                    let k = sampleColumns.firstIndex(of: column) ?? 0
                    if sorted[k] == nil {
                        var values = samples[k][g]
                        samples[k][g] = []
                        RadixSort.sort(&values)  // the array `sorted()` gives, faster at many values
                        sorted[k] = values
                    }
                    let values = sorted[k] ?? []
                    let v = values.isEmpty ? nil : PercentileAggregate.interpolate(values, p: given > 1 ? given / 100 : given)
                    row.append(v.map { $0.isNaN ? .null : .double($0) } ?? .null)
                case .countDistinct(let column):
                    // The distinct values seen, NULL not counted.
                    let k = distinctColumns.firstIndex(of: column) ?? 0
                    let null = distinctKeys[k].ids[.null]
                    let seen = distinctSeen[k][g]
                    row.append(.int(Int64(seen.count - (null.map(seen.contains) == true ? 1 : 0))))
                case .countWhen:
                    // SQLite's sum of the CASE's 1s and 0s: the count, or NULL when the group has no rows at all.
                    row.append(accumulators[a].has[g] ? .int(accumulators[a].count[g]) : .null)
                    a += 1
                case .term(let t):
                    let k = plan.groupBy.firstIndex(of: t) ?? 0
                    switch keyColumns[k].values[Int(groupKeys[g][k])] {
                    case .null: row.append(.null)
                    case .int(let v): row.append(.int(v))
                    case .text(let v): row.append(.text(String(decoding: v, as: UTF8.self)))
                    }
                case .aggregate:
                    row.append(try value(a, g, &stamp))
                    a += 1
                case .expression(let e):
                    row.append(
                        try e.evaluate {
                            defer { a += 1 }
                            return try value(a, g, &stamp)
                        })
                }
            }
            rows.append(row)
        }
        if !plan.orderBy.isEmpty {
            let indexed = rows.enumerated().sorted { x, y in
                for (column, descending) in plan.orderBy {
                    let c = FastAggregateScan.compare(x.element[column], y.element[column])
                    if c != 0 { return descending ? c > 0 : c < 0 }
                }
                return x.offset < y.offset
            }
            rows = indexed.map(\.element)
        }
        if let limit = plan.limit, rows.count > limit { rows = Array(rows.prefix(limit)) }
        return rows
    }

    /// Accumulator `a`'s value for group `g`; `stamp` (27 bytes) formats a `ts`.
    private func value(_ a: Int, _ g: Int, _ stamp: inout [UInt8]) throws -> SQLiteValue {
        let acc = accumulators[a]
        guard acc.aggregate == .min || acc.aggregate == .max, let column = acc.column, acc.has[g] else { return try acc.value(g) }
        switch kinds[column] {
        case .integer: return .int(acc.bestInt[g])
        case .tsMicros:
            let micros = acc.bestInt[g]
            stamp.withUnsafeMutableBufferPointer { ISOStamp.format(micros: micros, into: $0) }
            return .text(String(decoding: stamp, as: UTF8.self))
        case .real: return .double(acc.bestReal[g])
        default: return .text(String(decoding: acc.bestText[g], as: UTF8.self))
        }
    }

    /// SQLite's order of result values: NULL, numbers (by value), text (bytewise).
    static func compare(_ a: SQLiteValue, _ b: SQLiteValue) -> Int {
        func rank(_ v: SQLiteValue) -> Int {
            switch v {
            case .null: 0
            case .int, .double: 1
            case .text: 2
            case .blob: 3
            }
        }
        let (ra, rb) = (rank(a), rank(b))
        if ra != rb { return ra < rb ? -1 : 1 }
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.double(let x), .double(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.int(let x), .double(let y)): return -compareRealInt(y, x)
        case (.double(let x), .int(let y)): return compareRealInt(x, y)
        case (.text(let x), .text(let y)):
            let (u, v) = (Array(x.utf8), Array(y.utf8))
            return u == v ? 0 : (u.lexicographicallyPrecedes(v) ? -1 : 1)
        default: return 0
        }
    }

    /// A double against an integer, exactly (as SQLite's sqlite3IntFloatCompare).
    static func compareRealInt(_ r: Double, _ i: Int64) -> Int {
        if r < -9.223372036854775808e18 { return -1 }
        if r >= 9.223372036854775808e18 { return 1 }
        let t = Int64(r.rounded(.towardZero))
        if t != i { return t < i ? -1 : 1 }
        let frac = r - Double(t)
        return frac == 0 ? 0 : (frac < 0 ? -1 : 1)
    }
}
