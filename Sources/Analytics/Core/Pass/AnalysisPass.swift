import HomeBaseCore
import Lake

/// The second pass of an analysis: everything the sections need, summed part by part in lake
/// order (`add`), so a year of calls is never held at once. Each sum takes its rows in the order
/// one table of every row would, so the results are the same to the last bit.
struct AnalysisPass: Sendable {
    let fromDay: Int64
    let toDay: Int64
    let dayCount: Int
    let now: Int64
    let monthStartDay: Int64
    let monthStart: Int64
    /// First day of the anomaly scorer's daily series (`anomalyHistoryDays` before the range).
    let anomalyFirstDay: Int64
    /// First UTC hour (hours since 1970) of the anomaly scorer's hourly series.
    let firstHour: Int64
    /// Days of the forecast's history (`forecastHistoryDays` up to the last complete day).
    let forecastFirstDay: Int64
    let forecastDays: Int
    private let priceBook: PriceBook?

    struct WindowSums: Sendable {
        var overall = TotalsAccumulator(groups: 1)
        var agents = TotalsAccumulator(groups: 0)
        var models = TotalsAccumulator(groups: 0)
        var providers = TotalsAccumulator(groups: 0)
    }
    /// 24h, 7d, 30d, month to date, and the range.
    private(set) var windows = [WindowSums](repeating: WindowSums(), count: 5)
    private(set) var costByDay: TotalsAccumulator

    /// Calls, output tokens, generation speed and errors of one group of the range's calls.
    struct GroupSums: Sendable {
        var calls = 0
        var outputTokens: Int64 = 0
        var generationTokens: Int64 = 0
        var generationSeconds = 0.0
        var errors = 0
        var errorsByClass: [Int] = []
    }
    static let overall = 0, byAgent = 1, byModel = 2, byProvider = 3, byDay = 4
    /// Per grouping (overall, agent, model, provider, day of the range), per group id.
    private var groupSums: [[GroupSums]]

    func group(_ grouping: Int, _ g: Int) -> GroupSums { g < groupSums[grouping].count ? groupSums[grouping][g] : GroupSums() }

    /// A failed call or a retry, with what the retry chains need of its row.
    struct Link: Sendable {
        var key: UInt64
        var retryOf: UInt64?
        var ts: Int64
        var isError: Bool
        var inRange: Bool
    }
    private(set) var links = ChunkedArray<Link>()

    private(set) var latencyOverall = LatencyRuns()
    private(set) var latencyByAgent: [LatencyRuns] = []
    private(set) var latencyByModel: [LatencyRuns] = []
    private(set) var latencyByProvider: [LatencyRuns] = []
    /// Local days from `anomalyFirstDay` to the range's last day; hours of the anomaly series.
    private(set) var dayLatencies: BucketLatencies
    private(set) var hourLatencies: BucketLatencies

    private(set) var sessionCalls: [Int] = []
    private(set) var sessionTotal: [Double] = []
    private(set) var sessionMaximum: [Double] = []
    private(set) var sessionAgent: [Int32] = []

    /// Cost and latency of the calls with a latency, per model, in row order.
    private(set) var correlationPairs: [PairBlocks] = []
    /// Where full blocks of those pairs wait for the correlation (nil: they stay in memory).
    let correlationSpill = PairSpill()

    private(set) var daily: ScopeSeries
    private(set) var anomalyDays: ScopeSeries
    private(set) var anomalyHours: ScopeSeries

    private(set) var forecastFleet: [Double]
    private(set) var forecastByAgent: [[Double]] = []
    private(set) var monthTotal = 0.0
    private(set) var monthByAgent: [Double] = []
    private(set) var monthByDay: [Double]
    private(set) var monthByAgentDay: [[Double]] = []

    /// Calls of the month to date per (provider id, agent id): what a key's usage is built from.
    struct KeySlot: Hashable, Comparable, Sendable {
        var provider: Int32
        var agent: Int32
        static func < (a: KeySlot, b: KeySlot) -> Bool { (a.provider, a.agent) < (b.provider, b.agent) }
    }
    struct KeyLogged: Sendable {
        var calls = 0
        var errors = 0
        var rateLimits = 0
        var cost = 0.0
    }
    private(set) var keyLogged: [KeySlot: KeyLogged] = [:]

