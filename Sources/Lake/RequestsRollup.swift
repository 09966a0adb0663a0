import Foundation
import HomeBaseCore
import Parquet

/// The two rollups of `requests`, written beside every `requests` part by `LakeWriter` (same
/// snapshot, same partition, same file name under `tables/requests_rollup/` and
/// `tables/requests_latency_rollup/`): one row per 15-minute UTC bucket × agent × model ×
/// provider × status × error class with counts and sums, and the exact latency histogram of each
/// such group (one row per distinct `latency_ms`, null included). A companion summarises exactly
/// its `requests` part, so summing the live rollup rows gives the GROUP BY over the live
/// `requests` rows; the catalog retires a companion with its part (see `Catalog.createRollupTrigger`).
package enum RequestsRollup {
    /// 15 minutes: every IANA offset is a whole number of quarter hours (+05:45, +12:45), so any
    /// zone's local days and hours are unions of buckets.
    package static let bucketMicros: Int64 = 15 * 60 * 1_000_000

    package static let tables: [LakeTable] = [.requestsRollup, .requestsLatencyRollup]

    /// The companion paths of a `requests` part path (`tables/requests/…`, or under `history/`
    /// once retired), or [] for any other path.
    package static func companions(of path: String) -> [String] {
        let folder = "tables/" + LakeTable.requests.name + "/"
        guard let range = path.range(of: folder) else { return [] }
        return tables.map { path.replacingCharacters(in: range, with: "tables/" + $0.name + "/") }
    }

    /// The start of the 15-minute UTC bucket holding `micros` (floor, also before 1970). A time
    /// whose bucket start is not an Int64 (only near Int64.min, far outside what ingest stores)
    /// goes to Int64.min rather than trapping.
    package static func bucket(ofMicros micros: Int64) -> Int64 {
        let quotient = micros / bucketMicros - (micros % bucketMicros < 0 ? 1 : 0)
        let (start, overflow) = quotient.multipliedReportingOverflow(by: bucketMicros)
        return overflow ? .min : start
    }

    /// A `requests` part's rollup rows (`requests_rollup` schema order) and latency histogram
    /// rows (`requests_latency_rollup` order), sorted by bucket, agent, model, provider, status,
    /// error class (null first), then latency (null first). Sums are taken in row order.
    ///
    /// No hashing per row: each key column becomes ranks (its distinct values in output order),
    /// the rows are sorted by latency (radix) and then stably by each key rank from the last to
    /// the first (counting sorts), and one walk over that order finds the groups and the bins.
    package static func summarise(_ columns: [ColumnData]) throws -> (rollup: [ColumnData], latency: [ColumnData]) {
        let input = try RequestsColumns(columns)
        let n = input.count
        // Rows in (bucket, agent, model, provider, status, error class, latency) order.
        let latencyOfRow = (0..<n).map { input.latencyKey($0) }
        var latencyKeys = latencyOfRow  // sorted along with the row order
        var order = (0..<n).map { UInt32($0) }
        RadixSort.sort(&latencyKeys, carrying: &order)
        for key in input.keys.reversed() { key.stablySort(&order) }

        // Groups and bins in that order; each row's group, for the sums.
        var groupRows: [Int] = []  // a row of each group (its first in `order`)
        var groupOfRow = [Int32](repeating: 0, count: n)
        var bins: [(group: Int32, row: Int, calls: Int64)] = []
        var previous = -1
        for position in 0..<n {
            let row = Int(order[position])
            if previous < 0 || !input.keys.allSatisfy({ $0.ranks[row] == $0.ranks[previous] }) {
                groupRows.append(row)
                bins.append((Int32(groupRows.count - 1), row, 0))
            } else if latencyOfRow[row] != latencyOfRow[previous] {
                bins.append((Int32(groupRows.count - 1), row, 0))
            }
            bins[bins.count - 1].calls += 1
            groupOfRow[row] = Int32(groupRows.count - 1)
            previous = row
        }
        var sums = [Sums](repeating: Sums(), count: groupRows.count)
        for row in 0..<n { sums[Int(groupOfRow[row])].add(input, row: row) }

        var rollup = LakeTable.requestsRollup.schema.columns.map(ColumnBuilder.init)
        for (group, row) in groupRows.enumerated() {
            input.appendKey(ofRow: row, to: &rollup)
            let sum = sums[group]
            let counts = [sum.calls, sum.errors, sum.retries, sum.input, sum.output, sum.cacheRead, sum.cacheWrite, sum.total, sum.toolCalls]
            for (offset, value) in counts.enumerated() { rollup[6 + offset].append(value) }
            rollup[6 + counts.count].append(sum.cost)
        }
        var latency = LakeTable.requestsLatencyRollup.schema.columns.map(ColumnBuilder.init)
        for bin in bins {
            input.appendKey(ofRow: bin.row, to: &latency)
            latency[6].append(input.latency(bin.row))
            latency[7].append(bin.calls)
        }
        return (rollup.indices.map { rollup[$0].take() }, latency.indices.map { latency[$0].take() })
    }

    private struct Sums {
        var calls: Int64 = 0
        var errors: Int64 = 0
        var retries: Int64 = 0
        var input: Int64 = 0
        var output: Int64 = 0
        var cacheRead: Int64 = 0
        var cacheWrite: Int64 = 0
        var total: Int64 = 0
        var toolCalls: Int64 = 0
        var cost = 0.0

        /// Token counts are at most `CallRange.maxTokens` (1e9) per row, so a sum overflows only
        /// past 9e9 rows in one group of one part; wrapping keeps that impossible case from trapping.
        mutating func add(_ input: RequestsColumns, row: Int) {
            calls &+= 1
            if input.isError(row) { errors &+= 1 }
            if input.isRetry(row) { retries &+= 1 }
            self.input &+= input.inputTokens[row]
            output &+= input.outputTokens[row]
            cacheRead &+= input.cacheReadTokens[row]
            cacheWrite &+= input.cacheWriteTokens[row]
            total &+= input.totalTokens[row]
            toolCalls &+= Int64(input.toolCalls[row])
            cost += input.cost[row]
        }
    }
}

