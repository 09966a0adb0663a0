import HomeBaseCore
import SQLiteStore
import Parquet
import Lake

/// What the rules need from the period's `requests`, gathered row group by row group in lake
/// order: sums per agent+provider+model group and per session, plus only the rows a rule must
/// revisit (failed attempts; prompt-caching candidates only while their date is read). Memory
/// grows with groups, sessions and those rows, not with the calls. Agent, session, provider, model and error class are interned
/// to small integers (`names[id]`) in the order the rows first name them.
struct RecommendationCalls {
    static let columns = [
        "ts", "agent_id", "session_id", "entry_id", "provider", "model", "input_tokens",
        "output_tokens", "cache_read_tokens", "cache_write_tokens", "cost_usd", "status",
        "error_class", "retry_of", "tool_calls"
    ]

    let options: RecommendationOptions
    let book: PriceBook

    var names: [String] = []
    private var ids: [String: Int32] = [:]
    /// Rows read.
    private(set) var count = 0

    /// The agent+provider+model groups, in order of their first call, and per group (same index):
    /// its calls (all statuses), Σ cache reads and Σ prompt tokens (input + cache read + cache write).
    private(set) var groups: [GroupKey] = []
    private var groupIndex: [GroupKey: Int] = [:]
    private(set) var groupCalls: [Int] = []
    private(set) var groupCacheRead: [Int64] = [], groupPrompt: [Int64] = []
    /// Prompt caching's candidates, paired per group and session as they are read (`PromptCachingRule`).
    private(set) var caching: CachingCandidates
    /// Model right-sizing per group: the smaller model once looked up (`.some(nil)`: none) and the
    /// sums of its concerned calls, added in lake order.
    private(set) var smaller: [(model: String, price: ModelPrice)??] = []
    private(set) var small: [SmallCalls?] = []

    /// One entry per (agent, session), in order of its first call.
    private(set) var sessions: [SessionStats] = []
    private var sessionIndex: [Int64: Int] = [:]

    /// Failed calls (status other than ok) in lake order; the entry id of `failed[i]` is `failedEntries.value(at: i)`.
    private(set) var failed = ChunkedArray<FailedCall>()
    private(set) var failedEntries = ByteArrayColumn()
    /// The attempts some call names in `retry_of`, with the earliest such call's start.
    private(set) var retried: [AttemptKey: Int64] = [:]

    /// Whether each provider id caches prompts (0 unknown, 1 no, 2 yes).
    private var caches: [UInt8] = []

    init(options: RecommendationOptions, book: PriceBook) {
        self.options = options
        self.book = book
        caching = CachingCandidates(ttlSeconds: options.cacheTTLSeconds)
    }

    func name(_ id: Int32) -> String { names[Int(id)] }

    mutating func intern(_ text: String) -> Int32 {
        if let id = ids[text] { return id }
        let id = Int32(names.count)
        names.append(text)
        ids[text] = id
        return id
    }

    /// Reads the live `requests` parts of `period` from the lake: the next row group is decoded on
    /// one core while the rows of the one before are added on the other, in lake order.
    /// `book` is called once the lake's catalog has been read.
    static func load(
        dataDir: String, period: RecommendationPeriod, options: RecommendationOptions, book: () throws -> PriceBook
    ) throws -> RecommendationCalls {
        let scan = try LakeScan(dataDir: dataDir, table: .requests, from: period.from, to: period.to)
        let box = Accumulator(RecommendationCalls(options: options, book: try book()))
        let paths = scan.parts.map { scan.path(of: $0) }
        var current = try paths.isEmpty ? nil : RowGroupColumns.decode(paths[0], part: 0, group: 0)
        var firstRow = 0
        while let decoded = current {
            if decoded.group == 0 { firstRow = 0 }
            let next: (part: Int, group: Int)? =
                decoded.group + 1 < decoded.groups ? (decoded.part, decoded.group + 1) : decoded.part + 1 < paths.count ? (decoded.part + 1, 0) : nil
            let start = firstRow, path = paths[decoded.part]
            let nextPath = next.map { paths[$0.part] }
            (_, current) = try Parallel.both(
                { try box.calls.append(decoded, firstRow: start, part: path) },
                { try next.map { try RowGroupColumns.decode(nextPath ?? "", part: $0.part, group: $0.group) } })
            firstRow += decoded.rows
        }
        return box.calls
    }