    private(set) var rowsRead = 0
    private(set) var callsPerDay: [Int]
    private(set) var callsWithoutLatency = 0
    /// Unpriced calls per (provider id, model id).
    private(set) var unpriced: [ModelSlot: Int] = [:]
    struct ModelSlot: Hashable, Sendable {
        var provider: Int32
        var model: Int32
    }

    private var savingsCache: [String: Double] = [:]

    init(plan: AnalysisPlan, priceBook: PriceBook?) {
        fromDay = plan.fromDay
        toDay = plan.toDay
        dayCount = plan.dayCount
        now = plan.now
        self.priceBook = priceBook
        let calendar = plan.calendar
        let nowDay = calendar.day(ofMicros: now)
        let (y, m, _) = UTCDate.civil(days: nowDay)
        monthStartDay = UTCDate.days(year: y, month: m, day: 1)
        monthStart = calendar.startMicros(ofDay: monthStartDay)
        monthByDay = Array(repeating: 0, count: max(0, Int(nowDay - monthStartDay) + 1))
        costByDay = TotalsAccumulator(groups: dayCount)
        groupSums = [[GroupSums()], [], [], [], Array(repeating: GroupSums(), count: dayCount)]
        callsPerDay = Array(repeating: 0, count: dayCount)
        daily = ScopeSeries(buckets: dayCount)

        anomalyFirstDay = plan.fromDay - Int64(Analyzer.anomalyHistoryDays)
        let anomalyDayCount = plan.dayCount > 0 ? plan.dayCount + Analyzer.anomalyHistoryDays : 0
        anomalyDays = ScopeSeries(buckets: anomalyDayCount)
        // A local day is over for good a day after its end: a zone that turns its clocks back at
        // midnight maps the first hour of the next day to the day before.
        let firstDay = anomalyFirstDay
        dayLatencies = BucketLatencies(
            closedFrom: (0..<anomalyDayCount).map { calendar.startMicros(ofDay: firstDay + Int64($0) + 1) + 86_400_000_000 },
            fullStats: true)
        let hourCount = 168 + Analyzer.anomalyHistoryHours
        firstHour = AnalysisMath.floorDiv(now, HourBuckets.micros) - Int64(hourCount) + 1
        anomalyHours = ScopeSeries(buckets: hourCount)
        let hourBase = firstHour
        hourLatencies = BucketLatencies(
            closedFrom: (0..<hourCount).map { (hourBase + Int64($0) + 1) * HourBuckets.micros }, fullStats: false)

        let historyEnd = min(plan.toDay, calendar.day(ofMicros: now + 1) - 1)
        forecastFirstDay = historyEnd - Int64(Analyzer.forecastHistoryDays) + 1
        forecastDays = plan.dayCount > 0 && historyEnd >= plan.fromDay ? Analyzer.forecastHistoryDays : 0
        forecastFleet = Array(repeating: 0, count: forecastDays)
    }

    /// Adds one part's rows (`t`, its names interned with every earlier part's), then reduces the
    /// days and hours that no later call (none before `laterMinimum`) can belong to.
    mutating func add(_ t: CallTable, laterMinimum: Int64) {
        let n = t.count
        rowsRead += n
        let saved = savings(t)
        let inRange = (0..<n).map { Int64(t.day[$0]) >= fromDay && Int64(t.day[$0]) <= toDay }
        addWindows(t, saved: saved, inRange: inRange)
        addGroupings(t, inRange: inRange)
        for link in t.links {
            links.append(Link(key: link.key, retryOf: link.retryOf, ts: t.ts[link.row], isError: t.isError[link.row], inRange: inRange[link.row]))
        }
        addLatencies(t, inRange: inRange)
        addSeries(t, inRange: inRange)
        addMonth(t)
        dayLatencies.close(before: laterMinimum)
        hourLatencies.close(before: laterMinimum)
    }

