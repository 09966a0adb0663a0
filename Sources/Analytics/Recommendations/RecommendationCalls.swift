import SQLiteStore
import Parquet
import Lake

/// The `requests` columns the rules need, one array per column, with agent, session, provider
/// and model interned to small integers (`names[id]`). Rows are in lake order.
struct RecommendationCalls {
    static let columns = [
        "ts", "agent_id", "session_id", "entry_id", "provider", "model", "input_tokens",
        "output_tokens", "cache_read_tokens", "cache_write_tokens", "cost_usd", "status",
        "error_class", "retry_of", "tool_calls"
    ]

    var names: [String] = []
    private var ids: [String: Int32] = [:]

    var ts: [Int64] = []
    var agent: [Int32] = [], session: [Int32] = [], provider: [Int32] = [], model: [Int32] = []
    var input: [Int64] = [], output: [Int64] = [], cacheRead: [Int64] = [], cacheWrite: [Int64] = []
    var cost: [Double] = []
    var ok: [Bool] = []
    var toolCalls: [Int32] = []
    /// Only for failed calls: their entry id and error class (`other` when missing).
    var failedEntry: [Int: String] = [:]
    var errorClass: [Int: Int32] = [:]
    /// Only for calls that retry a failed attempt: that attempt's entry id.
    var retryOf: [Int: String] = [:]

    var count: Int { ts.count }

    func name(_ id: Int32) -> String { names[Int(id)] }

    mutating func intern(_ text: String) -> Int32 {
        if let id = ids[text] { return id }
        let id = Int32(names.count)
        names.append(text)
        ids[text] = id
        return id
    }

    /// Reads the live `requests` parts of `period` from the lake.
    static func load(dataDir: String, period: RecommendationPeriod) throws -> RecommendationCalls {
        var table = RecommendationCalls()
        let scan = try LakeScan(dataDir: dataDir, table: .requests, from: period.from, to: period.to)
        try scan.forEachPart(columns: columns) { part, data in try table.append(data, part: scan.path(of: part)) }
        return table
    }

    private mutating func append(_ c: [ColumnData], part: String) throws {
        guard case .int64(let ts) = c[0].values, case .byteArray(let agent) = c[1].values,
            case .byteArray(let session) = c[2].values, case .byteArray(let entry) = c[3].values,
            case .byteArray(let provider) = c[4].values, case .byteArray(let model) = c[5].values,
            case .int64(let input) = c[6].values, case .int64(let output) = c[7].values,
            case .int64(let cacheRead) = c[8].values, case .int64(let cacheWrite) = c[9].values,
            case .double(let cost) = c[10].values, case .byteArray(let status) = c[11].values,
            case .byteArray(let errorClass) = c[12].values, case .byteArray(let retryOf) = c[13].values,
            case .int32(let tools) = c[14].values
        else { throw RecommendationError("\(part): the requests columns do not have the expected types; re-ingest into a fresh data directory") }
        // Values ingest no longer stores (an older build let them in): refused, so the rules' sums cannot trap.
        for (name, values) in [
            ("input_tokens", input), ("output_tokens", output), ("cache_read_tokens", cacheRead), ("cache_write_tokens", cacheWrite)
        ] {
            if let row = values.firstIndex(where: { $0 < -CallRange.maxTokens || $0 > CallRange.maxTokens }) {
                throw RecommendationError(
                    "\(part): row \(row + 1): \(name) \(values[row]) is outside -\(CallRange.maxTokens)...\(CallRange.maxTokens); re-ingest into a fresh data directory"
                )
            }
        }
        if let row = cost.firstIndex(where: { !$0.isFinite }) {
            throw RecommendationError("\(part): row \(row + 1): cost_usd is \(cost[row]); re-ingest into a fresh data directory")
        }
        let okBytes = Array("ok".utf8)
        // Rows of a part come file by file, so a value usually repeats the row before: compare bytes first.
        var last: [(Int, Int32)] = Array(repeating: (-1, 0), count: 4)
        func id(_ column: ByteArrayColumn, _ slot: Int, _ i: Int) -> Int32 {
            let previous = last[slot]
            if previous.0 >= 0 && column.value(at: previous.0).elementsEqual(column.value(at: i)) {
                last[slot].0 = i
                return previous.1
            }
            let value = intern(column.string(at: i))
            last[slot] = (i, value)
            return value
        }
        for i in 0..<ts.count {
            let row = count
            self.ts.append(ts[i])
            self.agent.append(id(agent, 0, i))
            self.session.append(id(session, 1, i))
            self.provider.append(id(provider, 2, i))
            self.model.append(id(model, 3, i))
            self.input.append(input[i]); self.output.append(output[i])
            self.cacheRead.append(cacheRead[i]); self.cacheWrite.append(cacheWrite[i])
            self.cost.append(cost[i])
            self.toolCalls.append(tools[i])
            let isOK = status.value(at: i).elementsEqual(okBytes)
            ok.append(isOK)
            if !isOK {
                failedEntry[row] = entry.string(at: i)
                self.errorClass[row] = intern(c[12].isNull(i) ? "other" : errorClass.string(at: i))
            }
            if !c[13].isNull(i) && !retryOf.value(at: i).isEmpty { self.retryOf[row] = retryOf.string(at: i) }
        }
    }
}