    /// Adds the rows of one row group; `firstRow` is its first row's index in the part (for messages).
    mutating func append(_ group: RowGroupColumns, firstRow: Int, part: String) throws {
        let rows = group.rows
        guard rows > 0 else { return }
        let c = group.columns
        func typeError() -> RecommendationError {
            RecommendationError("\(part): the requests columns do not have the expected types; re-ingest into a fresh data directory")
        }
        guard let ts = c[0].int64s(rows), let agent = TextColumn(c[1], rows: rows), let session = TextColumn(c[2], rows: rows),
            let entry = TextColumn(c[3], rows: rows), let provider = TextColumn(c[4], rows: rows), let model = TextColumn(c[5], rows: rows),
            let input = c[6].int64s(rows), let output = c[7].int64s(rows), let cacheRead = c[8].int64s(rows),
            let cacheWrite = c[9].int64s(rows), let cost = c[10].doubles(rows), let status = TextColumn(c[11], rows: rows),
            let errorClass = TextColumn(c[12], rows: rows), let retryOf = TextColumn(c[13], rows: rows), let tools = c[14].int32s(rows)
        else { throw typeError() }
        // Values ingest no longer stores (an older build let them in): refused, so the rules' sums cannot trap.
        for (name, values) in [
            ("input_tokens", input), ("output_tokens", output), ("cache_read_tokens", cacheRead), ("cache_write_tokens", cacheWrite)
        ] {
            if let row = values.firstIndex(where: { $0 < -CallRange.maxTokens || $0 > CallRange.maxTokens }) {
                throw RecommendationError(
                    "\(part): row \(firstRow + row + 1): \(name) \(values[row]) is outside -\(CallRange.maxTokens)...\(CallRange.maxTokens); re-ingest into a fresh data directory"
                )
            }
        }
        if let row = cost.firstIndex(where: { !$0.isFinite }) {
            throw RecommendationError("\(part): row \(firstRow + row + 1): cost_usd is \(cost[row]); re-ingest into a fresh data directory")
        }
        let okBytes = Array("ok".utf8)
        var agents = TextInterner(agent), sessionIDs = TextInterner(session), providers = TextInterner(provider)
        var models = TextInterner(model), classes = TextInterner(errorClass)
        var lastGroup: (key: GroupKey, index: Int)?
        var lastSession: (key: Int64, index: Int)?
        for i in 0..<rows {
            let a = id(agent, i, &agents), s = id(session, i, &sessionIDs), p = id(provider, i, &providers), m = id(model, i, &models)
            let key = GroupKey(agent: a, provider: p, model: m)
            let g: Int
            if let last = lastGroup, last.key == key { g = last.index } else { g = groupIndex(key) }
            lastGroup = (key, g)
            let t = ts[i], tokensIn = input[i], tokensOut = output[i], read = cacheRead[i], write = cacheWrite[i], dollars = cost[i]
            let prompt = tokensIn + read + write
            groupCalls[g] += 1
            groupCacheRead[g] += read
            groupPrompt[g] += prompt
            if cachesPrompts(p), tokensIn >= options.cachingMinInputTokens, prompt > 0,
                Double(read) < options.cachingMaxReadShare * Double(prompt)
            {
                if let problem = caching.add(group: g, session: s, ts: t, input: tokensIn) {
                    throw RecommendationError("\(part): row \(firstRow + i + 1): \(problem); re-ingest into a fresh data directory")
                }
            }
            let isOK = status.value(i).elementsEqual(okBytes)
            if isOK && tools[i] == 0 && tokensOut < options.rightSizingMaxOutputTokens && dollars > 0 {
                if smaller[g] == nil { smaller[g] = .some(RightSizingRule.target(name(p), name(m), options: options, book: book)) }
                if let target = smaller[g] ?? nil {
                    let after = target.price.cost(input: tokensIn, output: tokensOut, cacheRead: read, cacheWrite: write)
                    if after > 0, dollars >= options.rightSizingMinPriceRatio * after {
                        var sum = small[g] ?? SmallCalls()
                        sum.calls += 1
                        sum.cost += dollars
                        sum.after += after
                        sum.tokens += tokensIn + tokensOut + read + write
                        small[g] = sum
                    }
                }
            }
            let sessionKey = Int64(a) << 32 | Int64(s)
            let k: Int
            if let last = lastSession, last.key == sessionKey { k = last.index } else { k = sessionIndex(sessionKey, agent: a, session: s) }
            lastSession = (sessionKey, k)
            sessions[k].calls += 1
            sessions[k].cost += dollars
            sessions[k].output += tokensOut
            sessions[k].start = min(sessions[k].start, t)
            if !isOK {
                let errorID = errorClass.isNull(i) ? intern("other") : id(errorClass, i, &classes)
                failed.append(
                    FailedCall(
                        ts: t, cost: dollars, tokens: tokensIn + tokensOut + read + write, agent: a, session: s, provider: p, errorClass: errorID))
                failedEntries.append(bytes: entry.value(i))
            }
            if !retryOf.isNull(i), !retryOf.value(i).isEmpty {
                let attempt = AttemptKey(agent: a, session: s, entry: String(decoding: retryOf.value(i), as: UTF8.self))
                retried[attempt] = min(retried[attempt] ?? .max, t)
            }
            count += 1
        }
    }