    mutating func dropCorrelationInputs() {
        correlationPairs = []
    }

    /// After the last part: the distributions still open are reduced.
    mutating func finish() {
        dayLatencies.closeAll()
        hourLatencies.closeAll()
    }

    /// The cache-read savings of each row (USD per cache-read token of its provider and model,
    /// from the price book, times its cache-read tokens).
    private mutating func savings(_ t: CallTable) -> [Double] {
        let models = t.models.count
        var perToken = [Double](repeating: 0, count: t.providers.count * models)
        if let priceBook {
            for p in 0..<t.providers.count {
                for m in 0..<models {
                    let key = t.providers.names[p] + "\u{0}" + t.models.names[m]
                    if let known = savingsCache[key] {
                        perToken[p * models + m] = known
                        continue
                    }
                    var value = 0.0
                    if let price = priceBook.price(provider: t.providers.names[p], model: t.models.names[m]),
                        let cacheRead = price.cacheRead, price.input > cacheRead
                    {
                        value = (price.input - cacheRead) / 1_000_000
                    }
                    savingsCache[key] = value
                    perToken[p * models + m] = value
                }
            }
        }
        return (0..<t.count).map { Double(t.cacheReadTokens[$0]) * perToken[Int(t.provider[$0]) * models + Int(t.model[$0])] }
    }

    private mutating func addWindows(_ t: CallTable, saved: [Double], inRange: [Bool]) {
        let hour: Int64 = 3_600_000_000
        let now = self.now, monthStart = self.monthStart
        let starts = [now - 24 * hour, now - 7 * 24 * hour, now - 30 * 24 * hour]
        let inRangeRows = (0..<t.count).filter { inRange[$0] }.map { Int32($0) }
        for w in 0..<windows.count {
            let rows: [Int32]
            switch w {
            case 0, 1, 2: rows = (0..<t.count).filter { t.ts[$0] > starts[w] && t.ts[$0] <= now }.map { Int32($0) }
            case 3: rows = (0..<t.count).filter { t.ts[$0] >= monthStart && t.ts[$0] <= now }.map { Int32($0) }
            default: rows = inRangeRows
            }
            windows[w].overall.add(t, rows: rows, saved: saved, groupOf: nil)
            windows[w].agents.add(t, rows: rows, saved: saved, groupOf: t.agent)
            windows[w].models.add(t, rows: rows, saved: saved, groupOf: t.model)
            windows[w].providers.add(t, rows: rows, saved: saved, groupOf: t.provider)
        }
        let fromDay = self.fromDay
        let dayOf = t.day.map { Int32(truncatingIfNeeded: Int64($0) - fromDay) }  // read for in-range rows only
        costByDay.add(t, rows: inRangeRows, saved: saved, groupOf: dayOf)
    }

    /// One grouping at a time over the chunk's rows (each group still takes its rows in order).
    private mutating func addGroupings(_ t: CallTable, inRange: [Bool]) {
        let sizes = [1, t.agents.count, t.models.count, t.providers.count, dayCount]
        for grouping in 0..<5 {
            groupSums[grouping].grow(to: sizes[grouping], with: GroupSums())
            let ids: [Int32]? =
                switch grouping {
                case Self.byAgent: t.agent
                case Self.byModel: t.model
                case Self.byProvider: t.provider
                default: nil
                }
            let fromDay = self.fromDay
            groupSums[grouping].withUnsafeMutableBufferPointer { sums in
                for i in 0..<t.count where inRange[i] {
                    let g = ids.map { Int($0[i]) } ?? (grouping == Self.overall ? 0 : Int(Int64(t.day[i]) - fromDay))
                    sums[g].calls += 1
                    sums[g].outputTokens += t.outputTokens[i]
                    let latency = t.latency[i]
                    if latency > 0 {
                        sums[g].generationTokens += t.outputTokens[i]
                        sums[g].generationSeconds += latency / 1000
                    }
                    guard t.isError[i] else { continue }
                    sums[g].errors += 1
                    let k = Int(t.errorClass[i])
                    if k >= 0 {
                        sums[g].errorsByClass.grow(to: k + 1, with: 0)
                        sums[g].errorsByClass[k] += 1
                    }
                }
            }
        }
    }