/// One key column of the rollup as ranks: row `i`'s value is the `ranks[i]`-th of the column's
/// distinct values in output order (null first), so sorting by ranks sorts by values.
private struct KeyRanks {
    var ranks: [Int32]
    var distinct: Int

    /// Strings: ranks in byte order (what DuckDB and SQLite sort by), 0 for null; `names[rank]` is
    /// the value (nil for null).
    static func names(_ column: ByteArrayColumn, validity: [Bool]?) -> (KeyRanks, names: [String?]) {
        var interner = Interner()
        let ids = interner.ids(column, validity: validity)
        let byteRank = interner.byteOrderRanks()
        var names = [String?](repeating: nil, count: interner.count + 1)
        for (id, rank) in byteRank.enumerated() { names[Int(rank) + 1] = interner.names[id] }
        return (KeyRanks(ranks: ids.map { $0 < 0 ? 0 : byteRank[Int($0)] + 1 }, distinct: interner.count + 1), names)
    }

    /// Buckets: ranks in time order; `values[rank]` is the bucket.
    static func buckets(_ buckets: [Int64]) -> (KeyRanks, values: [Int64]) {
        let values = Array(Set(buckets)).sorted()
        let rankOf = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($1, Int32($0)) })
        var ranks = [Int32](repeating: 0, count: buckets.count)
        var last: (bucket: Int64, rank: Int32)?
        for (row, bucket) in buckets.enumerated() {
            if let last, last.bucket == bucket {
                ranks[row] = last.rank
            } else {
                ranks[row] = rankOf[bucket] ?? 0
                last = (bucket, ranks[row])
            }
        }
        return (KeyRanks(ranks: ranks, distinct: values.count), values)
    }

    /// Reorders the rows in `order` by rank, keeping the order of rows of equal rank (a counting sort).
    func stablySort(_ order: inout [UInt32]) {
        guard distinct > 1 else { return }
        var starts = [Int](repeating: 0, count: distinct + 1)
        for rank in ranks { starts[Int(rank) + 1] += 1 }
        for i in 1...distinct { starts[i] += starts[i - 1] }
        var sorted = [UInt32](repeating: 0, count: order.count)
        ranks.withUnsafeBufferPointer { r in
            sorted.withUnsafeMutableBufferPointer { out in
                for row in order {
                    let rank = Int(r[Int(row)])
                    out[starts[rank]] = row
                    starts[rank] += 1
                }
            }
        }
        order = sorted
    }
}