    /// The id of row `i`'s text (a null reads as the empty text), interned once per distinct value
    /// of a dictionary-encoded chunk and compared with the row before otherwise.
    private mutating func id(_ column: TextColumn, _ i: Int, _ interner: inout TextInterner) -> Int32 {
        if let code = column.code(i) {
            let known = interner.byCode[code]
            if known >= 0 { return known }
            let value = intern(String(decoding: column.value(i), as: UTF8.self))
            interner.byCode[code] = value
            return value
        }
        if interner.lastRow >= 0 && column.value(interner.lastRow).elementsEqual(column.value(i)) {
            interner.lastRow = i
            return interner.lastID
        }
        let value = intern(String(decoding: column.value(i), as: UTF8.self))
        interner.lastRow = i
        interner.lastID = value
        return value
    }

    private mutating func groupIndex(_ key: GroupKey) -> Int {
        if let index = groupIndex[key] { return index }
        let index = groups.count
        groupIndex[key] = index
        groups.append(key)
        groupCalls.append(0)
        groupCacheRead.append(0)
        groupPrompt.append(0)
        caching.addGroup()
        smaller.append(nil)
        small.append(nil)
        return index
    }

    private mutating func sessionIndex(_ key: Int64, agent: Int32, session: Int32) -> Int {
        if let index = sessionIndex[key] { return index }
        let index = sessions.count
        sessionIndex[key] = index
        sessions.append(SessionStats(agent: agent, session: session))
        return index
    }

    private mutating func cachesPrompts(_ provider: Int32) -> Bool {
        let p = Int(provider)
        if p >= caches.count { caches.append(contentsOf: repeatElement(0, count: p + 1 - caches.count)) }
        if caches[p] == 0 { caches[p] = options.cachingProviders.contains(names[p].lowercased()) ? 2 : 1 }
        return caches[p] == 2
    }
}

/// The sums of one group's calls that a smaller model could have answered.
struct SmallCalls {
    var calls = 0
    var cost = 0.0
    var after = 0.0
    var tokens: Int64 = 0
}

/// A failed call: what retry waste adds up when a later call retries it.
struct FailedCall {
    var ts: Int64
    var cost: Double
    /// Input + output + cache read + cache write tokens.
    var tokens: Int64
    var agent: Int32, session: Int32, provider: Int32, errorClass: Int32
}

/// A call attempt as `retry_of` names it: within the same agent and session.
struct AttemptKey: Hashable {
    var agent: Int32, session: Int32, entry: String
}

/// The accumulating table, handed to the worker that adds a row group while the next is decoded.
/// Only one worker touches it at a time (`Parallel.both` runs the other on the next row group's bytes).
private final class Accumulator: @unchecked Sendable {
    var calls: RecommendationCalls
    init(_ calls: RecommendationCalls) { self.calls = calls }
}

/// One row group's `RecommendationCalls.columns` as stored (nil: the part was written without it).
struct RowGroupColumns: Sendable {
    var part: Int, group: Int
    /// Row groups in the part.
    var groups: Int
    var rows: Int
    var columns: [EncodedColumn?]

    static func decode(_ path: String, part: Int, group: Int) throws -> RowGroupColumns {
        let reader = try ParquetReader(path: path)
        let names = RecommendationCalls.columns
        guard group < reader.rowGroups.count else {
            return RowGroupColumns(part: part, group: group, groups: reader.rowGroups.count, rows: 0, columns: names.map { _ in nil })
        }
        let present = names.filter { reader.schema.index(of: $0) != nil }
        var read = try reader.readEncoded(rowGroup: group, columns: present)[...]
        let columns = names.map { reader.schema.index(of: $0) == nil ? nil : read.removeFirst() }
        return RowGroupColumns(
            part: part, group: group, groups: reader.rowGroups.count, rows: reader.rowGroups[group].numRows, columns: columns)
    }
}

/// Per text column of a row group: the id of each dictionary code once interned (-1 before), and
/// the last row interned without a code.
struct TextInterner {
    var byCode: [Int32]
    var lastRow = -1
    var lastID: Int32 = 0

    init(_ column: TextColumn) { byCode = Array(repeating: -1, count: column.dictionarySize) }
}

extension Optional where Wrapped == EncodedColumn {
    /// The values of an INT64 column (zeros when absent, the placeholder of an older part); nil for another type.
    func int64s(_ rows: Int) -> [Int64]? {
        guard let self else { return Array(repeating: 0, count: rows) }
        guard case .dense(let data) = self, case .int64(let values) = data.values, values.count == rows else { return nil }
        return values
    }