    private mutating func addLatencies(_ t: CallTable, inRange: [Bool]) {
        latencyByAgent.grow(to: t.agents.count, with: LatencyRuns())
        latencyByModel.grow(to: t.models.count, with: LatencyRuns())
        latencyByProvider.grow(to: t.providers.count, with: LatencyRuns())
        correlationPairs.grow(to: t.models.count, with: PairBlocks())
        let sessions = Int(t.session.max() ?? -1) + 1  // the chunk comes without the session names
        sessionCalls.grow(to: sessions, with: 0)
        sessionTotal.grow(to: sessions, with: 0)
        sessionMaximum.grow(to: sessions, with: 0)
        sessionAgent.grow(to: sessions, with: 0)
        var latencies: [Double] = [], agents: [Int32] = [], models: [Int32] = [], providers: [Int32] = []
        for i in 0..<t.count where inRange[i] {
            let s = Int(t.session[i])
            sessionCalls[s] += 1
            sessionAgent[s] = t.agent[i]
            let latency = t.latency[i]
            guard !latency.isNaN else { continue }
            sessionTotal[s] += latency
            sessionMaximum[s] = max(sessionMaximum[s], latency)
            latencies.append(latency)
            agents.append(t.agent[i])
            models.append(t.model[i])
            providers.append(t.provider[i])
            correlationPairs[Int(t.model[i])].append(cost: t.cost[i], latency: latency, spill: correlationSpill)
        }
        latencies.withUnsafeBufferPointer { latencyOverall.add(contentsOf: $0) }
        LatencyRuns.add(latencies, groups: agents, to: &latencyByAgent)
        LatencyRuns.add(latencies, groups: models, to: &latencyByModel)
        LatencyRuns.add(latencies, groups: providers, to: &latencyByProvider)
    }

    private mutating func addSeries(_ t: CallTable, inRange: [Bool]) {
        let unpricedID = t.costSources.lookup("unpriced")
        var dailyRows: [Int32] = [], dailyBuckets: [Int32] = []
        var dayRows: [Int32] = [], dayBuckets: [Int32] = []
        var hourRows: [Int32] = [], hourBuckets: [Int32] = []
        for i in 0..<t.count {
            let day = Int64(t.day[i])
            if inRange[i] {
                let d = Int(day - fromDay)
                dailyRows.append(Int32(i))
                dailyBuckets.append(Int32(d))
                callsPerDay[d] += 1
                if t.latency[i].isNaN { callsWithoutLatency += 1 }
                if let unpricedID, t.costSource[i] == unpricedID { unpriced[ModelSlot(provider: t.provider[i], model: t.model[i]), default: 0] += 1 }
            }
            let a = day - anomalyFirstDay
            if a >= 0 && a < Int64(anomalyDays.buckets) {
                dayRows.append(Int32(i))
                dayBuckets.append(Int32(a))
                if !t.latency[i].isNaN { dayLatencies.add(bucket: Int(a), agent: t.agent[i], latency: t.latency[i]) }
            }
            let h = AnalysisMath.floorDiv(t.ts[i], HourBuckets.micros) - firstHour
            if t.ts[i] <= now && h >= 0 && h < Int64(anomalyHours.buckets) {
                hourRows.append(Int32(i))
                hourBuckets.append(Int32(h))
                if !t.latency[i].isNaN { hourLatencies.add(bucket: Int(h), agent: t.agent[i], latency: t.latency[i]) }
            }
            let f = day - forecastFirstDay
            if f >= 0 && f < Int64(forecastDays) {
                forecastFleet[Int(f)] += t.cost[i]
                if forecastByAgent.count <= Int(t.agent[i]) {  // the fill row made only when it grows, not per call
                    forecastByAgent.grow(to: Int(t.agent[i]) + 1, with: Array(repeating: 0, count: forecastDays))
                }
                forecastByAgent[Int(t.agent[i])][Int(f)] += t.cost[i]
            }
        }
        daily.add(t, rows: dailyRows, bucketOf: dailyBuckets)
        anomalyDays.add(t, rows: dayRows, bucketOf: dayBuckets)
        anomalyHours.add(t, rows: hourRows, bucketOf: hourBuckets)
    }