/// The `requests` columns a rollup reads, with its six key columns as ranks.
private struct RequestsColumns {
    var count: Int
    /// bucket, agent, model, provider, status, error class: the group key, in sort order.
    var keys: [KeyRanks]
    var bucketValues: [Int64]
    var names: [[String?]]  // per string key (agent … error class), the value of each rank
    var inputTokens: [Int64]
    var outputTokens: [Int64]
    var cacheReadTokens: [Int64]
    var cacheWriteTokens: [Int64]
    var totalTokens: [Int64]
    var cost: [Double]
    var toolCalls: [Int32]
    var latencyValues: [Double]
    var latencyValid: [Bool]?
    var retryOf: ByteArrayColumn
    var retryValid: [Bool]?
    var errorRank: Int32

    init(_ columns: [ColumnData]) throws {
        let schema = LakeTable.requests.schema
        guard columns.count == schema.columns.count else {
            throw RollupError("a requests part has \(columns.count) columns, the schema \(schema.columns.count)")
        }
        func column(_ name: String) -> ColumnData { columns[schema.index(of: name) ?? 0] }
        func int64(_ name: String) throws -> [Int64] {
            guard case .int64(let values) = column(name).values else { throw RollupError("requests.\(name) is not int64") }
            return values
        }
        func double(_ name: String) throws -> (values: [Double], validity: [Bool]?) {
            guard case .double(let values) = column(name).values else { throw RollupError("requests.\(name) is not double") }
            return (values, column(name).validity)
        }
        let ts = try int64("ts")
        count = ts.count
        let (bucketKey, bucketValues) = KeyRanks.buckets(ts.map(RequestsRollup.bucket(ofMicros:)))
        self.bucketValues = bucketValues
        keys = [bucketKey]
        names = []
        for name in ["agent_id", "model", "provider", "status", "error_class"] {
            guard case .byteArray(let values) = column(name).values else { throw RollupError("requests.\(name) is not a string") }
            let (key, valueOfRank) = KeyRanks.names(values, validity: column(name).validity)
            keys.append(key)
            names.append(valueOfRank)
        }
        inputTokens = try int64("input_tokens")
        outputTokens = try int64("output_tokens")
        cacheReadTokens = try int64("cache_read_tokens")
        cacheWriteTokens = try int64("cache_write_tokens")
        totalTokens = try int64("total_tokens")
        cost = try double("cost_usd").values
        (latencyValues, latencyValid) = try double("latency_ms")
        guard case .int32(let tools) = column("tool_calls").values else { throw RollupError("requests.tool_calls is not int32") }
        toolCalls = tools
        guard case .byteArray(let retries) = column("retry_of").values else { throw RollupError("requests.retry_of is not a string") }
        retryOf = retries
        retryValid = column("retry_of").validity
        errorRank = names[3].firstIndex(of: "error").map { Int32($0) } ?? -1
    }

    func latency(_ row: Int) -> Double? { latencyValid?[row] == false ? nil : latencyValues[row] }

    /// Latency order with null first (0); -0 is 0 (as SQL's GROUP BY has it), every NaN is one
    /// value, after +infinity.
    func latencyKey(_ row: Int) -> UInt64 {
        guard let value = latency(row) else { return 0 }
        return RadixSort.key(value.isNaN ? .nan : value == 0 ? 0 : value)
    }

    func isError(_ row: Int) -> Bool { keys[4].ranks[row] == errorRank }

    /// A retry names the attempt it repeats in `retry_of` (null or empty: a first attempt).
    func isRetry(_ row: Int) -> Bool { retryValid?[row] != false && retryOf.offsets[row + 1] > retryOf.offsets[row] }

    /// Appends row `row`'s bucket and five names to `builders[0...5]`.
    func appendKey(ofRow row: Int, to builders: inout [ColumnBuilder]) {
        builders[0].append(bucketValues[Int(keys[0].ranks[row])])
        for i in 0..<5 { builders[1 + i].append(names[i][Int(keys[1 + i].ranks[row])]) }
    }
}

/// A `requests` part the rollup cannot read (written by something other than this build's writer).
package struct RollupError: Error, CustomStringConvertible {
    package var description: String
    init(_ description: String) { self.description = "cannot roll up: " + description }
}
