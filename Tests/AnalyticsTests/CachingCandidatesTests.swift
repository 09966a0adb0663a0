import Testing
@testable import HomeBaseCore
@testable import Analytics
@testable import TestSupport

/// Prompt caching's candidates paired date by date as they are read give the sums of pairing a
/// list of every candidate at the end, sorted by (session, start, lake order): the rule's former
/// way, kept here as the reference.
@Suite struct CachingCandidatesTests {
    struct Call {
        var group: Int
        var session: Int32
        var ts: Int64
        var input: Int64
    }

    /// The former pairing: per group, every candidate sorted by (session, ts, lake index).
    static func reference(_ calls: [Call], groups: Int, ttlSeconds: Double) -> [CachingCandidates.Sums] {
        (0..<groups).map { g in
            let group = calls.filter { $0.group == g }
            let ordered = group.indices.sorted { (group[$0].session, group[$0].ts, $0) < (group[$1].session, group[$1].ts, $1) }
            var sums = CachingCandidates.Sums()
            var previous: Call?
            for index in ordered {
                let call = group[index]
                var read: Int64 = 0
                if let p = previous, p.session == call.session, Double(call.ts - p.ts) <= ttlSeconds * 1_000_000 { read = min(call.input, p.input) }
                sums.calls += 1
                sums.uncached += call.input
                sums.cacheable += read
                previous = call
            }
            return sums
        }
    }

    /// Random sessions over a few dates, the dates in order as parts are read, the calls of a date
    /// in any order (later parts of a date add earlier calls), starts near midnight and ties included.
    @Test(arguments: 0..<20)
    func datesPairedAsReadEqualTheSortedList(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed))
        let groups = 1 + Int(rng.next() % 3), ttl = [60.0, 300, 3_600][Int(rng.next() % 3)]
        var calls: [Call] = []
        let day: Int64 = 86_400_000_000
        for date in 0..<Int64(1 + rng.next() % 4) {
            var ofDate: [Call] = []
            for _ in 0..<Int(rng.next() % 200) {
                let nearEdge = rng.next() % 2 == 0
                let offset = nearEdge ? day - 1 - Int64(rng.next() % 600_000_000) : Int64(rng.next() % UInt64(day))
                let ts = (20_000 + date) * day + (rng.next() % 10 == 0 ? 0 : offset)
                ofDate.append(
                    Call(group: Int(rng.next() % UInt64(groups)), session: Int32(rng.next() % 5), ts: ts, input: Int64(rng.next() % 50_000)))
            }
            calls += ofDate
        }
        var paired = CachingCandidates(ttlSeconds: ttl)
        for _ in 0..<groups { paired.addGroup() }
        for call in calls { #expect(paired.add(group: call.group, session: call.session, ts: call.ts, input: call.input) == nil) }
        #expect(paired.final() == Self.reference(calls, groups: groups, ttlSeconds: ttl))
        #expect(paired.final() == paired.final())  // reading the sums pairs a copy
    }

    /// A call dated before the date being read cannot be placed any more: refused, with both dates.
    @Test func aCallOfAnEarlierDateIsRefused() {
        var paired = CachingCandidates(ttlSeconds: 300)
        paired.addGroup()
        #expect(paired.add(group: 0, session: 0, ts: RecommendationLake.micros("2026-03-03", 10), input: 5) == nil)
        let problem = paired.add(group: 0, session: 0, ts: RecommendationLake.micros("2026-03-02", 10), input: 5)
        #expect(problem == "a call of 2026-03-02 comes after calls of 2026-03-03 (parts are read in date order)")
    }

    /// claude-sonnet-4-5 (input 3, cache read 0.3, cache write 3.75), TTL 300 s. Session s1:
    /// 23:55:00 10k and 23:59:00 20k in the first part of 2026-03-02, 00:02:00 30k the next day,
    /// then a second run adds 23:56:40 15k in a second part of 2026-03-02. In start order:
    /// 10k, 15k (100 s), 20k (140 s), 30k (180 s): reads 10k + 15k + 20k = 45k of 75k, writes 30k.
    /// Saving = 45k × 2.7 − 30k × 0.75 = 99,000 µ$; × 3 = $0.297/month. Paired in lake order
    /// instead, the reads would be 10k + 15k + 15k = 40k.
    @Test func aLaterPartOfADatePairsByStart() throws {
        let lake = RecommendationLake()
        defer { lake.remove() }
        typealias Row = RecommendationLake.Row
        let t = { (date: String, seconds: Double) in RecommendationLake.micros(date, seconds) }
        try lake.write([
            Row(ts: t("2026-03-02", 86_100), session: "s1", input: 10_000, output: 500),
            Row(ts: t("2026-03-02", 86_340), session: "s1", input: 20_000, output: 500),
            Row(ts: t("2026-03-03", 120), session: "s1", input: 30_000, output: 500)
        ])
        try lake.write([Row(ts: t("2026-03-02", 86_200), session: "s1", entry: "late", input: 15_000, output: 500)])
        let found = try lake.recommend(from: "2026-03-01", to: "2026-03-10") { $0.minimumMonthlySavingUSD = 0.001 }
        let caching = try #require(found.first { $0.kind == .promptCaching })
        #expect(caching.evidence.calls == 4 && caching.evidence.tokens == 75_000 && caching.evidence.cacheableTokens == 45_000)
        #expect(abs(caching.monthlySavingUSD - 0.297) < 1e-12)
    }
}