    private mutating func addMonth(_ t: CallTable) {
        let rateLimit = t.errorClasses.lookup("rate_limit")
        monthByAgent.grow(to: t.agents.count, with: 0)
        monthByAgentDay.grow(to: t.agents.count, with: Array(repeating: 0, count: monthByDay.count))
        for i in 0..<t.count where t.ts[i] >= monthStart && t.ts[i] <= now {
            let a = Int(t.agent[i])
            monthTotal += t.cost[i]
            monthByAgent[a] += t.cost[i]
            let d = Int(Int64(t.day[i]) - monthStartDay)
            if d >= 0 && d < monthByDay.count {
                monthByDay[d] += t.cost[i]
                monthByAgentDay[a][d] += t.cost[i]
            }
            let slot = KeySlot(provider: t.provider[i], agent: t.agent[i])
            var logged = keyLogged[slot] ?? KeyLogged()
            logged.calls += 1
            if t.isError[i] { logged.errors += 1 }
            if let rateLimit, t.errorClass[i] == rateLimit { logged.rateLimits += 1 }
            logged.cost += t.cost[i]
            keyLogged[slot] = logged
        }
    }
}

extension AnalysisPass {
    /// Whether only range-wide sums hold anything: no call read so far falls in a window, the
    /// hourly series, the forecast's history or the month, which all move with `now`. Then the
    /// state can be carried to a later run (`AnalysisCheckpoint`) whose range starts on the same day.
    var holdsOnlyRangeSums: Bool {
        windows[0..<4].allSatisfy { w in w.overall.calls(0) == 0 && w.agents.groups == 0 && w.models.groups == 0 && w.providers.groups == 0 }
            && anomalyHours.scopes == 1 && hourLatencies.isEmpty && forecastByAgent.isEmpty && forecastFleet.allSatisfy { $0 == 0 }
            && monthTotal == 0 && keyLogged.isEmpty && monthByDay.allSatisfy { $0 == 0 }
    }

    /// The range-wide sums (`holdsOnlyRangeSums` must hold); false when a spilled block of the
    /// correlation pairs cannot be read back.
    func write(to out: inout StateWriter) -> Bool {
        out.int64(fromDay)
        out.int(dayCount)
        for sums in [windows[4].overall, windows[4].agents, windows[4].models, windows[4].providers, costByDay] { sums.write(to: &out) }
        out.int(groupSums.count)
        for grouping in groupSums {
            out.int(grouping.count)
            for g in grouping {
                out.int(g.calls)
                out.int64(g.outputTokens)
                out.int64(g.generationTokens)
                out.double(g.generationSeconds)
                out.int(g.errors)
                out.array(g.errorsByClass)
            }
        }
        // Field by field: a struct's padding would carry whatever memory held.
        out.array(links.map(\.key))
        out.array(links.map { $0.retryOf ?? 0 })
        out.array(links.map { UInt8($0.retryOf == nil ? 0 : 1) | ($0.isError ? 2 : 0) | ($0.inRange ? 4 : 0) })
        out.array(links.map(\.ts))
        for runs in [[latencyOverall], latencyByAgent, latencyByModel, latencyByProvider] {
            out.int(runs.count)
            for r in runs { r.write(to: &out) }
        }
        dayLatencies.write(to: &out)
        out.array(sessionCalls)
        out.array(sessionTotal)
        out.array(sessionMaximum)
        out.array(sessionAgent)
        out.int(correlationPairs.count)
        for pairs in correlationPairs where !pairs.write(to: &out, spill: correlationSpill) { return false }
        daily.write(to: &out)
        anomalyDays.write(to: &out)
        out.int(rowsRead)
        out.array(callsPerDay)
        out.int(callsWithoutLatency)
        out.array(unpriced.map { [Int($0.key.provider), Int($0.key.model), $0.value] }.flatMap { $0 })
        return true
    }

