import HomeBaseCore
import SQLiteStore
import Parquet
import Lake

/// The `requests` rows an analysis needs, as parallel columns with interned names: everything
/// else is computed from these arrays. Latency is NaN when unknown; `errorClass` is -1 for none.
package struct CallTable: Sendable {
    var ts: [Int64] = []
    /// Local day number (days since 1970-01-01 in the analysis time zone).
    package var day: [Int32] = []
    package var agent: [Int32] = []
    package var model: [Int32] = []
    var provider: [Int32] = []
    var session: [Int32] = []
    var inputTokens: [Int64] = []
    var outputTokens: [Int64] = []
    var cacheReadTokens: [Int64] = []
    var cacheWriteTokens: [Int64] = []
    var totalTokens: [Int64] = []
    package var cost: [Double] = []
    package var latency: [Double] = []
    package var isError: [Bool] = []
    var errorClass: [Int32] = []
    var costSource: [Int32] = []
    /// Failed calls and retries only: what the retry chains are built from.
    var links: [RetryLink] = []

    package var agents = Interner()
    package var models = Interner()
    var providers = Interner()
    var sessions = Interner()
    var errorClasses = Interner()
    var costSources = Interner()
    var statuses = Interner()

    package var count: Int { ts.count }

    /// The interned names, handed from one part's table to the next while an analysis streams
    /// the lake, so an id means the same name in every part.
    struct Names: Sendable {
        var agents = Interner()
        var models = Interner()
        var providers = Interner()
        var sessions = Interner()
        var errorClasses = Interner()
        var costSources = Interner()
        var statuses = Interner()
    }

    var names: Names {
        get {
            Names(
                agents: agents, models: models, providers: providers, sessions: sessions, errorClasses: errorClasses, costSources: costSources,
                statuses: statuses)
        }
        set {
            (agents, models, providers, sessions) = (newValue.agents, newValue.models, newValue.providers, newValue.sessions)
            (errorClasses, costSources, statuses) = (newValue.errorClasses, newValue.costSources, newValue.statuses)
        }
    }

    /// One failed call or retry: hashed (session, entry id) of itself and of the attempt it retries.
    struct RetryLink: Sendable {
        var row: Int
        var key: UInt64
        var retryOf: UInt64?
    }

    /// The columns read from the lake, in this order.
    static let columns = [
        "ts", "agent_id", "session_id", "entry_id", "provider", "model",
        "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "total_tokens",
        "cost_usd", "cost_source", "latency_ms", "status", "error_class", "retry_of"
    ]

    /// Appends one part's columns (in `columns` order), bucketing days with `calendar`.
    mutating func append(_ data: [ColumnData], calendar: LocalCalendar, file: String) throws {
        try append(encoded: data.map { .dense($0) }, calendar: calendar, file: file)
    }

    /// Appends one row group's columns as `ParquetReader.readEncoded` gives them (in `columns`
    /// order): a dictionary-encoded string column is interned once per dictionary value.
    mutating func append(encoded data: [EncodedColumn], calendar: LocalCalendar, file: String) throws {
        guard data.count == Self.columns.count else { throw AnalysisError.badPart(file: file, reason: "expected \(Self.columns.count) columns") }
        func dense(_ k: Int) throws -> ColumnData {
            guard case .dense(let column) = data[k] else {
                throw AnalysisError.badPart(file: file, reason: "\(Self.columns[k]) is not a number column")
            }
            return column
        }
        func strings(_ k: Int) throws -> TextColumn {
            guard let column = TextColumn(data[k], rows: data[0].count) else {
                throw AnalysisError.badPart(file: file, reason: "\(Self.columns[k]) is not a string column")
            }
            return column
        }
        guard case .int64(let times) = try dense(0).values else { throw AnalysisError.badPart(file: file, reason: "ts is not int64") }
        let numbers = try (0..<data.count).map { k in [0, 6, 7, 8, 9, 10, 11, 13].contains(k) ? try dense(k) : ColumnData(.int64([])) }
        try Self.checkRanges(numbers, file: file)  // before any column grows: a refused part adds nothing
        let (agents, sessionColumn, entries, providerNames, modelNames) = (
            try strings(1), try strings(2), try strings(3), try strings(4), try strings(5)
        )
        let (sources, statusNames, classes, retries) = (try strings(12), try strings(14), try strings(15), try strings(16))
        let n = times.count
        guard data.allSatisfy({ $0.count == n }) else { throw AnalysisError.badPart(file: file, reason: "columns of different lengths") }
        let base = count
        ts += times
        day += times.map { Int32(truncatingIfNeeded: calendar.day(ofMicros: $0)) }
        agent += self.agents.ids(agents)
        session += sessions.ids(sessionColumn)
        provider += providers.ids(providerNames)
        model += models.ids(modelNames)
        inputTokens += try Self.int64(numbers[6], "input_tokens", file)
        outputTokens += try Self.int64(numbers[7], "output_tokens", file)
        cacheReadTokens += try Self.int64(numbers[8], "cache_read_tokens", file)
        cacheWriteTokens += try Self.int64(numbers[9], "cache_write_tokens", file)
        totalTokens += try Self.int64(numbers[10], "total_tokens", file)
        cost += try Self.double(numbers[11], "cost_usd", file)
        costSource += costSources.ids(sources)
        var latencies = try Self.double(numbers[13], "latency_ms", file)
        if let validity = numbers[13].validity { for i in 0..<n where !validity[i] { latencies[i] = .nan } }
        latency += latencies
        let statusIDs = statuses.ids(statusNames)
        let errorID = statuses.lookup("error") ?? -2
        let failed = statusIDs.map { $0 == errorID }
        isError += failed
        errorClass += errorClasses.ids(classes, nullID: -1)
        for i in 0..<n {
            let hasRetry = !retries.isNull(i) && !retries.value(i).isEmpty
            guard failed[i] || hasRetry else { continue }
            let key = Self.linkKey(sessionColumn.value(i), entries.value(i))
            let retryOf = hasRetry ? Self.linkKey(sessionColumn.value(i), retries.value(i)) : nil
            links.append(RetryLink(row: base + i, key: key, retryOf: retryOf))
        }
    }

    static func linkKey(_ session: ArraySlice<UInt8>, _ entry: ArraySlice<UInt8>) -> UInt64 {
        var hash = FNV1a()
        hash.add(session)
        hash.add(CollectionOfOne(0))
        hash.add(entry)
        return hash.value
    }

    private static func bytes(_ column: ColumnData, _ name: String, _ file: String) throws -> ByteArrayColumn {
        guard case .byteArray(let values) = column.values else { throw AnalysisError.badPart(file: file, reason: "\(name) is not a string column") }
        return values
    }

    private static func int64(_ column: ColumnData, _ name: String, _ file: String) throws -> [Int64] {
        switch column.values {
        case .int64(let values): return values
        case .int32(let values): return values.map(Int64.init)
        default: throw AnalysisError.badPart(file: file, reason: "\(name) is not an integer column")
        }
    }

    /// Refuses a part with a token count outside ``CallRange/maxTokens`` (what ingest stores, so
    /// the sums an analysis takes cannot overflow), a time outside 0001-9999 or a non-finite cost, naming the row: a part
    /// written by an older build that let such values in is an error, not a trap.
    private static func checkRanges(_ data: [ColumnData], file: String) throws {
        for (index, name) in [(6, "input_tokens"), (7, "output_tokens"), (8, "cache_read_tokens"), (9, "cache_write_tokens"), (10, "total_tokens")] {
            let values = try int64(data[index], name, file)
            if let row = values.firstIndex(where: { $0 < -CallRange.maxTokens || $0 > CallRange.maxTokens }) {
                throw AnalysisError.badPart(
                    file: file, reason: "row \(row + 1): \(name) \(values[row]) is outside -\(CallRange.maxTokens)...\(CallRange.maxTokens)")
            }
        }
        let times = try int64(data[0], "ts", file)
        if let row = times.firstIndex(where: { $0 < CallRange.minMicros || $0 > CallRange.maxMicros }) {
            throw AnalysisError.badPart(file: file, reason: "row \(row + 1): ts \(times[row]) µs is outside years 0001-9999")
        }
        let cost = try double(data[11], "cost_usd", file)
        if let row = cost.firstIndex(where: { !$0.isFinite }) {
            throw AnalysisError.badPart(file: file, reason: "row \(row + 1): cost_usd is \(cost[row])")
        }
    }

    private static func double(_ column: ColumnData, _ name: String, _ file: String) throws -> [Double] {
        guard case .double(let values) = column.values else { throw AnalysisError.badPart(file: file, reason: "\(name) is not a double column") }
        return values
    }
}

extension CallTable.Names {
    /// Every interner's names in id order (`AnalysisCheckpoint`).
    func write(to out: inout StateWriter) {
        for interner in [agents, models, providers, sessions, errorClasses, costSources, statuses] { out.strings(interner.names) }
    }

    /// The interners `write` saved, each name under its saved id.
    init(reading input: inout StateReader) throws {
        func interner() throws -> Interner {
            var result = Interner()
            let names = try input.strings()
            result.reserveCapacity(names.count)
            for name in names {
                let next = Int32(result.count)
                guard result.intern(name) == next else { throw input.damaged() }  // a name twice
            }
            return result
        }
        self.init(
            agents: try interner(), models: try interner(), providers: try interner(), sessions: try interner(), errorClasses: try interner(),
            costSources: try interner(), statuses: try interner())
    }
}
