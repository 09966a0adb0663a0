import HomeBaseCore

/// Prompt caching's candidates summed as `PromptCachingRule` prices them: per agent+provider+model
/// group and session, in order of start (then lake order), each call reads from the cache what it
/// shares with the candidate before it when that one started within the cache TTL.
///
/// Only the calls of the UTC date being read wait to be paired: a row's date partition is the
/// UTC date of its `ts` and the lake is read in date order, so no later row can start before a
/// date that is over. Each date's calls are ordered once and paired, and a session keeps only its
/// latest call, and only while a call still to come could pair with it (started within the TTL
/// before the date being read). Memory follows one date's candidates, not the calls (a list of
/// every candidate took 103 MB of a 10 M-call lake).
struct CachingCandidates {
    /// One group's candidates: how many, Σ their input tokens and Σ what the cache could have read.
    struct Sums: Equatable {
        var calls = 0
        var uncached: Int64 = 0
        var cacheable: Int64 = 0
    }

    /// A candidate of the open date, in lake order.
    private struct Waiting {
        var key: Int64  // group << 32 | session
        var ts: Int64
        var input: Int64
    }

    private let ttlMicros: Double
    private(set) var sums: [Sums] = []
    private var waiting: [Waiting] = []
    /// The UTC day (days since 1970) of the waiting calls.
    private var openDay: Int64?
    /// Per (group, session): the latest call of the dates already paired, as (ts, input).
    private var latest: [Int64: (ts: Int64, input: Int64)] = [:]

    init(ttlSeconds: Double) { ttlMicros = ttlSeconds * 1_000_000 }

    mutating func addGroup() { sums.append(Sums()) }

    /// Adds a candidate of `group`; nil, or why the lake cannot be read in date order (a call
    /// dated before one already read: only a damaged or hand-made part can hold one).
    mutating func add(group: Int, session: Int32, ts: Int64, input: Int64) -> String? {
        let day = UTCDate.dayNumber(micros: ts)
        if let open = openDay, day != open {
            guard day > open else {
                return
                    "a call of \(UTCDate.dateString(days: day)) comes after calls of \(UTCDate.dateString(days: open)) (parts are read in date order)"
            }
            for last in pairWaiting(into: &sums) { latest[last.key] = (last.ts, last.input) }
            waiting.removeAll(keepingCapacity: true)
            // A call older than the TTL before this date can pair with no call still to come.
            let horizon = Double(day) * 86_400_000_000 - ttlMicros
            latest = latest.filter { Double($0.value.ts) >= horizon }
        }
        openDay = day
        waiting.append(Waiting(key: Int64(group) << 32 | Int64(UInt32(bitPattern: session)), ts: ts, input: input))
        return nil
    }

    /// Every group's sums, the open date paired too.
    func final() -> [Sums] {
        var final = sums
        _ = pairWaiting(into: &final)
        return final
    }

    /// Orders the waiting calls by (group, session, start, lake order), pairs each with the one
    /// before it in its session into `sums`, and returns each session's latest call.
    private func pairWaiting(into sums: inout [Sums]) -> [(key: Int64, ts: Int64, input: Int64)] {
        guard !waiting.isEmpty else { return [] }
        let order = waiting.indices.sorted { a, b in
            let x = waiting[a], y = waiting[b]
            return (x.key, x.ts, a) < (y.key, y.ts, b)
        }
        var lasts: [(key: Int64, ts: Int64, input: Int64)] = []
        var previous: (key: Int64, ts: Int64, input: Int64)?
        for index in order {
            let call = waiting[index]
            if previous?.key != call.key {
                if let p = previous { lasts.append(p) }
                previous = latest[call.key].map { (call.key, $0.ts, $0.input) }
            }
            let g = Int(call.key >> 32)
            var read: Int64 = 0
            if let p = previous, Double(call.ts - p.ts) <= ttlMicros { read = min(call.input, p.input) }
            sums[g].calls += 1
            sums[g].uncached += call.input
            sums[g].cacheable += read
            previous = (call.key, call.ts, call.input)
        }
        if let p = previous { lasts.append(p) }
        return lasts
    }
}

extension CachingCandidates {
    /// The sums and waiting calls as they stand (`AnalysisCheckpoint`).
    func write(to out: inout StateWriter) {
        out.double(ttlMicros)
        out.array(sums)
        out.array(waiting)
        out.optional(openDay) { $0.int64($1) }
        let keys = Array(latest.keys)
        out.array(keys)
        out.array(keys.map { latest[$0]!.ts })
        out.array(keys.map { latest[$0]!.input })
    }

    /// What `write` saved; the TTL must be the one it was saved with.
    init(reading input: inout StateReader, ttlSeconds: Double) throws {
        self.init(ttlSeconds: ttlSeconds)
        guard try input.double() == ttlMicros else { throw input.damaged() }
        sums = try input.array()
        waiting = try input.array()
        openDay = try input.optional { try $0.int64() }
        let keys = try input.array(of: Int64.self), times = try input.array(of: Int64.self), inputs = try input.array(of: Int64.self)
        guard times.count == keys.count && inputs.count == keys.count else { throw input.damaged() }
        for k in keys.indices { latest[keys[k]] = (times[k], inputs[k]) }
    }
}
