import Foundation
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
    package static func summarise(_ columns: [ColumnData]) throws -> (rollup: [ColumnData], latency: [ColumnData]) {
        let input = try RequestsColumns(columns)
        var groupOf: [GroupKey: Int] = [:]
        var keys: [GroupKey] = []
        var sums: [Sums] = []
        var histogram: [HistogramKey: Int64] = [:]
        for row in 0..<input.count {
            let key = GroupKey(
                bucket: bucket(ofMicros: input.ts[row]), agent: input.agent.ids[row], model: input.model.ids[row],
                provider: input.provider.ids[row], status: input.status.ids[row], errorClass: input.errorClass.ids[row])
            let group: Int
            if let known = groupOf[key] {
                group = known
            } else {
                group = keys.count
                groupOf[key] = group
                keys.append(key)
                sums.append(Sums())
            }
            sums[group].add(input, row: row)
            histogram[HistogramKey(group: group, latencyBits: input.latency(row).map(\.bitPattern)), default: 0] += 1
        }
        let order = keys.indices.sorted { a, b in
            let x = keys[a]
            let y = keys[b]
            if x.bucket != y.bucket { return x.bucket < y.bucket }
            for (p, q, names) in [
                (x.agent, y.agent, input.agent), (x.model, y.model, input.model), (x.provider, y.provider, input.provider),
                (x.status, y.status, input.status), (x.errorClass, y.errorClass, input.errorClass)
            ] where p != q {
                return names.less(p, q)
            }
            return false
        }
        var rank = [Int](repeating: 0, count: keys.count)
        for (position, group) in order.enumerated() { rank[group] = position }

        var rollup = LakeTable.requestsRollup.schema.columns.map(ColumnBuilder.init)
        for group in order {
            let key = keys[group]
            let sum = sums[group]
            rollup[0].append(key.bucket)
            input.appendKey(key, to: &rollup, from: 1)
            let counts = [sum.calls, sum.errors, sum.retries, sum.input, sum.output, sum.cacheRead, sum.cacheWrite, sum.total, sum.toolCalls]
            for (offset, value) in counts.enumerated() { rollup[6 + offset].append(value) }
            rollup[6 + counts.count].append(sum.cost)
        }
        let bins = histogram.keys.sorted { a, b in
            if a.group != b.group { return rank[a.group] < rank[b.group] }
            guard let p = a.latencyBits.map(Double.init(bitPattern:)) else { return b.latencyBits != nil }
            guard let q = b.latencyBits.map(Double.init(bitPattern:)) else { return false }
            return p < q
        }
        var latency = LakeTable.requestsLatencyRollup.schema.columns.map(ColumnBuilder.init)
        for bin in bins {
            let key = keys[bin.group]
            latency[0].append(key.bucket)
            input.appendKey(key, to: &latency, from: 1)
            latency[6].append(bin.latencyBits.map(Double.init(bitPattern:)))
            latency[7].append(histogram[bin] ?? 0)
        }
        return (rollup.indices.map { rollup[$0].take() }, latency.indices.map { latency[$0].take() })
    }

    private struct HistogramKey: Hashable {
        var group: Int
        var latencyBits: UInt64?  // nil: latency unknown
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
            if input.status.ids[row] == input.errorStatus { errors &+= 1 }
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

/// One rollup group: a bucket and the ids of its five names in `RequestsColumns`.
private struct GroupKey: Hashable {
    var bucket: Int64
    var agent: Int32
    var model: Int32
    var provider: Int32
    var status: Int32
    var errorClass: Int32  // -1: null
}

/// The `requests` columns a rollup reads, with each string column turned into small ids.
private struct RequestsColumns {
    var count: Int
    var ts: [Int64]
    var agent: Names
    var model: Names
    var provider: Names
    var status: Names
    var errorClass: Names
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
    var errorStatus: Int32

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
        func names(_ name: String) throws -> Names {
            guard case .byteArray(let values) = column(name).values else { throw RollupError("requests.\(name) is not a string") }
            return Names(values, validity: column(name).validity)
        }
        ts = try int64("ts")
        count = ts.count
        agent = try names("agent_id")
        model = try names("model")
        provider = try names("provider")
        status = try names("status")
        errorClass = try names("error_class")
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
        errorStatus = status.id(of: "error") ?? -2
    }

    func latency(_ row: Int) -> Double? { latencyValid?[row] == false ? nil : latencyValues[row] }

    /// A retry names the attempt it repeats in `retry_of` (null or empty: a first attempt).
    func isRetry(_ row: Int) -> Bool { retryValid?[row] != false && !retryOf.value(at: row).isEmpty }

    /// Appends the five names of `key` to `builders[from...]`.
    func appendKey(_ key: GroupKey, to builders: inout [ColumnBuilder], from: Int) {
        builders[from].append(agent.name(key.agent))
        builders[from + 1].append(model.name(key.model))
        builders[from + 2].append(provider.name(key.provider))
        builders[from + 3].append(status.name(key.status))
        builders[from + 4].append(errorClass.name(key.errorClass))
    }
}

/// A string column as ids into its distinct values (in first-seen order); -1 marks a null.
private struct Names {
    var ids: [Int32] = []
    var values: [[UInt8]] = []

    init(_ column: ByteArrayColumn, validity: [Bool]?) {
        var known: [ArraySlice<UInt8>: Int32] = [:]
        ids.reserveCapacity(column.count)
        for row in 0..<column.count {
            if validity?[row] == false {
                ids.append(-1)
                continue
            }
            let value = column.value(at: row)
            if let id = known[value] {
                ids.append(id)
            } else {
                let id = Int32(values.count)
                known[value] = id
                values.append(Array(value))
                ids.append(id)
            }
        }
    }

    func id(of name: String) -> Int32? { values.firstIndex(of: Array(name.utf8)).map { Int32($0) } }

    func name(_ id: Int32) -> String? { id < 0 ? nil : String(decoding: values[Int(id)], as: UTF8.self) }

    /// Byte order, null first: what DuckDB and SQLite sort strings by.
    func less(_ a: Int32, _ b: Int32) -> Bool {
        if a < 0 || b < 0 { return a < 0 && b >= 0 }
        return values[Int(a)].lexicographicallyPrecedes(values[Int(b)])
    }
}

/// A `requests` part the rollup cannot read (written by something other than this build's writer).
package struct RollupError: Error, CustomStringConvertible {
    package var description: String
    init(_ description: String) { self.description = "cannot roll up: " + description }
}