    /// Takes the range-wide sums `write` saved into this new pass, whose range starts on the same
    /// day and ends on the same day or later.
    mutating func resume(reading input: inout StateReader) throws {
        guard try input.int64() == fromDay else { throw input.damaged() }
        let savedDays = try input.int()
        guard savedDays <= dayCount else { throw input.damaged() }
        windows[4].overall = try TotalsAccumulator(reading: &input)
        windows[4].agents = try TotalsAccumulator(reading: &input)
        windows[4].models = try TotalsAccumulator(reading: &input)
        windows[4].providers = try TotalsAccumulator(reading: &input)
        costByDay = try TotalsAccumulator(reading: &input)
        guard costByDay.groups <= dayCount else { throw input.damaged() }
        costByDay.grow(to: dayCount)
        guard try input.int() == groupSums.count else { throw input.damaged() }
        for grouping in groupSums.indices {
            groupSums[grouping] = try (0..<input.count(size: 40)).map { _ in
                var g = GroupSums()
                g.calls = try input.int()
                g.outputTokens = try input.int64()
                g.generationTokens = try input.int64()
                g.generationSeconds = try input.double()
                g.errors = try input.int()
                g.errorsByClass = try input.array()
                return g
            }
        }
        guard groupSums[Self.byDay].count <= dayCount else { throw input.damaged() }
        groupSums[Self.byDay].grow(to: dayCount, with: GroupSums())
        links = ChunkedArray()
        let keys = try input.array(of: UInt64.self), retries = try input.array(of: UInt64.self)
        let flags = try input.array(of: UInt8.self), times = try input.array(of: Int64.self)
        guard retries.count == keys.count && flags.count == keys.count && times.count == keys.count else { throw input.damaged() }
        for k in keys.indices {
            let f = flags[k]
            links.append(Link(key: keys[k], retryOf: f & 1 != 0 ? retries[k] : nil, ts: times[k], isError: f & 2 != 0, inRange: f & 4 != 0))
        }
        let runs = try (0..<4).map { _ in try (0..<input.count(size: 8)).map { _ in try LatencyRuns(reading: &input) } }
        guard runs[0].count == 1 else { throw input.damaged() }
        (latencyOverall, latencyByAgent, latencyByModel, latencyByProvider) = (runs[0][0], runs[1], runs[2], runs[3])
        dayLatencies = try BucketLatencies(reading: &input, layout: dayLatencies)
        sessionCalls = try input.array()
        sessionTotal = try input.array()
        sessionMaximum = try input.array()
        sessionAgent = try input.array()
        let sessions = sessionCalls.count
        guard sessionTotal.count == sessions && sessionMaximum.count == sessions && sessionAgent.count == sessions else { throw input.damaged() }
        let spill = correlationSpill
        correlationPairs = try (0..<input.count(size: 16)).map { _ in try PairBlocks(reading: &input, spill: spill) }
        daily = try ScopeSeries(reading: &input, buckets: daily.buckets)
        anomalyDays = try ScopeSeries(reading: &input, buckets: anomalyDays.buckets)
        rowsRead = try input.int()
        let days = try input.array(of: Int.self)
        guard days.count <= dayCount else { throw input.damaged() }
        callsPerDay = days + Array(repeating: 0, count: dayCount - days.count)
        callsWithoutLatency = try input.int()
        let slots = try input.array(of: Int.self)
        guard slots.count % 3 == 0 else { throw input.damaged() }
        unpriced = [:]
        for k in stride(from: 0, to: slots.count, by: 3) {
            unpriced[ModelSlot(provider: Int32(truncatingIfNeeded: slots[k]), model: Int32(truncatingIfNeeded: slots[k + 1]))] = slots[k + 2]
        }
    }
}