    func int32s(_ rows: Int) -> [Int32]? {
        guard let self else { return Array(repeating: 0, count: rows) }
        guard case .dense(let data) = self, case .int32(let values) = data.values, values.count == rows else { return nil }
        return values
    }

    func doubles(_ rows: Int) -> [Double]? {
        guard let self else { return Array(repeating: 0, count: rows) }
        guard case .dense(let data) = self, case .double(let values) = data.values, values.count == rows else { return nil }
        return values
    }
}

extension RecommendationCalls {
    /// Everything gathered so far (`AnalysisCheckpoint`); the lookups are rebuilt when read back.
    func write(to out: inout StateWriter) {
        out.int(count)
        out.strings(names)
        out.array(groups)
        out.array(groupCalls)
        out.array(groupCacheRead)
        out.array(groupPrompt)
        caching.write(to: &out)
        out.int(smaller.count)
        for looked in smaller {
            out.optional(looked) { out, target in
                out.optional(target) { out, target in
                    out.string(target.model)
                    for value in [target.price.input, target.price.output] { out.double(value) }
                    for value in [target.price.cacheRead, target.price.cacheWrite] { out.optional(value) { $0.double($1) } }
                }
            }
        }
        out.array(small.map { UInt8($0 == nil ? 0 : 1) })  // field by field: no padding bytes in the file
        out.array(small.map { $0?.calls ?? 0 })
        out.array(small.map { $0?.cost ?? 0 })
        out.array(small.map { $0?.after ?? 0 })
        out.array(small.map { $0?.tokens ?? 0 })
        out.array(sessions)
        out.array(Array(failed))
        out.array(failedEntries.offsets)
        out.array(failedEntries.bytes)
        let attempts = Array(retried)
        out.array(attempts.map { [$0.key.agent, $0.key.session] }.flatMap { $0 })
        out.strings(attempts.map(\.key.entry))
        out.array(attempts.map(\.value))
        out.array(caches)
    }

    /// What `write` saved, gathered with the same options and price book.
    init(reading input: inout StateReader, options: RecommendationOptions, book: PriceBook) throws {
        self.init(options: options, book: book)
        count = try input.int()
        let saved = try input.strings()
        ids.reserveCapacity(saved.count)
        for name in saved {
            let next = Int32(names.count)
            guard intern(name) == next else { throw input.damaged() }
        }
        groups = try input.array()
        for (index, key) in groups.enumerated() { groupIndex[key] = index }
        groupCalls = try input.array()
        groupCacheRead = try input.array()
        groupPrompt = try input.array()
        caching = try CachingCandidates(reading: &input, ttlSeconds: options.cacheTTLSeconds)
        smaller = try (0..<input.count()).map { _ in
            try input.optional { input in
                try input.optional { input in
                    let model = try input.string()
                    let (price, output) = (try input.double(), try input.double())
                    let (read, write) = (try input.optional { try $0.double() }, try input.optional { try $0.double() })
                    return (model, ModelPrice(input: price, output: output, cacheRead: read, cacheWrite: write))
                }
            }
        }
        let present = try input.array(of: UInt8.self), calls = try input.array(of: Int.self)
        let cost = try input.array(of: Double.self), after = try input.array(of: Double.self), tokens = try input.array(of: Int64.self)
        guard [calls.count, cost.count, after.count, tokens.count].allSatisfy({ $0 == present.count }) else { throw input.damaged() }
        small = present.indices.map { k in
            present[k] == 0 ? nil : SmallCalls(calls: calls[k], cost: cost[k], after: after[k], tokens: tokens[k])
        }
        sessions = try input.array()
        sessionIndex.reserveCapacity(sessions.count)
        for (index, s) in sessions.enumerated() { sessionIndex[Int64(s.agent) << 32 | Int64(s.session)] = index }
        for call in try input.array(of: FailedCall.self) { failed.append(call) }
        failedEntries.offsets = try input.array()
        failedEntries.bytes = try input.array()
        let keys = try input.array(of: Int32.self), entries = try input.strings(), starts = try input.array(of: Int64.self)
        guard keys.count == 2 * entries.count && starts.count == entries.count else { throw input.damaged() }
        retried.reserveCapacity(entries.count)
        for k in entries.indices { retried[AttemptKey(agent: keys[2 * k], session: keys[2 * k + 1], entry: entries[k])] = starts[k] }
        caches = try input.array()
        let n = groups.count
        guard [groupCalls.count, groupCacheRead.count, groupPrompt.count, caching.sums.count, smaller.count, small.count].allSatisfy({ $0 == n }),
            failedEntries.offsets.first == 0, failedEntries.offsets.count == failed.count + 1,
            failedEntries.offsets.last == failedEntries.bytes.count
        else { throw input.damaged() }
    }
}
